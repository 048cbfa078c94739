import { ActionIcon, Alert, Badge, Button, Code, Group, Modal, Select, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconKey, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { KEY_SCOPES, type KeyScope } from "../../../../../src/contracts/enums";
import { api, fieldErrors } from "../../../api";
import { formatDate, formatDateTime } from "../../../format";
import { keys } from "../../../queries";
import type { ApiKey, List, Role } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { CopyField } from "../../../ui/CopyField";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";
import { roleOptions } from "./UsersSettings";

type CreatedKey = ApiKey & { secret: string };

const SCOPE_LABELS: Record<KeyScope, string> = {
  read: "Read only (GET)",
  write: "Read and write (no admin settings)",
  admin: "Everything its role allows",
};
const LIFETIMES = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

export function ApiKeysSettings() {
  const client = useQueryClient();
  const apiKeys = useQuery({
    queryKey: keys.apiKeys,
    queryFn: async () => (await api<List<ApiKey>>("/api-keys")).data,
  });
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const revocation = useConfirmed(
    (key: ApiKey) => api<void>(`/api-keys/${key.id}`, { method: "DELETE" }),
    () => client.invalidateQueries({ queryKey: keys.apiKeys }),
  );
  const items = apiKeys.data ?? [];
  const columns: Array<DataColumn<ApiKey>> = [
    {
      key: "name",
      header: "Name",
      td: { fz: "sm", fw: 500 },
      cell: (key) => (
        <>
          {key.name}{" "}
          {key.revoked_at && (
            <Badge size="xs" color="red" variant="light">
              revoked {formatDate(key.revoked_at)}
            </Badge>
          )}
        </>
      ),
    },
    { key: "prefix", header: "Key", cell: (key) => <Code>{key.prefix}…</Code> },
    { key: "role", header: "Role", td: { fz: "sm" }, cell: (key) => key.role },
    { key: "scope", header: "Scope", td: { fz: "sm" }, cell: (key) => SCOPE_LABELS[key.scope] },
    {
      key: "expires",
      header: "Expires",
      td: { fz: "sm" },
      cell: (key) =>
        key.expires_at ? (
          <>
            {formatDate(key.expires_at)}{" "}
            {new Date(key.expires_at).getTime() <= Date.now() && (
              <Badge size="xs" color="gray" variant="light">
                expired
              </Badge>
            )}
          </>
        ) : (
          "Never"
        ),
    },
    { key: "created", header: "Created", td: { fz: "sm" }, cell: (key) => formatDate(key.created_at) },
    { key: "used", header: "Last used", td: { fz: "sm" }, cell: (key) => (key.last_used_at ? formatDateTime(key.last_used_at) : "Never") },
    {
      key: "actions",
      th: { w: 50 },
      cell: (key) =>
        !key.revoked_at && (
          <Tooltip label="Revoke">
            <ActionIcon variant="subtle" color="red" aria-label={`Revoke API key ${key.name}`} onClick={() => revocation.ask(key)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];

  return (
    <Stack gap="lg">
      <CreateKeyForm onCreated={setCreated} />
      <SettingsSection title="API keys">
        <QueryState query={apiKeys} items={items} empty="No API keys yet. Create one to call the REST API from scripts and other tools.">
          <DataTable
            label="API keys"
            columns={columns}
            rows={items}
            rowKey={(key) => key.id}
            rowProps={(key) => ({ c: key.revoked_at ? "dimmed" : undefined })}
          />
        </QueryState>
      </SettingsSection>
      <Modal opened={!!created} onClose={() => setCreated(null)} title="Your new API key" size="lg" closeOnClickOutside={false}>
        {created && (
          <Stack>
            <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy it now">
              This is the only time the secret is shown. Store it somewhere safe; if it is lost, revoke the key and create a new one.
            </Alert>
            <CopyField
              label="Secret"
              value={created.secret}
              description={`${created.name} · ${created.role} · ${SCOPE_LABELS[created.scope]}`}
            />
            <Text size="sm" c="dimmed">
              Send it as <Code>Authorization: Bearer &lt;secret&gt;</Code>.
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog {...revocation.dialog} title={`Revoke ${revocation.target?.name}?`} confirmLabel="Revoke key">
        Anything using this key stops working at once.
      </ConfirmDialog>
    </Stack>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [scope, setScope] = useState<KeyScope>("read");
  const [lifetime, setLifetime] = useState<string>("never");
  const create = useMutation({
    mutationFn: () =>
      api<CreatedKey>("/api-keys", {
        method: "POST",
        body: {
          name: name.trim(),
          role,
          scope,
          expires_at: lifetime === "never" ? null : new Date(Date.now() + Number(lifetime) * 86_400_000).toISOString(),
        },
      }),
    onSuccess: (key) => {
      setName("");
      client.invalidateQueries({ queryKey: keys.apiKeys });
      onCreated(key);
    },
  });
  const errors = fieldErrors(create.error);

  function handleSubmit() {
    if (name.trim()) create.mutate();
  }

  return (
    <SettingsSection
      title="Create an API key"
      description="A key acts with the role you give it, on this workspace only; its scope narrows that role further."
    >
      <StackForm onSubmit={handleSubmit} gap="sm">
        <FormError error={create.error} shownFields={["name", "role", "scope", "expires_at"]} />
        <Group align="flex-start" grow>
          <TextInput label="Name" placeholder="e.g. Zapier sync" required {...textField(name, setName)} error={errors.name} />
          <Select
            label="Role"
            data={roleOptions(false)}
            value={role}
            allowDeselect={false}
            onChange={(v) => v && setRole(v as Role)}
            error={errors.role}
          />
        </Group>
        <Group align="flex-start" grow>
          <Select
            label="Scope"
            data={KEY_SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
            value={scope}
            allowDeselect={false}
            onChange={(v) => v && setScope(v as KeyScope)}
            error={errors.scope}
          />
          <Select
            label="Expires"
            data={LIFETIMES}
            value={lifetime}
            allowDeselect={false}
            onChange={(v) => v && setLifetime(v)}
            error={errors.expires_at}
          />
        </Group>
        <FormActions submitLabel="Create key" leftSection={<IconKey size={16} />} loading={create.isPending} disabled={!name.trim()} />
      </StackForm>
    </SettingsSection>
  );
}
