import {
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../../../api";
import { useTeams } from "../../../queries";
import type { List } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { ModalForm } from "../../../ui/ModalForm";
import { formatMinutes, priorityLabel } from "../../work/components/labels";
import { type BusinessCalendar, CASE_PRIORITIES, type CasePriority, type SlaPolicy, type SlaTarget } from "../../work/types";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
type DayHours = { on: boolean; start: string; end: string };
type Draft = {
  id?: string;
  name: string;
  is_default: boolean;
  priorities: CasePriority[];
  team_ids: string[];
  targets: Record<CasePriority, SlaTarget>;
  allDay: boolean;
  timezone: string;
  days: DayHours[];
  holidays: string[];
  warn_before_minutes: number;
};

function draftOf(p?: SlaPolicy): Draft {
  const cal = p?.calendar;
  const days: DayHours[] = DAYS.map((_, day) => {
    const h = cal?.hours.find((x) => x.day === day);
    return h ? { on: true, start: h.start, end: h.end } : { on: !cal && day >= 1 && day <= 5, start: "09:00", end: "17:00" };
  });
  const blank = { first_response_minutes: 480, resolution_minutes: 2880 };
  return {
    id: p?.id,
    name: p?.name ?? "",
    is_default: p?.is_default ?? false,
    priorities: p?.priorities ?? [],
    team_ids: p?.team_ids ?? [],
    targets: p?.targets ?? { low: blank, normal: blank, high: blank, urgent: blank },
    allDay: p ? !p.calendar : false,
    timezone: cal?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
    days,
    holidays: cal?.holidays ?? [],
    warn_before_minutes: p?.warn_before_minutes ?? 30,
  };
}

function bodyOf(d: Draft) {
  const calendar: BusinessCalendar | null = d.allDay
    ? null
    : {
        timezone: d.timezone,
        hours: d.days.flatMap((h, day) => (h.on ? [{ day, start: h.start, end: h.end }] : [])),
        holidays: d.holidays,
      };
  return {
    name: d.name,
    is_default: d.is_default,
    priorities: d.priorities,
    team_ids: d.team_ids,
    targets: d.targets,
    calendar,
    warn_before_minutes: d.warn_before_minutes,
  };
}

/** SLA policies: targets per priority and the business hours they count in. */
export function SlaPoliciesSettings() {
  const client = useQueryClient();
  const policies = useQuery({ queryKey: ["sla-policies"], queryFn: () => api<List<SlaPolicy>>("/sla-policies") });
  const [editing, setEditing] = useState<Draft | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api(`/sla-policies/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["sla-policies"] }),
  });
  if (policies.isError) return <LoadError error={policies.error} onRetry={() => policies.refetch()} title="Could not load SLA policies" />;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          A case gets the first policy matching its priority and team, else the default. Timers pause while a case waits for the customer.
        </Text>
        <NewButton onClick={() => setEditing(draftOf())}>New policy</NewButton>
      </Group>
      <Paper withBorder radius="md">
        <DataTable
          label="SLA policies"
          rows={policies.data?.data ?? []}
          rowKey={(p) => p.id}
          columns={[
            {
              key: "policy",
              header: "Policy",
              cell: (p) => (
                <Group gap={6}>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  {p.is_default && (
                    <Badge miw="max-content" size="xs">
                      default
                    </Badge>
                  )}
                </Group>
              ),
            },
            {
              key: "applies",
              header: "Applies to",
              td: { fz: "sm" },
              cell: (p) => (p.is_default ? "everything else" : p.priorities.map((x) => priorityLabel[x]).join(", ") || "any priority"),
            },
            {
              key: "targets",
              header: "Urgent · High · Normal · Low (first response)",
              td: { fz: "sm" },
              cell: (p) =>
                (["urgent", "high", "normal", "low"] as const)
                  .map((x) => (p.targets[x]?.first_response_minutes ? formatMinutes(p.targets[x].first_response_minutes ?? 0) : "—"))
                  .join(" · "),
            },
            {
              key: "hours",
              header: "Hours",
              td: { fz: "sm" },
              cell: (p) => (p.calendar ? `${p.calendar.timezone}, ${p.calendar.hours.length} intervals` : "24×7"),
            },
            {
              key: "actions",
              cell: (p) => (
                <Group gap="xs" justify="flex-end">
                  <Button size="xs" variant="default" onClick={() => setEditing(draftOf(p))}>
                    Edit
                  </Button>
                  {!p.is_default && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(p.id)} loading={remove.isPending}>
                      Delete
                    </Button>
                  )}
                </Group>
              ),
            },
          ]}
        />
      </Paper>
      <FormError error={remove.error} />
      {editing && <PolicyModal draft={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function PolicyModal({ draft, onClose }: { draft: Draft; onClose: () => void }) {
  const client = useQueryClient();
  const teams = useTeams();
  const [d, setD] = useState(draft);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      d.id ? api(`/sla-policies/${d.id}`, { method: "PATCH", body: bodyOf(d) }) : api("/sla-policies", { method: "POST", body: bodyOf(d) }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["sla-policies"] });
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const setTarget = (p: CasePriority, key: keyof SlaTarget, value: number | string) =>
    set({ targets: { ...d.targets, [p]: { ...d.targets[p], [key]: value === "" ? null : Math.round(Number(value) * 60) } } });
  return (
    <ModalForm opened onClose={onClose} title={d.id ? `Edit ${draft.name}` : "New SLA policy"} size="lg" onSubmit={() => save.mutate()}>
      <TextInput label="Name" required value={d.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} />
      <Switch
        label="Default policy"
        checked={d.is_default}
        disabled={draft.is_default}
        onChange={(e) => set({ is_default: e.currentTarget.checked })}
      />
      {!d.is_default && (
        <Group grow>
          <MultiSelect
            label="Applies to priorities"
            placeholder="any"
            data={CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
            value={d.priorities}
            onChange={(v) => set({ priorities: v as CasePriority[] })}
          />
          <MultiSelect
            label="…and teams"
            placeholder="any"
            data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={d.team_ids}
            onChange={(v) => set({ team_ids: v })}
          />
        </Group>
      )}
      <Table aria-label="Targets in hours">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Priority</Table.Th>
            <Table.Th>First response (hours)</Table.Th>
            <Table.Th>Resolution (hours)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {CASE_PRIORITIES.map((p) => (
            <Table.Tr key={p}>
              <Table.Td>{priorityLabel[p]}</Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`${priorityLabel[p]} first response hours`}
                  min={0}
                  decimalScale={2}
                  value={d.targets[p].first_response_minutes === null ? "" : d.targets[p].first_response_minutes / 60}
                  onChange={(v) => setTarget(p, "first_response_minutes", v)}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`${priorityLabel[p]} resolution hours`}
                  min={0}
                  decimalScale={2}
                  value={d.targets[p].resolution_minutes === null ? "" : d.targets[p].resolution_minutes / 60}
                  onChange={(v) => setTarget(p, "resolution_minutes", v)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <NumberInput
        label="Warn before a breach (minutes)"
        min={0}
        value={d.warn_before_minutes}
        onChange={(v) => set({ warn_before_minutes: Number(v) || 0 })}
        w={260}
      />
      <Switch label="Around the clock (24×7)" checked={d.allDay} onChange={(e) => set({ allDay: e.currentTarget.checked })} />
      {!d.allDay && (
        <>
          <TextInput
            label="Time zone"
            description="IANA name, e.g. Europe/Berlin"
            value={d.timezone}
            onChange={(e) => set({ timezone: e.currentTarget.value })}
            error={errors["calendar.timezone"]}
          />
          <Stack gap={6} aria-label="Business hours">
            {DAYS.map((name, day) => {
              const h = d.days[day];
              const setDay = (patch: Partial<DayHours>) => set({ days: d.days.map((x, i) => (i === day ? { ...x, ...patch } : x)) });
              return (
                <Group key={name} gap="sm" wrap="nowrap">
                  <Checkbox label={name} w={120} checked={h.on} onChange={(e) => setDay({ on: e.currentTarget.checked })} />
                  <TextInput
                    aria-label={`${name} opens`}
                    type="time"
                    value={h.start}
                    disabled={!h.on}
                    onChange={(e) => setDay({ start: e.currentTarget.value })}
                  />
                  <Text size="sm">to</Text>
                  <TextInput
                    aria-label={`${name} closes`}
                    type="time"
                    value={h.end}
                    disabled={!h.on}
                    onChange={(e) => setDay({ end: e.currentTarget.value })}
                  />
                </Group>
              );
            })}
            <Text size="xs" c="dimmed">
              A closing time before the opening time runs overnight.
            </Text>
          </Stack>
          <TagsInput
            label="Holidays"
            description="Dates as YYYY-MM-DD; press Enter after each"
            value={d.holidays}
            onChange={(v) => set({ holidays: v })}
          />
        </>
      )}
      <FormError error={save.error} shownFields={["name", "calendar.timezone"]} />
      <FormActions onCancel={onClose} submitLabel="Save policy" loading={save.isPending} />
    </ModalForm>
  );
}
