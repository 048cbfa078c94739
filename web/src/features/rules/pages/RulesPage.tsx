// Automation rules in evaluation order: enable, reorder, open to edit.
import { ActionIcon, Badge, Button, Group, Paper, Stack, Switch, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { type Rule, TRIGGER_LABELS } from "../types";

export const rulesKey = ["rules"] as const;

export function RulesPage() {
  const client = useQueryClient();
  const { canAdmin } = usePermissions();
  const rules = useQuery({ queryKey: rulesKey, queryFn: async () => (await api<{ data: Rule[] }>("/rules")).data });
  const onError = (error: unknown) =>
    notifications.show({ color: "red", title: "Could not change the rules", message: errorMessage(error) });
  const toggle = useMutation({
    mutationFn: (r: Rule) => api<Rule>(`/rules/${r.id}`, { method: "PATCH", body: { enabled: !r.enabled } }),
    onSuccess: () => client.invalidateQueries({ queryKey: rulesKey }),
    onError,
  });
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api<{ data: Rule[] }>("/rules:reorder", { method: "POST", body: { ids } }),
    onSuccess: (res) => client.setQueryData(rulesKey, res.data),
    onError,
  });

  if (rules.isError) return <LoadError error={rules.error} onRetry={() => rules.refetch()} title="Could not load the rules" />;
  const list = rules.data ?? [];
  const move = (i: number, d: number) => {
    const ids = list.map((r) => r.id);
    const [id] = ids.splice(i, 1);
    if (id) ids.splice(i + d, 0, id);
    reorder.mutate(ids);
  };

  return (
    <Stack gap="md">
      <PageHeader
        title="Automation rules"
        description="Rules run in this order on every message (and on the other triggers). Each message records which rules fired and why."
        actions={
          canAdmin && (
            <Button component={Link} to="/rules/new" leftSection={<IconPlus size={16} />}>
              New rule
            </Button>
          )
        }
      />
      <Paper withBorder radius="md">
        <Table verticalSpacing="sm" aria-label="Rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Order</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Actions</Table.Th>
              <Table.Th w={90}>Enabled</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r, i) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Group gap={2}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move ${r.name} up`}
                      disabled={!canAdmin || i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <IconArrowUp size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move ${r.name} down`}
                      disabled={!canAdmin || i === list.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <IconArrowDown size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text component={Link} to={`/rules/${r.id}`} fw={500} size="sm">
                    {r.name}
                  </Text>
                  {r.description && (
                    <Text size="xs" c="dimmed">
                      {r.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{TRIGGER_LABELS[r.trigger.type] ?? r.trigger.type}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {r.actions.map((a, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: actions are ordered
                      <Badge key={j} variant="light" size="sm">
                        {a.type}
                      </Badge>
                    ))}
                    {r.stop_processing && (
                      <Badge variant="outline" size="sm" color="gray">
                        stop
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={`Enable ${r.name}`} checked={r.enabled} disabled={!canAdmin} onChange={() => toggle.mutate(r)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
