// Side-by-side comparison of two contacts: every field of both, a choice of
// which value survives for each single-value field that differs, the unioned
// emails/phones/tags, a reason, and Merge (undoable).
import { Badge, Button, Group, Modal, Radio, SegmentedControl, Stack, Table, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Contact as ContactRecord } from "../../../../../src/contracts/crm";
import { api } from "../../../api";
import { contactName } from "../../../format";
import { useCustomFields, useMembers } from "../../../queries";
import type { Contact, Merge } from "../../../types";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { EvidenceChips, notifyMerged, refreshAfterMerge, ScoreBadge } from "./common";

type Side = "a" | "b";

const SINGLE_FIELDS: Array<{ key: string; label: string }> = [
  { key: "name", label: "Name" },
  { key: "first_name", label: "First name" },
  { key: "last_name", label: "Last name" },
  { key: "title", label: "Job title" },
  { key: "organization_id", label: "Organization" },
  { key: "lifecycle_stage", label: "Lifecycle stage" },
  { key: "owner_id", label: "Owner" },
  { key: "street", label: "Street" },
  { key: "address2", label: "Address line 2" },
  { key: "postal_code", label: "Postal code" },
  { key: "city", label: "City" },
  { key: "region", label: "Region" },
  { key: "country", label: "Country" },
  { key: "birth_date", label: "Birth date" },
  { key: "national_id", label: "National ID" },
  { key: "external_id", label: "External ID" },
  { key: "consent_email", label: "Email consent" },
  { key: "consent_sms", label: "SMS consent" },
  { key: "consent_tracking", label: "Tracking consent" },
  { key: "notes", label: "Notes" },
];
const MULTI_FIELDS = [
  { key: "emails", label: "Emails" },
  { key: "phones", label: "Phones" },
  { key: "tags", label: "Tags" },
] as const;

