import { ActionIcon, Alert, Badge, Group, MultiSelect, ScrollArea, Select, SimpleGrid, Stack, TextInput, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconMailPlus, IconShieldOff, IconTrash, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, fieldErrors } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import { keys, useMembers, useTeams } from "../../../queries";
import type { Invitation, List, Member, Role } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { CopyField } from "../../../ui/CopyField";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";

const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  agent: "Agent",
  viewer: "Viewer",
};

export function roleOptions(includeOwner: boolean) {
  return (["owner", "admin", "manager", "agent", "viewer"] as Role[])
    .filter((r) => includeOwner || r !== "owner")
    .map((r) => ({ value: r, label: ROLE_LABELS[r] }));
}

export function UsersSettings() {
  return (
    <Stack gap="lg">
      <Members />
      <InviteForm />
      <PendingInvitations />
    </Stack>
  );
}

function Members() {
  const me = useMe();
  const { isOwner } = usePermissions();
  const client = useQueryClient();
  const members = useMembers();
  const teams = useTeams();
  const [_removing, _setRemoving] = useState<Member | null>(null);
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => api<Member>(`/users/${id}`, { method: "PATCH", body: { role } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members }),
    onError: (error) => notifications.show({ color: "red", title: "Could not change the role", message: errorMessage(error) }),
  });
  const removal = useConfirmed(
    (member: Member) => api<void>(`/users/${member.id}`, { method: "DELETE" }),
    () => {
      client.invalidateQueries({ queryKey: keys.members });
      client.invalidateQueries({ queryKey: keys.teams });
    },
  );
  const twoFactorReset = useConfirmed(
    (member: Member) => api<void>(`/users/${member.id}/two-factor/reset`, { method: "POST" }),
    () => {
      client.invalidateQueries({ queryKey: keys.members });
      notifications.show({ color: "green", message: "Two-factor sign-in reset: they sign in with their password and set it up again" });
    },
  );
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name;
  // Only an owner may touch another owner or make one.
  const locked = (m: Member) => m.id === me.user?.id || (m.role === "owner" && !isOwner);
  const columns: Array<DataColumn<Member>> = [
    {
      key: "name",
      header: "Name",
      td: { fz: "sm", fw: 500 },
      cell: (m) => (
        <>
          {m.name}{" "}
          {m.id === me.user?.id && (
            <Badge size="xs" variant="light">
              you
            </Badge>
          )}{" "}
          {m.two_factor && (
            <Badge size="xs" variant="light" color="green">
              2FA
            </Badge>
          )}
        </>
      ),
    },
    { key: "email", header: "Email", td: { fz: "sm" }, cell: (m) => m.email },
    {
      key: "role",
      header: "Role",
      th: { w: 170 },
      cell: (m) => (
        <Select
          size="xs"
          aria-label={`Role of ${m.name || m.email}`}
          data={roleOptions(isOwner || m.role === "owner")}
          value={m.role}
          allowDeselect={false}
          disabled={locked(m) || changeRole.isPending}
          onChange={(role) => role && role !== m.role && changeRole.mutate({ id: m.id, role: role as Role })}
        />
      ),
    },
    {
      key: "teams",
      header: "Teams",
      cell: (m) => (
        <Group gap={4}>
          {m.team_ids.map((id) => (
            <Badge key={id} size="sm" variant="light" color="gray" radius="sm" tt="none">
              {teamName(id) ?? "…"}
            </Badge>
          ))}
        </Group>
      ),
    },
    { key: "joined", header: "Joined", td: { fz: "sm" }, cell: (m) => formatDate(m.created_at) },
    {
      key: "actions",
      th: { w: 80 },
      cell: (m) =>
        !locked(m) && (
          <Group gap={4} wrap="nowrap">
            {m.two_factor && (
              <Tooltip label="Reset two-factor sign-in (lost phone)">
                <ActionIcon
                  variant="subtle"
                  color="orange"
                  aria-label={`Reset two-factor sign-in of ${m.name || m.email}`}
                  onClick={() => twoFactorReset.ask(m)}
                >
                  <IconShieldOff size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label="Remove from workspace">
              <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.name || m.email}`} onClick={() => removal.ask(m)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ),
    },
  ];

  return (
    <SettingsSection title="Members">
      {members.isError ? (
        <LoadError error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <ScrollArea type="auto">
          <DataTable label="Members" miw={640} columns={columns} rows={members.data ?? []} rowKey={(m) => m.id} />
        </ScrollArea>
      )}
      <ConfirmDialog {...removal.dialog} title={`Remove ${removal.target?.name || removal.target?.email}?`} confirmLabel="Remove member">
        They lose access to this workspace at once. Records they own stay, without an owner.
      </ConfirmDialog>
      <ConfirmDialog
        {...twoFactorReset.dialog}
        title={`Reset two-factor sign-in of ${twoFactorReset.target?.name || twoFactorReset.target?.email}?`}
        confirmLabel="Reset"
      >
        For someone who lost their phone and recovery codes: their second factor is removed and all their sessions end. They sign in with
        their password and set it up again.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function InviteForm() {
  const client = useQueryClient();
  const { isOwner } = usePermissions();
  const teams = useTeams();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      api<{ id: string; token: string; email: string; role: Role }>("/invitations", {
        method: "POST",
        body: { email: email.trim(), role, ...(teamIds.length ? { team_ids: teamIds } : {}) },
      }),
    onSuccess: (created) => {
      setLink({ email: created.email, url: `${window.location.origin}/invite/${encodeURIComponent(created.token)}` });
      setEmail("");
      setTeamIds([]);
      client.invalidateQueries({ queryKey: keys.invitations });
    },
  });
  const errors = fieldErrors(invite.error);

  function handleSubmit() {
    if (email.trim()) invite.mutate();
  }

  return (
    <SettingsSection
      title="Invite someone"
      description="Parley creates an invitation link for you to send. It works once, for the email you enter."
    >
      <StackForm onSubmit={handleSubmit} gap="sm">
        <FormError error={invite.error} shownFields={["email", "role", "team_ids"]} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Email" type="email" required {...textField(email, setEmail)} error={errors.email} />
          <Select
            label="Role"
            data={roleOptions(isOwner)}
            value={role}
            allowDeselect={false}
            onChange={(v) => v && setRole(v as Role)}
            error={errors.role}
          />
          <MultiSelect
            label="Teams"
            placeholder={teams.data?.length ? "Optional" : "No teams yet"}
            data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={teamIds}
            onChange={setTeamIds}
            error={errors.team_ids}
          />
        </SimpleGrid>
        <FormActions
          submitLabel="Create invitation"
          leftSection={<IconMailPlus size={16} />}
          loading={invite.isPending}
          disabled={!email.trim()}
        />
        {link && (
          <Alert color="green" title={`Invitation for ${link.email} created`} withCloseButton onClose={() => setLink(null)}>
            <CopyField label="Invitation link" value={link.url} description="Send this link to them; it expires after a while." />
          </Alert>
        )}
      </StackForm>
    </SettingsSection>
  );
}

function PendingInvitations() {
  const client = useQueryClient();
  const invitations = useQuery({
    queryKey: keys.invitations,
    queryFn: async () => (await api<List<Invitation>>("/invitations")).data,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api<void>(`/invitations/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invitations }),
    onError: (error) => notifications.show({ color: "red", title: "Could not cancel the invitation", message: errorMessage(error) }),
  });
  const items = invitations.data ?? [];
  const columns: Array<DataColumn<Invitation>> = [
    { key: "email", header: "Email", td: { fz: "sm" }, cell: (inv) => inv.email },
    { key: "role", header: "Role", td: { fz: "sm" }, cell: (inv) => ROLE_LABELS[inv.role] ?? inv.role },
    { key: "sent", header: "Sent", td: { fz: "sm" }, cell: (inv) => formatDate(inv.created_at) },
    { key: "expires", header: "Expires", td: { fz: "sm" }, cell: (inv) => formatDate(inv.expires_at) },
    {
      key: "actions",
      th: { w: 50 },
      cell: (inv) => (
        <Tooltip label="Cancel invitation">
          <ActionIcon variant="subtle" color="red" aria-label={`Cancel invitation for ${inv.email}`} onClick={() => cancel.mutate(inv.id)}>
            <IconX size={16} />
          </ActionIcon>
        </Tooltip>
      ),
    },
  ];
  return (
    <SettingsSection title="Pending invitations">
      <QueryState query={invitations} items={items} empty="No pending invitations.">
        <DataTable label="Pending invitations" columns={columns} rows={items} rowKey={(inv) => inv.id} />
      </QueryState>
    </SettingsSection>
  );
}
