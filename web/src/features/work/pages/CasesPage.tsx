import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { useTeams } from "../../../queries";
import type { Page } from "../../../types";
import { CursorPager, useCursorStack } from "../../../ui/CursorPager";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { MemberSelect } from "../../contacts/components/pickers";
import { caseStatusColor, caseStatusLabel, priorityColor, priorityLabel } from "../components/labels";
import { SlaBadge } from "../components/SlaBadge";
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
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Cases"
        description="Tickets with an owner and a service level"
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={creation.open}>
              New case
            </Button>
          )
        }
      />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Subject or #number"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={220}
        />
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
      {cases.isError ? (
        <LoadError error={cases.error} onRetry={() => cases.refetch()} title="Could not load cases" />
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="Cases" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>#</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>Assignee</Table.Th>
                <Table.Th>SLA</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(cases.data?.data ?? []).map((c) => (
                <Table.Tr key={c.id} data-testid="case-row">
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      #{c.number}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${c.id}`} size="sm" fw={500}>
                      {c.subject}
                    </Anchor>
                    {c.contact_name && (
                      <Text size="xs" c="dimmed">
                        {c.contact_name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge miw="max-content" color={caseStatusColor[c.status]} variant="light">
                      {caseStatusLabel[c.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge miw="max-content" color={priorityColor[c.priority]} variant="dot">
                      {priorityLabel[c.priority]}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">
                    {c.assignee_name ??
                      (c.team_name ? (
                        <Text size="sm" c="dimmed">
                          {c.team_name}
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Unassigned
                        </Text>
                      ))}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      {c.sla.first_response?.state !== "met" && <SlaBadge timer={c.sla.first_response} kind="first_response" now={now} />}
                      {c.sla.first_response?.state === "met" && <SlaBadge timer={c.sla.resolution} kind="resolution" now={now} />}
                    </Stack>
                  </Table.Td>
                  <Table.Td fz="sm">{formatDateTime(c.created_at)}</Table.Td>
                </Table.Tr>
              ))}
              {cases.data && cases.data.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text ta="center" c="dimmed" py="lg" size="sm">
                      No cases match these filters
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <CursorPager
        pageIndex={pager.pageIndex}
        pageSize={PAGE}
        count={cases.data?.data.length ?? 0}
        total={null}
        nextCursor={cases.data?.next_cursor}
        onNext={pager.next}
        onPrevious={pager.previous}
        noun="cases"
        loading={cases.isPlaceholderData}
      />
      <NewCaseModal opened={creating} onClose={creation.close} />
    </>
  );
}

function NewCaseModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const teams = useTeams();
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<CasePriority>("normal");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<CaseItem>("/cases", {
        method: "POST",
        body: { subject, description: description || null, priority, team_id: teamId, assignee_id: assigneeId },
      }),
    onSuccess: (c) => {
      client.invalidateQueries({ queryKey: ["cases"] });
      onClose();
      navigate(`/cases/${c.id}`);
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Modal opened={opened} onClose={onClose} title="New case">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label="Subject"
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
            data-autofocus
          />
          <Textarea label="Description" autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
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
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create case
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
