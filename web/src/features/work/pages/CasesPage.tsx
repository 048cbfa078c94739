import { Anchor, Group, MultiSelect, Select, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { useTeams } from "../../../queries";
import type { Page } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { useCursorStack } from "../../../ui/CursorPager";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { ModalForm } from "../../../ui/ModalForm";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { MemberSelect } from "../../contacts/components/pickers";
import { CaseStatusBadge, PriorityBadge } from "../components/badges";
import { caseStatusLabel, priorityLabel } from "../components/labels";
import { SlaBadge } from "../components/SlaBadge";
import { useCreateWorkItem } from "../queries";
import { CASE_PRIORITIES, CASE_STATUSES, type CaseItem, type CasePriority } from "../types";

const PAGE = 50;
const OPEN_STATUSES = ["new", "open", "pending_customer", "on_hold"];

export function CasesPage() {
  const me = useMe();
  const { canWrite } = usePermissions();
  const teams = useTeams();
  const [status, setStatus] = useState<string[]>(OPEN_STATUSES);
  const [priority, setPriority] = useState<string[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [mine, setMine] = useState(false);
  const [breached, setBreached] = useState(false);
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 300);
  const [creating, creation] = useDisclosure(false);
  const filters = {
    status: status.join(","),
    priority: priority.join(","),
    team_id: teamId,
    assignee_id: mine ? "me" : undefined,
    breached: breached ? true : undefined,
    q,
  };
  const pager = useCursorStack(JSON.stringify(filters));
  const cases = useQuery({
    queryKey: ["cases", filters, pager.cursor],
    queryFn: () => api<Page<CaseItem>>("/cases", { query: { ...filters, cursor: pager.cursor, limit: PAGE } }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader
        title="Cases"
        description="Tickets with an owner and a service level"
        actions={canWrite && <NewButton onClick={creation.open}>New case</NewButton>}
      />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder="Subject or #number" {...textField(search, setSearch)} w={220} />
        <MultiSelect
          label="Status"
          data={CASE_STATUSES.map((s) => ({ value: s, label: caseStatusLabel[s] }))}
          value={status}
          onChange={setStatus}
          clearable
          w={300}
        />
        <MultiSelect
          label="Priority"
          data={CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
          value={priority}
          onChange={setPriority}
          clearable
          w={200}
        />
        <Select
          label="Team"
          data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={teamId}
          onChange={setTeamId}
          clearable
          w={180}
        />
        <Switch label="Mine" checked={mine} disabled={!me.user} onChange={(e) => setMine(e.currentTarget.checked)} mb={8} />
        <Switch label="Breached" checked={breached} onChange={(e) => setBreached(e.currentTarget.checked)} mb={8} />
      </Group>
      <PagedList query={cases} pager={pager} pageSize={PAGE} noun="cases" errorTitle="Could not load cases">
        <DataTable
          label="Cases"
          highlightOnHover
          columns={caseColumns(Date.now())}
          rows={cases.data?.data ?? []}
          rowKey={(c) => c.id}
          rowProps={() => ({ "data-testid": "case-row" })}
          empty={cases.data ? "No cases match these filters" : undefined}
        />
      </PagedList>
      <NewCaseModal opened={creating} onClose={creation.close} />
    </>
  );
}

function caseColumns(now: number): Array<DataColumn<CaseItem>> {
  return [
    {
      key: "number",
      header: "#",
      th: { w: 80 },
      cell: (c) => (
        <Text size="sm" c="dimmed">
          #{c.number}
        </Text>
      ),
    },
    {
      key: "subject",
      header: "Subject",
      cell: (c) => (
        <>
          <Anchor component={Link} to={`/cases/${c.id}`} size="sm" fw={500}>
            {c.subject}
          </Anchor>
          {c.contact_name && (
            <Text size="xs" c="dimmed">
              {c.contact_name}
            </Text>
          )}
        </>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (c) => <CaseStatusBadge status={c.status} />,
    },
    {
      key: "priority",
      header: "Priority",
      cell: (c) => <PriorityBadge priority={c.priority} />,
    },
    {
      key: "assignee",
      header: "Assignee",
      td: { fz: "sm" },
      cell: (c) =>
        c.assignee_name ?? (
          <Text size="sm" c="dimmed">
            {c.team_name ?? "Unassigned"}
          </Text>
        ),
    },
    {
      key: "sla",
      header: "SLA",
      cell: (c) => (
        <Stack gap={4} align="flex-start">
          {c.sla.first_response?.state !== "met" && <SlaBadge timer={c.sla.first_response} kind="first_response" now={now} />}
          {c.sla.first_response?.state === "met" && <SlaBadge timer={c.sla.resolution} kind="resolution" now={now} />}
        </Stack>
      ),
    },
    { key: "created", header: "Created", td: { fz: "sm" }, cell: (c) => formatDateTime(c.created_at) },
  ];
}

function NewCaseModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const teams = useTeams();
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<CasePriority>("normal");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const create = useCreateWorkItem<CaseItem>(
    "cases",
    () => ({ subject, description: description || null, priority, team_id: teamId, assignee_id: assigneeId }),
    onClose,
  );
  const errors = fieldErrors(create.error);
  return (
    <ModalForm opened={opened} onClose={onClose} title="New case" onSubmit={() => create.mutate()}>
      <TextInput label="Subject" required {...textField(subject, setSubject)} error={errors.subject} data-autofocus />
      <Textarea label="Description" autosize minRows={3} {...textField(description, setDescription)} />
      <Select
        label="Priority"
        data={CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
        value={priority}
        onChange={(v) => v && setPriority(v as CasePriority)}
        allowDeselect={false}
      />
      <Select
        label="Team"
        data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
        value={teamId}
        onChange={setTeamId}
        clearable
        error={errors.team_id}
      />
      <MemberSelect label="Assignee" value={assigneeId} onChange={setAssigneeId} error={errors.assignee_id} />
      <FormError error={create.error} shownFields={["subject", "team_id", "assignee_id"]} />
      <FormActions onCancel={onClose} submitLabel="Create case" loading={create.isPending} />
    </ModalForm>
  );
}
