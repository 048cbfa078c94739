import { Button, Code, Group, Select, Stack, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { AuditEvent } from "../../../../../src/contracts/audit";
import { api, apiUrl } from "../../../api";
import { formatDateTime } from "../../../format";
import { useMembers } from "../../../queries";
import type { Page } from "../../../types";
import { useCursorStack } from "../../../ui/CursorPager";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { PagedList } from "../../../ui/PagedList";

// Settings → Audit log (owners and admins): who did what to which record, when and from where.
// Every value here may hold strangers' text (contact names in summaries, user agents): React
// renders it as text.

const PAGE_SIZE = 50;

const ACTION_GROUPS = [
  { value: "session.", label: "Sign-in and sign-out" },
  { value: "member.", label: "Members and invitations" },
  { value: "api_key.", label: "API keys" },
  { value: "rule.", label: "Rules" },
  { value: "contact.", label: "Contacts (merge, undo, delete)" },
  { value: "import.", label: "Imports" },
  { value: "export.", label: "Exports" },
  { value: "store.", label: "Backups" },
];

const TARGET_TYPES = ["user", "invitation", "api_key", "rule", "contact", "organization", "case", "deal", "idea", "workspace", "store"];

function actorLabel(e: AuditEvent): string {
  if (e.actor === "cli") return "Command line";
  return e.actor_name ?? e.actor;
}

const columns: Array<DataColumn<AuditEvent>> = [
  { key: "at", header: "When", td: { fz: "sm", style: { whiteSpace: "nowrap" } }, cell: (e) => formatDateTime(e.at) },
  {
    key: "actor",
    header: "Who",
    td: { fz: "sm" },
    cell: (e) => (
      <Tooltip label={e.actor} openDelay={400}>
        <span>{actorLabel(e)}</span>
      </Tooltip>
    ),
  },
  { key: "action", header: "Action", cell: (e) => <Code>{e.action}</Code> },
  { key: "summary", header: "What", td: { fz: "sm" }, cell: (e) => e.summary },
  {
    key: "target",
    header: "Record",
    td: { fz: "xs", c: "dimmed" },
    cell: (e) => (e.target_id ? `${e.target_type} ${e.target_id.slice(0, 8)}` : e.target_type),
  },
  {
    key: "origin",
    header: "From",
    td: { fz: "xs", c: "dimmed" },
    cell: (e) =>
      e.ip || e.user_agent ? (
        <Tooltip label={e.user_agent ?? "no user agent"} openDelay={400} multiline maw={360}>
          <span>{e.ip ?? "—"}</span>
        </Tooltip>
      ) : (
        "—"
      ),
  },
];

export function AuditLogSettings() {
  const [action, setAction] = useState<string | null>(null);
  const [targetType, setTargetType] = useState<string | null>(null);
  const [actor, setActor] = useState<string | null>(null);
  const members = useMembers();
  const actorOptions = [
    ...(members.data ?? []).map((m) => ({ value: `user:${m.id}`, label: m.name || m.email })),
    { value: "cli", label: "Command line" },
  ];
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const filters = { action, target_type: targetType, actor, from, to };
  const pager = useCursorStack(JSON.stringify(filters));
  const entries = useQuery({
    queryKey: ["audit", filters, pager.cursor],
    queryFn: ({ signal }) => api<Page<AuditEvent>>("/audit", { query: { ...filters, cursor: pager.cursor, limit: PAGE_SIZE }, signal }),
    placeholderData: keepPreviousData,
  });
  const rows = entries.data?.data ?? [];

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Every sign-in, change of members, keys and rules, merge, deletion, import, export and backup, with who did it and from where.
      </Text>
      <Group align="end" gap="sm" wrap="wrap">
        <Select label="Action" placeholder="Any action" data={ACTION_GROUPS} value={action} onChange={setAction} clearable w={220} />
        <Select
          label="Record type"
          placeholder="Any record"
          data={TARGET_TYPES}
          value={targetType}
          onChange={setTargetType}
          clearable
          w={160}
        />
        <Select label="Who" placeholder="Anyone" data={actorOptions} value={actor} onChange={setActor} clearable searchable w={220} />
        <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={160} />
        <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={160} />
        <Button
          component="a"
          href={apiUrl("/audit", { ...filters, format: "csv" })}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
        >
          Export CSV
        </Button>
      </Group>
      <PagedList query={entries} pager={pager} pageSize={PAGE_SIZE} noun="entries" errorTitle="The audit log could not be loaded">
        <Table.ScrollContainer minWidth={800}>
          <DataTable
            label="Audit log"
            columns={columns}
            rows={rows}
            rowKey={(e) => e.id}
            empty={<Text c="dimmed">No entries match these filters.</Text>}
            verticalSpacing="xs"
          />
        </Table.ScrollContainer>
      </PagedList>
    </Stack>
  );
}