function rawValue(c: ContactRecord, key: string): unknown {
  if (key.startsWith("custom.")) return c.custom?.[key.slice(7)];
  return (c as unknown as Record<string, unknown>)[key];
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

function filledCount(c: ContactRecord): number {
  let n = 0;
  for (const f of SINGLE_FIELDS) if (!isEmpty(rawValue(c, f.key)) && rawValue(c, f.key) !== false) n++;
  for (const f of MULTI_FIELDS) n += c[f.key].length;
  n += Object.values(c.custom ?? {}).filter((v) => !isEmpty(v)).length;
  return n;
}

/** The record to keep by default: the more complete one, then the more recently updated. */
export function defaultKept(a: ContactRecord, b: ContactRecord): Side {
  const fa = filledCount(a);
  const fb = filledCount(b);
  if (fa !== fb) return fa > fb ? "a" : "b";
  return b.updated_at > a.updated_at ? "b" : "a";
}

function union(first: string[], second: string[]): string[] {
  const seen = new Set<string>();
  return [...first, ...second].filter((v) => {
    const k = v.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function MergeDialog({
  opened,
  onClose,
  a,
  b,
  score,
  evidence,
  onMerged,
}: {
  opened: boolean;
  onClose: () => void;
  a: ContactRecord;
  b: ContactRecord;
  score?: number;
  evidence?: string[];
  onMerged?: (result: { merge: Merge; contact: Contact }) => void;
}) {
  const client = useQueryClient();
  const members = useMembers();
  const customFields = useCustomFields("contact");
  const [kept, setKept] = useState<Side>(() => defaultKept(a, b));
  const [choices, setChoices] = useState<Record<string, Side>>({});
  const [reason, setReason] = useState("");
  const contacts = { a, b };
  const keptContact = contacts[kept];
  const mergedContact = contacts[kept === "a" ? "b" : "a"];

  const fields = useMemo(() => {
    const customKeys = new Set([...Object.keys(a.custom ?? {}), ...Object.keys(b.custom ?? {})]);
    const custom = [...customKeys].map((key) => ({
      key: `custom.${key}`,
      label: customFields.data?.find((f) => f.key === key)?.label ?? key,
    }));
    return [...SINGLE_FIELDS, ...custom];
  }, [a, b, customFields.data]);

  function display(c: ContactRecord, key: string): string {
    const v = rawValue(c, key);
    if (key === "organization_id") return c.organization?.name ?? (v ? "Unknown organization" : "");
    if (key === "owner_id") {
      if (!v) return "";
      const m = members.data?.find((u) => u.id === v);
      return m ? m.name || m.email : "Unknown member";
    }
    if (typeof v === "boolean") return v ? "Yes" : "No";
    if (Array.isArray(v)) return v.join(", ");
    if (v === null || v === undefined) return "";
    return String(v);
  }

  /** Which side's value survives for a field: the user's pick, else the kept one unless it is empty. */
  function winner(key: string): Side {
    const picked = choices[key];
    if (picked) return picked;
    const other: Side = kept === "a" ? "b" : "a";
    return isEmpty(rawValue(contacts[kept], key)) && !isEmpty(rawValue(contacts[other], key)) ? other : kept;
  }

  const differing = fields.filter((f) => !same(rawValue(a, f.key), rawValue(b, f.key)));

  const merge = useMutation({
    mutationFn: () => {
      const payload: Record<string, "keep" | "merge"> = {};
      for (const f of differing) payload[f.key] = winner(f.key) === kept ? "keep" : "merge";
      return api<{ merge: Merge; contact: Contact }>("/contacts:merge", {
        method: "POST",
        body: { keep: keptContact.id, merge: mergedContact.id, fields: payload, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      });
    },
    onSuccess: (result) => {
      refreshAfterMerge(client);
      notifyMerged(client, result.merge, result.contact);
      onMerged?.(result);
      onClose();
    },
  });

  const nameA = contactName(a);
  const nameB = contactName(b);

  return (
    <Modal opened={opened} onClose={onClose} title="Compare and merge" size="xl">
      <Stack gap="md">
        {(score !== undefined || evidence) && (
          <Group gap="sm">
            {score !== undefined && <ScoreBadge score={score} />}
            {evidence && <EvidenceChips evidence={evidence} />}
          </Group>
        )}
        <Group gap="sm" align="center">
          <Text size="sm" fw={500} id="kept-record-label">
            Record to keep
          </Text>
          <SegmentedControl
            aria-labelledby="kept-record-label"
            value={kept}
            onChange={(v) => {
              setKept(v as Side);
              setChoices({});
            }}
            data={[
              { value: "a", label: `A: ${nameA}` },
              { value: "b", label: `B: ${nameB}` },
            ]}
          />
        </Group>
        <Text size="sm" c="dimmed">
          The other record is folded into the kept one: its profiles, messages, activities, cases, deals and ideas move over. For each field
          that differs, pick the value that survives.
        </Text>
        <Table.ScrollContainer minWidth={560}>
          <Table striped withTableBorder verticalSpacing={6} aria-label="Field comparison">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={150}>Field</Table.Th>
                <Table.Th>A: {nameA}</Table.Th>
                <Table.Th>B: {nameB}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.map((f) => {
                const va = display(a, f.key);
                const vb = display(b, f.key);
                const differs = differing.includes(f);
                if (!differs) {
                  return (
                    <Table.Tr key={f.key}>
                      <Table.Td>
                        <Text size="sm">{f.label}</Text>
                      </Table.Td>
                      <Table.Td colSpan={2}>
                        <Text size="sm" c={va ? undefined : "dimmed"} style={{ overflowWrap: "anywhere" }}>
                          {va || "—"}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                }
                const win = winner(f.key);
                return (
                  <Table.Tr key={f.key} data-testid={`compare-${f.key}`}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {f.label}
                      </Text>
                    </Table.Td>
                    {(["a", "b"] as const).map((side) => {
                      const shown = side === "a" ? va : vb;
                      return (
                        <Table.Td key={side}>
                          <Radio
                            name={`survivor-${f.key}`}
                            checked={win === side}
                            onChange={() => setChoices((c) => ({ ...c, [f.key]: side }))}
                            label={shown || "(empty)"}
                            aria-label={`${f.label}: keep ${shown || "empty"} (${side.toUpperCase()})`}
                            styles={{ label: { overflowWrap: "anywhere" } }}
                          />
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                );
              })}
              {MULTI_FIELDS.map((f) => {
                const all = union(keptContact[f.key], mergedContact[f.key]);
                return (
                  <Table.Tr key={f.key} data-testid={`union-${f.key}`}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {f.label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        combined
                      </Text>
                    </Table.Td>
                    <Table.Td colSpan={2}>
                      {all.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {all.map((v) => (
                            <Badge key={v} variant="outline" color="gray" radius="sm" tt="none">
                              {v}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Textarea
          label="Reason"
          description="Kept in the merge history and the audit log"
          placeholder="e.g. same person, confirmed by phone"
          {...textField(reason, setReason)}
          autosize
          minRows={1}
          maxLength={1000}
        />
        <FormError error={merge.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={merge.isPending} onClick={() => merge.mutate()}>
            Merge into {contactName(keptContact)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
