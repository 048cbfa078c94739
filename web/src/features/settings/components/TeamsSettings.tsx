import { Avatar, EmptyState, Modal, MultiSelect, Text, Textarea, TextInput, Tooltip } from "@mantine/core";
import { IconUsersGroup } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../../../api";
import { keys, memberLabel, useMembers, useTeams } from "../../../queries";
import type { Team } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { RowActions } from "../../../ui/RowActions";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";

export function TeamsSettings() {
  const teams = useTeams();
  const members = useMembers();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Team | "new" | null>(null);
  const deletion = useConfirmed(
    (team: Team) => api<void>(`/teams/${team.id}`, { method: "DELETE" }),
    () => {
      client.invalidateQueries({ queryKey: keys.teams });
      client.invalidateQueries({ queryKey: keys.members });
    },
  );
  const nameOf = (id: string) => {
    const m = members.data?.find((u) => u.id === id);
    return m ? m.name || m.email : "Member";
  };
  const items = teams.data ?? [];
  const columns: Array<DataColumn<Team>> = [
    { key: "name", header: "Name", td: { fz: "sm", fw: 500 }, cell: (team) => team.name },
    { key: "description", header: "Description", td: { fz: "sm", c: "dimmed" }, cell: (team) => team.description },
    {
      key: "members",
      header: "Members",
      cell: (team) =>
        team.member_ids.length === 0 ? (
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
        ),
    },
    {
      key: "actions",
      th: { w: 90 },
      cell: (team) => (
        <RowActions
          editLabel={`Edit team ${team.name}`}
          onEdit={() => setEditing(team)}
          deleteLabel={`Delete team ${team.name}`}
          onDelete={() => deletion.ask(team)}
        />
      ),
    },
  ];

  return (
    <SettingsSection
      title="Teams"
      description="Teams are queues of people: Support, Sales, Product…"
      actions={<NewButton onClick={() => setEditing("new")}>New team</NewButton>}
    >
      <QueryState
        query={teams}
        items={items}
        empty={
          <EmptyState
            py="lg"
            size="sm"
            icon={<IconUsersGroup size={24} />}
            variant="light"
            title="No teams yet"
            description="Create one to group people who share work."
          />
        }
      >
        <DataTable label="Teams" columns={columns} rows={items} rowKey={(team) => team.id} />
      </QueryState>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "New team" : "Edit team"}>
        {editing !== null && <TeamForm team={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmDialog {...deletion.dialog} title={`Delete team ${deletion.target?.name}?`} confirmLabel="Delete team">
        Its members stay in the workspace; only the team goes.
      </ConfirmDialog>
    </SettingsSection>
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

  function handleSubmit() {
    if (name.trim()) save.mutate();
  }

  return (
    <StackForm onSubmit={handleSubmit} gap="sm">
      <FormError error={save.error} shownFields={["name", "description", "member_ids"]} />
      <TextInput label="Name" required data-autofocus {...textField(name, setName)} error={errors.name} />
      <Textarea label="Description" autosize minRows={2} {...textField(description, setDescription)} error={errors.description} />
      <MultiSelect
        label="Members"
        searchable
        data={(members.data ?? []).map((m) => ({ value: m.id, label: memberLabel(m) }))}
        value={memberIds}
        onChange={setMemberIds}
        error={errors.member_ids}
        nothingFoundMessage="No member with that name"
      />
      <FormActions onCancel={onDone} submitLabel={team ? "Save team" : "Create team"} loading={save.isPending} disabled={!name.trim()} />
    </StackForm>
  );
}
