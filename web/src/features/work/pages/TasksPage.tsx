import { Anchor, Button, Checkbox, EmptyState, Group, Paper, SegmentedControl, Stack, Switch, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChecklist } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { keys, useMembers } from "../../../queries";
import type { Activity, Page } from "../../../types";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";

export function TasksPage() {
  const me = useMe();
  const { canWrite } = usePermissions();
  const members = useMembers();
  const [scope, setScope] = useState<"mine" | "all">(me.user ? "mine" : "all");
  const [showDone, setShowDone] = useState(false);
  const assigneeId = scope === "mine" ? me.user?.id : undefined;
  const tasks = useInfiniteQuery({
    queryKey: [...keys.activities, "tasks", scope, showDone],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Page<Activity>>("/activities", {
        query: { type: "task", open: showDone ? undefined : true, assignee_id: assigneeId, cursor: pageParam, limit: 50 },
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = tasks.data?.pages.flatMap((p) => p.data) ?? [];
  const nameOf = (id: string | null) => {
    const m = id ? members.data?.find((u) => u.id === id) : undefined;
    return m ? m.name || m.email : "";
  };

  return (
    <>
      <PageHeader title="Tasks" description="Follow-ups on contacts and organizations" />
      <Group mb="md" gap="lg">
        <SegmentedControl
          aria-label="Whose tasks"
          value={scope}
          onChange={(v) => setScope(v as "mine" | "all")}
          data={[
            { value: "mine", label: "Assigned to me", disabled: !me.user },
            { value: "all", label: "Everyone's" },
          ]}
        />
        <Switch label="Show completed" checked={showDone} onChange={(e) => setShowDone(e.currentTarget.checked)} />
      </Group>
      {tasks.isError ? (
        <LoadError error={tasks.error} onRetry={() => tasks.refetch()} title="Could not load tasks" />
      ) : (
        <Paper withBorder radius="md">
          {tasks.isPending ? (
            <Text ta="center" c="dimmed" py="xl" size="sm">
              Loading tasks…
            </Text>
          ) : items.length === 0 ? (
            <EmptyState
              py={48}
              icon={<IconChecklist size={28} />}
              variant="light"
              title={showDone ? "No tasks" : "Nothing to do"}
              description="Add a task from a contact's or organization's timeline."
            />
          ) : (
            <Table aria-label="Tasks" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>Done</Table.Th>
                  <Table.Th>Task</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Assignee</Table.Th>
                  <Table.Th>About</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((task) => (
                  <TaskRow key={task.id} task={task} canWrite={canWrite} assignee={nameOf(task.assignee_id)} />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
      {tasks.hasNextPage && (
        <Stack align="center" mt="md">
          <Button variant="default" loading={tasks.isFetchingNextPage} onClick={() => tasks.fetchNextPage()}>
            Load more
          </Button>
        </Stack>
      )}
    </>
  );
}

function TaskRow({ task, canWrite, assignee }: { task: Activity; canWrite: boolean; assignee: string }) {
  const client = useQueryClient();
  const label = task.subject || task.body?.slice(0, 80) || "Task";
  const complete = useMutation({
    mutationFn: (completed: boolean) => api<Activity>(`/activities/${task.id}`, { method: "PATCH", body: { completed } }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: keys.activities });
      client.invalidateQueries({ queryKey: ["timeline"] });
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not update the task", message: errorMessage(error) }),
  });
  const overdue = !task.completed_at && task.due_at && dayjs(task.due_at).isBefore(dayjs());
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox
          aria-label={task.completed_at ? `Reopen task ${label}` : `Mark task ${label} done`}
          checked={!!task.completed_at}
          disabled={!canWrite || complete.isPending}
          onChange={(e) => complete.mutate(e.currentTarget.checked)}
        />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500} td={task.completed_at ? "line-through" : undefined}>
          {label}
        </Text>
        {task.subject && task.body && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {task.body}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={overdue ? "red" : undefined}>
          {formatDateTime(task.due_at)}
        </Text>
      </Table.Td>
      <Table.Td fz="sm">{assignee}</Table.Td>
      <Table.Td fz="sm">
        {task.contact_id ? (
          <Anchor component={Link} to={`/contacts/${task.contact_id}`} size="sm">
            Contact
          </Anchor>
        ) : task.organization_id ? (
          <Anchor component={Link} to={`/organizations/${task.organization_id}`} size="sm">
            Organization
          </Anchor>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}
