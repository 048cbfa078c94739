import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconAlertTriangle, IconKey, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { formatDate, formatDateTime } from "../../../format";
import { keys } from "../../../queries";
import type { ApiKey, List, Role } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { CopyField } from "../../../ui/CopyField";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { roleOptions } from "./UsersSettings";

type CreatedKey = ApiKey & { secret: string };

export function ApiKeysSettings() {
  const client = useQueryClient();
  const apiKeys = useQuery({
    queryKey: keys.apiKeys,
    queryFn: async () => (await api<List<ApiKey>>("/api-keys")).data,
  });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      client.invalidateQueries({ queryKey: keys.apiKeys });
    },
  });
  const items = apiKeys.data ?? [];

  return (
    <Stack gap="lg">
      <CreateKeyForm onCreated={setCreated} />
      <Paper withBorder p="lg" radius="md">
        <Title order={2} size="h4" mb="md">
          API keys
        </Title>
        {apiKeys.isError ? (
          <LoadError error={apiKeys.error} onRetry={() => apiKeys.refetch()} />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {apiKeys.isPending ? "Loading…" : "No API keys yet. Create one to call the REST API from scripts and other tools."}
          </Text>
        ) : (
          <Table aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((key) => (
                <Table.Tr key={key.id} c={key.revoked_at ? "dimmed" : undefined}>
                  <Table.Td fz="sm" fw={500}>
                    {key.name}{" "}
                    {key.revoked_at && (
                      <Badge size="xs" color="red" variant="light">
                        revoked {formatDate(key.revoked_at)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}…</Code>
                  </Table.Td>
                  <Table.Td fz="sm">{key.role}</Table.Td>
                  <Table.Td fz="sm">{formatDate(key.created_at)}</Table.Td>
                  <Table.Td fz="sm">{key.last_used_at ? formatDateTime(key.last_used_at) : "Never"}</Table.Td>
                  <Table.Td>
                    {!key.revoked_at && (
                      <Tooltip label="Revoke">
                        <ActionIcon variant="subtle" color="red" aria-label={`Revoke API key ${key.name}`} onClick={() => setRevoking(key)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Modal opened={!!created} onClose={() => setCreated(null)} title="Your new API key" size="lg" closeOnClickOutside={false}>
        {created && (
          <Stack>
            <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy it now">
              This is the only time the secret is shown. Store it somewhere safe; if it is lost, revoke the key and create a new one.
            </Alert>
            <CopyField label="Secret" value={created.secret} description={`${created.name} · ${created.role}`} />
            <Text size="sm" c="dimmed">
              Send it as <Code>Authorization: Bearer &lt;secret&gt;</Code>.
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog
        opened={!!revoking}
        title={`Revoke ${revoking?.name}?`}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        loading={revoke.isPending}
        error={revoke.error}
        confirmLabel="Revoke key"
      >
        Anything using this key stops working at once.
      </ConfirmDialog>
    </Stack>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const create = useMutation({
    mutationFn: () => api<CreatedKey>("/api-keys", { method: "POST", body: { name: name.trim(), role } }),
    onSuccess: (key) => {
      setName("");
      client.invalidateQueries({ queryKey: keys.apiKeys });
      onCreated(key);
    },
  });
  const errors = fieldErrors(create.error);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate();
  }

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4">
        Create an API key
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        A key acts with the role you give it, on this workspace only.
      </Text>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="sm">
          <FormError error={create.error} shownFields={["name", "role"]} />
          <Group align="flex-start" grow>
            <TextInput
              label="Name"
              placeholder="e.g. Zapier sync"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
            />
            <Select
              label="Role"
              data={roleOptions(false)}
              value={role}
              allowDeselect={false}
              onChange={(v) => v && setRole(v as Role)}
              error={errors.role}
            />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconKey size={16} />} loading={create.isPending} disabled={!name.trim()}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
