import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconMailPlus, IconTrash, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import { keys, useMembers, useTeams } from "../../../queries";
import type { Invitation, List, Member, Role } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { CopyField } from "../../../ui/CopyField";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";

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
  const [removing, setRemoving] = useState<Member | null>(null);
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => api<Member>(`/users/${id}`, { method: "PATCH", body: { role } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members }),
    onError: (error) => notifications.show({ color: "red", title: "Could not change the role", message: errorMessage(error) }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/users/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRemoving(null);
      client.invalidateQueries({ queryKey: keys.members });
      client.invalidateQueries({ queryKey: keys.teams });
    },
  });
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name;

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        Members
      </Title>
      {members.isError ? (
        <LoadError error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <ScrollArea type="auto">
          <Table aria-label="Members" miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th w={170}>Role</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th>Joined</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(members.data ?? []).map((m) => {
                const self = m.id === me.user?.id;
                // Only an owner may touch another owner or make one.
                const locked = self || (m.role === "owner" && !isOwner);
                return (
                  <Table.Tr key={m.id}>
                    <Table.Td fz="sm" fw={500}>
                      {m.name}{" "}
                      {self && (
                        <Badge size="xs" variant="light">
                          you
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td fz="sm">{m.email}</Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={`Role of ${m.name || m.email}`}
                        data={roleOptions(isOwner || m.role === "owner")}
                        value={m.role}
                        allowDeselect={false}
                        disabled={locked || changeRole.isPending}
                        onChange={(role) => role && role !== m.role && changeRole.mutate({ id: m.id, role: role as Role })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {m.team_ids.map((id) => (
                          <Badge key={id} size="sm" variant="light" color="gray" radius="sm" tt="none">
                            {teamName(id) ?? "…"}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td fz="sm">{formatDate(m.created_at)}</Table.Td>
                    <Table.Td>
                      {!locked && (
                        <Tooltip label="Remove from workspace">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${m.name || m.email}`}
                            onClick={() => setRemoving(m)}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <ConfirmDialog
        opened={!!removing}
        title={`Remove ${removing?.name || removing?.email}?`}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing.id)}
        loading={remove.isPending}
        error={remove.error}
        confirmLabel="Remove member"
      >
        They lose access to this workspace at once. Records they own stay, without an owner.
      </ConfirmDialog>
    </Paper>
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

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (email.trim()) invite.mutate();
  }

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4">
        Invite someone
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Parley creates an invitation link for you to send. It works once, for the email you enter.
      </Text>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="sm">
          <FormError error={invite.error} shownFields={["email", "role", "team_ids"]} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errors.email}
            />
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
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconMailPlus size={16} />} loading={invite.isPending} disabled={!email.trim()}>
              Create invitation
            </Button>
          </Group>
          {link && (
            <Alert color="green" title={`Invitation for ${link.email} created`} withCloseButton onClose={() => setLink(null)}>
              <CopyField label="Invitation link" value={link.url} description="Send this link to them; it expires after a while." />
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
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
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        Pending invitations
      </Title>
      {invitations.isError ? (
        <LoadError error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {invitations.isPending ? "Loading…" : "No pending invitations."}
        </Text>
      ) : (
        <Table aria-label="Pending invitations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th w={50} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((inv) => (
              <Table.Tr key={inv.id}>
                <Table.Td fz="sm">{inv.email}</Table.Td>
                <Table.Td fz="sm">{ROLE_LABELS[inv.role] ?? inv.role}</Table.Td>
                <Table.Td fz="sm">{formatDate(inv.created_at)}</Table.Td>
                <Table.Td fz="sm">{formatDate(inv.expires_at)}</Table.Td>
                <Table.Td>
                  <Tooltip label="Cancel invitation">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Cancel invitation for ${inv.email}`}
                      onClick={() => cancel.mutate(inv.id)}
                    >
                      <IconX size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
