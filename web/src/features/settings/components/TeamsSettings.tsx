import {
  ActionIcon,
  Avatar,
  Button,
  EmptyState,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconPencil, IconPlus, IconTrash, IconUsersGroup } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { keys, memberLabel, useMembers, useTeams } from "../../../queries";
import type { Team } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";

export function TeamsSettings() {
  const teams = useTeams();
  const members = useMembers();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Team | "new" | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/teams/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setDeleting(null);
      client.invalidateQueries({ queryKey: keys.teams });
      client.invalidateQueries({ queryKey: keys.members });
    },
  });
  const nameOf = (id: string) => {
    const m = members.data?.find((u) => u.id === id);
    return m ? m.name || m.email : "Member";
  };
  const items = teams.data ?? [];

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            Teams
          </Title>
          <Text size="sm" c="dimmed">
            Teams are queues of people: Support, Sales, Product…
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing("new")}>
          New team
        </Button>
      </Group>
      {teams.isError ? (
        <LoadError error={teams.error} onRetry={() => teams.refetch()} />
      ) : items.length === 0 ? (
        teams.isPending ? (
          <Text size="sm" c="dimmed">
            Loading…
          </Text>
        ) : (
          <EmptyState
            py="lg"
            size="sm"
            icon={<IconUsersGroup size={24} />}
            variant="light"
            title="No teams yet"
            description="Create one to group people who share work."
          />
        )
      ) : (
        <Table aria-label="Teams">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Members</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((team) => (
              <Table.Tr key={team.id}>
                <Table.Td fz="sm" fw={500}>
                  {team.name}
                </Table.Td>
                <Table.Td fz="sm" c="dimmed">
                  {team.description}
                </Table.Td>
                <Table.Td>
                  {team.member_ids.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      Nobody yet
                    </Text>
                  ) : (
                    <Tooltip label={team.member_ids.map(nameOf).join(", ")} multiline maw={300}>
                      <Avatar.Group>
                        {team.member_ids.slice(0, 5).map((id) => (
                          <Avatar key={id} size="sm" radius="xl" name={nameOf(id)} color="initials" />
                        ))}
                        {team.member_ids.length > 5 && (
                          <Avatar size="sm" radius="xl">
                            +{team.member_ids.length - 5}
                          </Avatar>
                        )}
                      </Avatar.Group>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Edit team ${team.name}`} onClick={() => setEditing(team)}>
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" aria-label={`Delete team ${team.name}`} onClick={() => setDeleting(team)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "New team" : "Edit team"}>
        {editing !== null && <TeamForm team={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmDialog
        opened={!!deleting}
        title={`Delete team ${deleting?.name}?`}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        loading={remove.isPending}
        error={remove.error}
        confirmLabel="Delete team"
      >
        Its members stay in the workspace; only the team goes.
      </ConfirmDialog>
    </Paper>
  );
}

function TeamForm({ team, onDone }: { team?: Team; onDone: () => void }) {
  const client = useQueryClient();
  const members = useMembers();
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [memberIds, setMemberIds] = useState<string[]>(team?.member_ids ?? []);
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), description: description.trim() || null, member_ids: memberIds };
      return team ? api<Team>(`/teams/${team.id}`, { method: "PATCH", body }) : api<Team>("/teams", { method: "POST", body });
    },
    onSuccess: () => {
      client.invalidateQueries({ queryKey: keys.teams });
      client.invalidateQueries({ queryKey: keys.members });
      onDone();
    },
  });
  const errors = fieldErrors(save.error);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) save.mutate();
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="sm">
        <FormError error={save.error} shownFields={["name", "description", "member_ids"]} />
        <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
        />
        <MultiSelect
          label="Members"
          searchable
          data={(members.data ?? []).map((m) => ({ value: m.id, label: memberLabel(m) }))}
          value={memberIds}
          onChange={setMemberIds}
          error={errors.member_ids}
          nothingFoundMessage="No member with that name"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
            {team ? "Save team" : "Create team"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
