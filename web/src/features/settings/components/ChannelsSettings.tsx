// Settings → Channels: where Parley listens (channels with their listening
// queries and status), which accounts are our own, and the brand dictionary.
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconPencil, IconPlugConnected, IconRefresh, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { ApiError, api, errorMessage, fieldErrors } from "../../../api";
import { keys, useChannels } from "../../../queries";
import { type Channel, type ChannelStatus, type DictionaryTerm, type List, NETWORKS, type Network, type OwnAccount } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { CopyField } from "../../../ui/CopyField";
import { DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon, networkLabel } from "../../../ui/NetworkIcon";
import { RowActions } from "../../../ui/RowActions";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";
import { CHANNEL_FIELDS, type FieldValues, initialValues, NETWORK_HINTS, splitValues } from "./channel-fields";

type CreatedChannel = Channel & { webhook_secret?: string };

export function ChannelsSettings() {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Channel | null>(null);
  const [created, setCreated] = useState<CreatedChannel | null>(null);
  return (
    <Stack gap="lg">
      <ChannelList onAdd={() => setAdding(true)} onEdit={setEditing} />
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a channel" size="lg">
        {adding && (
          <ChannelForm
            onDone={(channel) => {
              setAdding(false);
              if (channel?.webhook_secret) setCreated(channel);
              else if (channel) notifications.show({ color: "green", message: `Channel ${channel.name} added` });
            }}
          />
        )}
      </Modal>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={`Edit ${editing?.name ?? "channel"}`} size="lg">
        {editing && <ChannelForm channel={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <WebhookSecretModal channel={created} onClose={() => setCreated(null)} />
      <OwnAccountsSection />
      <DictionarySection />
    </Stack>
  );
}

function ChannelList({ onAdd, onEdit }: { onAdd: () => void; onEdit: (channel: Channel) => void }) {
  const client = useQueryClient();
  const channels = useChannels();
  const deletion = useConfirmed(
    (channel: Channel) => api<void>(`/channels/${channel.id}`, { method: "DELETE" }),
    () => client.invalidateQueries({ queryKey: keys.channels }),
  );
  const items = channels.data ?? [];

  return (
    <SettingsSection
      title="Channels"
      description="Where Parley listens: feeds, networks, mailboxes and webhooks. What they hear lands in the Inbox."
      actions={<NewButton onClick={onAdd}>Add channel</NewButton>}
    >
      <QueryState query={channels} items={items} empty="No channels yet. Add one to start listening.">
        <ScrollArea type="auto">
          <Table aria-label="Channels" miw={820} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last poll</Table.Th>
                <Table.Th ta="right">Items</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th w={150} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((channel) => (
                <ChannelRow key={channel.id} channel={channel} onEdit={() => onEdit(channel)} onDelete={() => deletion.ask(channel)} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </QueryState>
      <ConfirmDialog {...deletion.dialog} title={`Delete ${deletion.target?.name}?`} confirmLabel="Delete channel">
        Parley stops listening on this channel. The messages it already heard stay in the Inbox.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function ChannelRow({ channel, onEdit, onDelete }: { channel: Channel; onEdit: () => void; onDelete: () => void }) {
  const client = useQueryClient();
  // The live status (items in the last hour); the channel row is the fallback.
  const status = useQuery({
    queryKey: [...keys.channels, "status", channel.id],
    queryFn: () => api<ChannelStatus>(`/channels/${channel.id}/status`),
    refetchInterval: 30_000,
    retry: false,
  });
  const live: Pick<ChannelStatus, "status" | "last_poll_at" | "last_error" | "items_total" | "items_last_hour"> = status.data ?? {
    status: channel.status,
    last_poll_at: channel.last_poll_at,
    last_error: channel.last_error,
    items_total: channel.items_total,
    items_last_hour: Number.NaN,
  };
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api<Channel>(`/channels/${channel.id}`, { method: "PATCH", body: { enabled } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.channels }),
    onError: (error) => notifications.show({ color: "red", title: "Could not change the channel", message: errorMessage(error) }),
  });
  const test = useMutation({
    mutationFn: () => api<{ ok: boolean; detail: string }>(`/channels/${channel.id}/test`, { method: "POST" }),
    onSuccess: (result) =>
      notifications.show({
        color: result.ok ? "green" : "red",
        title: result.ok ? `${channel.name}: connection works` : `${channel.name}: connection failed`,
        message: result.detail,
      }),
    onError: (error) =>
      notifications.show({
        color: "red",
        title: `Could not test ${channel.name}`,
        message: error instanceof ApiError && error.status === 404 ? "This server cannot test connections yet." : errorMessage(error),
      }),
  });
  const poll = useMutation({
    mutationFn: () => api<unknown>(`/channels/${channel.id}/poll`, { method: "POST" }),
    onSuccess: () => {
      notifications.show({ color: "green", message: `${channel.name}: polling now` });
      client.invalidateQueries({ queryKey: keys.channels });
    },
    onError: (error) =>
      notifications.show({
        color: "red",
        title: `Could not poll ${channel.name}`,
        message: error instanceof ApiError && error.status === 404 ? "This server cannot poll on demand yet." : errorMessage(error),
      }),
  });
  const pollable = channel.network !== "webhook" && channel.network !== "file";

  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <NetworkIcon network={channel.network} />
          <div>
            <Text size="sm" fw={500}>
              {channel.name}
            </Text>
            <Text size="xs" c="dimmed">
              {networkLabel(channel.network)}
              {channel.queries.length > 0 ? ` · ${channel.queries.length} ${channel.queries.length === 1 ? "query" : "queries"}` : ""}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td maw={280}>
        <ChannelStatusBadge channel={channel} status={live.status} error={live.last_error} />
        {live.last_error && (
          <Text size="xs" c="red" mt={4} lineClamp={3} style={{ overflowWrap: "anywhere" }}>
            {live.last_error}
          </Text>
        )}
      </Table.Td>
      <Table.Td fz="sm">
        {live.last_poll_at ? (
          <Tooltip label={dayjs(live.last_poll_at).format("MMM D, YYYY HH:mm:ss")} withArrow>
            <span>{dayjs(live.last_poll_at).fromNow()}</span>
          </Tooltip>
        ) : pollable ? (
          "Never"
        ) : (
          "—"
        )}
      </Table.Td>
      <Table.Td fz="sm" ta="right">
        {live.items_total.toLocaleString()}
        {Number.isFinite(live.items_last_hour) && (
          <Text size="xs" c="dimmed">
            {live.items_last_hour.toLocaleString()} in the last hour
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Switch
          checked={channel.enabled}
          onChange={(e) => toggle.mutate(e.currentTarget.checked)}
          disabled={toggle.isPending}
          aria-label={`${channel.enabled ? "Disable" : "Enable"} ${channel.name}`}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          {pollable && (
            <>
              <Tooltip label="Test connection">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Test connection of ${channel.name}`}
                  loading={test.isPending}
                  onClick={() => test.mutate()}
                >
                  <IconPlugConnected size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Poll now">
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Poll ${channel.name} now`}
                  loading={poll.isPending}
                  onClick={() => poll.mutate()}
                >
                  <IconRefresh size={16} />
                </ActionIcon>
              </Tooltip>
            </>
          )}
          <Tooltip label="Edit">
            <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${channel.name}`} onClick={onEdit}>
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete">
            <ActionIcon variant="subtle" color="red" aria-label={`Delete ${channel.name}`} onClick={onDelete}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function ChannelStatusBadge({ channel, status, error }: { channel: Channel; status: string | null; error: string | null }) {
  if (!channel.enabled) {
    return (
      <Badge size="sm" variant="light" color="gray">
        disabled
      </Badge>
    );
  }
  const label = status || (error ? "error" : channel.network === "webhook" ? "listening" : "waiting");
  const color = error || /error|fail/i.test(label) ? "red" : /ok|active|listening|running|idle/i.test(label) ? "teal" : "blue";
  return (
    <Badge size="sm" variant="light" color={color}>
      {label}
    </Badge>
  );
}

/** Adds a channel, or edits one when `channel` is given (its network is fixed then). */
function ChannelForm({ channel, onDone }: { channel?: Channel; onDone: (created?: CreatedChannel) => void }) {
  const client = useQueryClient();
  const [network, setNetwork] = useState<Network>(channel?.network ?? "rss");
  const [name, setName] = useState(channel?.name ?? "");
  const [values, setValues] = useState<FieldValues>(() => initialValues(channel?.network ?? "rss", channel?.config));
  const [queriesText, setQueriesText] = useState((channel?.queries ?? []).join("\n"));
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const fields = CHANNEL_FIELDS[network];
  const queryLines = queriesText.split("\n").map((line, index) => ({ line: index + 1, text: line.trim() }));
  const queries = queryLines.filter((q) => q.text);

  const save = useMutation({
    mutationFn: () => {
      const { config, credentials } = splitValues(network, values, channel?.config);
      const body: Record<string, unknown> = { name: name.trim(), config, queries: queries.map((q) => q.text), enabled };
      if (Object.keys(credentials).length) body.credentials = credentials;
      return channel
        ? api<CreatedChannel>(`/channels/${channel.id}`, { method: "PATCH", body })
        : api<CreatedChannel>("/channels", { method: "POST", body: { ...body, network } });
    },
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: keys.channels });
      onDone(saved);
    },
  });
  const errors = fieldErrors(save.error);
  // "queries.N" counts only the non-empty lines sent; say which line it was.
  const queryError = Object.entries(errors)
    .filter(([field]) => /^queries\.\d+$/.test(field))
    .map(([field, message]) => {
      const sent = queries[Number(field.split(".")[1])];
      return sent ? `Line ${sent.line} (${sent.text}): ${message}` : message;
    })
    .join("\n");
  const shown = [
    "name",
    "queries",
    ...Object.keys(errors).filter((f) => /^queries\.\d+$/.test(f)),
    ...fields.map((f) => `${f.secret ? "credentials" : "config"}.${f.key}`),
  ];
  // When every problem is shown beside its field, a banner would only repeat it.
  const allInline =
    save.error instanceof ApiError && save.error.details.length > 0 && save.error.details.every((d) => d.field && shown.includes(d.field));
  const fieldError = (key: string, secret?: boolean) => errors[`${secret ? "credentials" : "config"}.${key}`];
  const missing = fields.some((f) => f.required && !(f.secret && channel?.has_credentials) && !String(values[f.key] ?? "").trim());

  function handleNetwork(next: Network) {
    setNetwork(next);
    setValues(initialValues(next));
  }

  function handleSubmit() {
    if (name.trim() && !missing) save.mutate();
  }

  return (
    <StackForm onSubmit={handleSubmit} gap="sm">
      {!allInline && <FormError error={save.error} shownFields={shown} />}
      <Group grow align="flex-start">
        <Select
          label="Network"
          data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))}
          value={network}
          allowDeselect={false}
          disabled={!!channel}
          onChange={(v) => v && handleNetwork(v as Network)}
          leftSection={<NetworkIcon network={network} size={16} />}
        />
        <TextInput
          label="Channel name"
          required
          data-autofocus
          placeholder="e.g. Company blog comments"
          {...textField(name, setName)}
          error={errors.name}
        />
      </Group>
      {NETWORK_HINTS[network] && (
        <Text size="sm" c="dimmed">
          {NETWORK_HINTS[network]}
        </Text>
      )}
      {fields.map((field) => {
        const value = values[field.key];
        const set = (v: string | boolean) => setValues((prev) => ({ ...prev, [field.key]: v }));
        const error = fieldError(field.key, field.secret);
        if (field.type === "boolean") {
          return (
            <Checkbox
              key={field.key}
              label={field.label}
              checked={value === true}
              onChange={(e) => set(e.currentTarget.checked)}
              error={error}
            />
          );
        }
        if (field.type === "number") {
          return (
            <NumberInput
              key={field.key}
              label={field.label}
              description={field.description}
              value={typeof value === "string" ? value : ""}
              onChange={(v) => set(String(v))}
              error={error}
              required={field.required}
              allowDecimal={false}
              min={1}
            />
          );
        }
        if (field.secret) {
          return (
            <PasswordInput
              key={field.key}
              label={field.label}
              description={
                channel?.has_credentials
                  ? "Stored encrypted. Leave empty to keep the current credentials."
                  : (field.description ?? "Stored encrypted; never shown again")
              }
              value={typeof value === "string" ? value : ""}
              onChange={(e) => set(e.currentTarget.value)}
              required={field.required && !channel?.has_credentials}
              error={error}
              autoComplete="off"
            />
          );
        }
        return (
          <TextInput
            key={field.key}
            label={field.label}
            description={field.description}
            placeholder={field.placeholder}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => set(e.currentTarget.value)}
            required={field.required}
            error={error}
          />
        );
      })}
      <Textarea
        label="Listening queries"
        description={
          <>
            One per line; a message is kept if any query matches (no queries: keep everything). Words, <Code>"exact phrase"</Code>,{" "}
            <Code>AND</Code> <Code>OR</Code> <Code>NOT</Code> <Code>( )</Code>, <Code>-exclude</Code>, <Code>#hashtag</Code>,{" "}
            <Code>@handle</Code>, <Code>from:handle</Code>, <Code>lang:de</Code>, <Code>refund*</Code>.
          </>
        }
        placeholder={'acme OR "acme corp"\n#acmeoutage -jobs'}
        autosize
        minRows={3}
        maxRows={10}
        {...textField(queriesText, setQueriesText)}
        error={queryError || errors.queries}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" }, error: { whiteSpace: "pre-wrap" } }}
      />
      <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <FormActions
        onCancel={() => onDone()}
        submitLabel={channel ? "Save channel" : "Add channel"}
        loading={save.isPending}
        disabled={!name.trim() || missing}
      />
    </StackForm>
  );
}

function WebhookSecretModal({ channel, onClose }: { channel: CreatedChannel | null; onClose: () => void }) {
  const url = channel ? `${window.location.origin}${channel.webhook_url ?? `/hooks/${channel.id}`}` : "";
  const snippet = channel
    ? [
        `SECRET='${channel.webhook_secret}'`,
        "ts=$(date +%s)",
        `body='{"network":"webhook","external_id":"t-1","author":{"id":"u1","handle":"jo"},"text":"hello","created_at":"${new Date().toISOString().slice(0, 19)}Z"}'`,
        `sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/.* //')`,
        `curl -H "X-Parley-Timestamp: $ts" -H "X-Parley-Signature: sha256=$sig" \\`,
        `  -H 'content-type: application/json' -d "$body" ${url}`,
      ].join("\n")
    : "";
  return (
    <Modal opened={!!channel} onClose={onClose} title="Your webhook is ready" size="lg" closeOnClickOutside={false}>
      {channel && (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy the secret now">
            This is the only time the signing secret is shown. If it is lost, delete the channel and create a new one.
          </Alert>
          <CopyField label="Webhook URL" value={url} />
          <CopyField label="Signing secret" value={channel.webhook_secret ?? ""} />
          <Text size="sm" c="dimmed">
            Sign each delivery: <Code>X-Parley-Timestamp</Code> (unix seconds) and <Code>X-Parley-Signature: sha256=</Code>HMAC-SHA256 of{" "}
            <Code>timestamp.body</Code> with the secret. Old or replayed deliveries are refused.
          </Text>
          <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {snippet}
          </Code>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function OwnAccountsSection() {
  const client = useQueryClient();
  const accounts = useQuery({
    queryKey: keys.ownAccounts,
    queryFn: async () => (await api<List<OwnAccount>>("/own-accounts")).data,
  });
  const [network, setNetwork] = useState<Network>("x");
  const [handle, setHandle] = useState("");
  const add = useMutation({
    mutationFn: () => api<OwnAccount>("/own-accounts", { method: "POST", body: { network, handle: handle.trim() } }),
    onSuccess: () => {
      setHandle("");
      client.invalidateQueries({ queryKey: keys.ownAccounts });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/own-accounts/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.ownAccounts }),
    onError: (error) => notifications.show({ color: "red", title: "Could not remove the account", message: errorMessage(error) }),
  });
  const errors = fieldErrors(add.error);

  function handleSubmit() {
    if (handle.trim()) add.mutate();
  }

  return (
    <SettingsSection
      label="Own accounts"
      title="Own accounts"
      description="The company's own handles on each network. Their posts are marked outbound, so replies show on our side of a thread."
    >
      <StackForm onSubmit={handleSubmit} gap="sm">
        <FormError error={add.error} shownFields={["handle"]} />
        <Group align="flex-start" gap="sm">
          <Select
            label="Network"
            data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))}
            value={network}
            allowDeselect={false}
            onChange={(v) => v && setNetwork(v as Network)}
            w={180}
          />
          <TextInput label="Handle" placeholder="@acmehelp" {...textField(handle, setHandle)} error={errors.handle} style={{ flex: 1 }} />
          <Button type="submit" mt={25} loading={add.isPending} disabled={!handle.trim()}>
            Add account
          </Button>
        </Group>
      </StackForm>
      {accounts.isError ? (
        <LoadError error={accounts.error} onRetry={() => accounts.refetch()} />
      ) : (accounts.data ?? []).length > 0 ? (
        <Group gap="xs" mt="md" aria-label="Own account list" role="list">
          {(accounts.data ?? []).map((a) => (
            <Badge
              key={a.id}
              role="listitem"
              size="lg"
              variant="light"
              color="gray"
              tt="none"
              leftSection={<NetworkIcon network={a.network} size={14} />}
              rightSection={
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  color="gray"
                  aria-label={`Remove ${a.handle}`}
                  onClick={() => remove.mutate(a.id)}
                >
                  <IconTrash size={12} />
                </ActionIcon>
              }
            >
              @{a.handle}
            </Badge>
          ))}
        </Group>
      ) : (
        <Text size="sm" c="dimmed" mt="md">
          {accounts.isPending ? "Loading…" : "No own accounts yet."}
        </Text>
      )}
    </SettingsSection>
  );
}

function DictionarySection() {
  const client = useQueryClient();
  const terms = useQuery({
    queryKey: keys.dictionary,
    queryFn: async () => (await api<List<DictionaryTerm>>("/dictionary")).data,
  });
  const [kind, setKind] = useState<"brand" | "product">("brand");
  const [name, setName] = useState("");
  const [aliases, setAliases] = useState<string[]>([]);
  const add = useMutation({
    mutationFn: () => api<DictionaryTerm>("/dictionary", { method: "POST", body: { kind, name: name.trim(), aliases } }),
    onSuccess: () => {
      setName("");
      setAliases([]);
      client.invalidateQueries({ queryKey: keys.dictionary });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/dictionary/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.dictionary }),
    onError: (error) => notifications.show({ color: "red", title: "Could not remove the term", message: errorMessage(error) }),
  });
  const errors = fieldErrors(add.error);
  const items = terms.data ?? [];

  function handleSubmit() {
    if (name.trim()) add.mutate();
  }

  return (
    <SettingsSection
      label="Dictionary"
      title="Brand and product dictionary"
      description={
        <>
          A query word naming an entry also matches its aliases, misspellings and handles: with <Code>Acme → akme, @acmehelp</Code>, the
          query <Code>acme</Code> hears "akme ruined my day".
        </>
      }
    >
      <StackForm onSubmit={handleSubmit} gap="sm">
        <FormError error={add.error} shownFields={["name", "aliases"]} />
        <Group align="flex-start" gap="sm">
          <Select
            label="Kind"
            data={[
              { value: "brand", label: "Brand" },
              { value: "product", label: "Product" },
            ]}
            value={kind}
            allowDeselect={false}
            onChange={(v) => v && setKind(v as "brand" | "product")}
            w={130}
          />
          <TextInput label="Name" placeholder="Acme" {...textField(name, setName)} error={errors.name} w={200} />
          <TagsInput
            label="Aliases"
            placeholder="Type and press Enter"
            value={aliases}
            onChange={setAliases}
            error={errors.aliases}
            style={{ flex: 1 }}
            clearable
          />
          <Button type="submit" mt={25} loading={add.isPending} disabled={!name.trim()}>
            Add term
          </Button>
        </Group>
      </StackForm>
      <Box mt="md">
        <QueryState query={terms} items={items} empty="No terms yet.">
          <DataTable
            label="Dictionary terms"
            rows={items}
            rowKey={(t) => t.id}
            columns={[
              { key: "name", header: "Name", td: { fz: "sm", fw: 500 }, cell: (t) => t.name },
              { key: "kind", header: "Kind", td: { fz: "sm" }, cell: (t) => t.kind },
              {
                key: "aliases",
                header: "Aliases",
                cell: (t) => (
                  <Group gap={4}>
                    {t.aliases.map((a) => (
                      <Badge key={a} size="sm" variant="outline" color="gray" tt="none">
                        {a}
                      </Badge>
                    ))}
                  </Group>
                ),
              },
              {
                key: "actions",
                th: { w: 50 },
                cell: (t) => <RowActions deleteLabel={`Remove ${t.name}`} onDelete={() => remove.mutate(t.id)} />,
              },
            ]}
          />
        </QueryState>
      </Box>
    </SettingsSection>
  );
}
