// The person view's privacy parts (issue 13): consent per purpose from the ledger (grant or
// withdraw, with where it came from) and erasure, confirmed by typing the person's name.
import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck, IconQuestionMark, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ConsentPurpose, ConsentView, ErasureResult } from "../../../../../src/contracts/privacy";
import { api } from "../../../api";
import { formatDateTime } from "../../../format";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { ModalForm } from "../../../ui/ModalForm";
import { Panel } from "../../../ui/Panel";

const PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  marketing_email: "Marketing email",
  marketing_sms: "Marketing SMS",
  social_engagement: "Social engagement",
  profiling: "Profiling",
};

const consentKey = (contactId: string) => ["contacts", contactId, "consent"] as const;

function StatusBadge({ status }: { status: "granted" | "withdrawn" | "unknown" }) {
  const look = {
    granted: { color: "green", icon: <IconCheck size={12} />, text: "granted" },
    withdrawn: { color: "red", icon: <IconX size={12} />, text: "withdrawn" },
    unknown: { color: "gray", icon: <IconQuestionMark size={12} />, text: "not given" },
  }[status];
  return (
    <Badge variant="light" color={look.color} radius="sm" tt="none" leftSection={look.icon}>
      {look.text}
    </Badge>
  );
}

export function ConsentPanel({ contactId, canWrite }: { contactId: string; canWrite: boolean }) {
  const client = useQueryClient();
  const consent = useQuery({ queryKey: consentKey(contactId), queryFn: () => api<ConsentView>(`/contacts/${contactId}/consent`) });
  const [source, setSource] = useState("");
  const [showLedger, setShowLedger] = useState(false);
  const record = useMutation({
    mutationFn: (v: { purpose: ConsentPurpose; status: "granted" | "withdrawn" }) =>
      api<ConsentView>(`/contacts/${contactId}/consent`, { method: "POST", body: { ...v, source: source.trim() || "manual" } }),
    onSuccess: (data) => {
      client.setQueryData(consentKey(contactId), data);
      client.invalidateQueries({ queryKey: ["contacts", contactId] });
      notifications.show({ color: "green", message: "Consent recorded" });
    },
  });

  return (
    <Panel title="Consent" aria-label="Consent">
      {consent.isError && <LoadError error={consent.error} onRetry={() => consent.refetch()} />}
      {consent.data && (
        <Stack gap="xs">
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {consent.data.current.map((c) => (
                <Table.Tr key={c.purpose} data-purpose={c.purpose}>
                  <Table.Td>
                    <Text size="sm">{PURPOSE_LABELS[c.purpose]}</Text>
                    {c.recorded_at && (
                      <Text size="xs" c="dimmed">
                        {c.source} · {formatDateTime(c.recorded_at)}
                        {c.recorded_by_name ? ` · ${c.recorded_by_name}` : ""}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          disabled={c.status === "granted"}
                          loading={record.isPending}
                          onClick={() => record.mutate({ purpose: c.purpose, status: "granted" })}
                          aria-label={`Grant ${PURPOSE_LABELS[c.purpose]}`}
                        >
                          Grant
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          disabled={c.status !== "granted"}
                          loading={record.isPending}
                          onClick={() => record.mutate({ purpose: c.purpose, status: "withdrawn" })}
                          aria-label={`Withdraw ${PURPOSE_LABELS[c.purpose]}`}
                        >
                          Withdraw
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {canWrite && (
            <TextInput
              size="xs"
              label="Source of the next change"
              placeholder="manual (e.g. phone call, web form)"
              value={source}
              maxLength={100}
              onChange={(e) => setSource(e.currentTarget.value)}
            />
          )}
          <FormError error={record.error} />
          <Button size="compact-xs" variant="subtle" onClick={() => setShowLedger((s) => !s)} w="fit-content">
            {showLedger ? "Hide history" : `History (${consent.data.ledger.length})`}
          </Button>
          {showLedger && (
            <Stack gap={2} aria-label="Consent history">
              {consent.data.ledger.map((e) => (
                <Text key={e.id} size="xs">
                  {formatDateTime(e.recorded_at)}: {PURPOSE_LABELS[e.purpose]} {e.status} ({e.source}
                  {e.recorded_by_name ? `, ${e.recorded_by_name}` : ""})
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
      )}
    </Panel>
  );
}

/** Erasure cannot be undone: the button only arms once the person's name is typed again. */
export function EraseContactDialog({
  contactId,
  name,
  opened,
  onClose,
  onErased,
}: {
  contactId: string;
  name: string;
  opened: boolean;
  onClose: () => void;
  onErased: (result: ErasureResult) => void;
}) {
  const [typed, setTyped] = useState("");
  const erase = useMutation({
    mutationFn: () => api<ErasureResult>(`/contacts/${contactId}/privacy-erase`, { method: "POST", body: { confirm_name: typed } }),
    onSuccess: onErased,
  });
  const matches = typed.trim().toLowerCase() === name.trim().toLowerCase();
  return (
    <ModalForm opened={opened} onClose={onClose} title={`Erase ${name}?`} onSubmit={() => matches && erase.mutate()}>
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
        This erases the person for good: the contact, their profiles on every network, notes, activities, votes and consent. Their messages
        stay as empty tombstones so conversations and counts hold. Posts of theirs ingested later are dropped. Older merges with them can no
        longer be undone. This cannot be undone.
      </Alert>
      <TextInput
        label={
          <>
            Type <bdi>{name}</bdi> to confirm
          </>
        }
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        data-autofocus
        autoComplete="off"
      />
      <FormError error={erase.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" color="red" disabled={!matches} loading={erase.isPending}>
          Erase permanently
        </Button>
      </Group>
    </ModalForm>
  );
}
