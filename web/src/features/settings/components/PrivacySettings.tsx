// Settings → Privacy (issue 13): retention policies with a dry run that says how many messages
// a run would delete, and PII redaction of message text at ingest.
import { Button, Group, NumberInput, Select, Stack, Switch, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PrivacySettings, RetentionPolicy, RetentionRun, RetentionScope } from "../../../../../src/contracts/privacy";
import { api, fieldErrors } from "../../../api";
import { formatDateTime } from "../../../format";
import { useChannels } from "../../../queries";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { SettingsSection } from "../../../ui/SettingsSection";
import { useConfirmed } from "../../../ui/useConfirmed";

const SCOPES: Array<{ value: RetentionScope; label: string }> = [
  { value: "non_contacts", label: "Messages from people who are not contacts" },
  { value: "all_inbound", label: "All inbound messages" },
];
const scopeLabel = (s: RetentionScope) => SCOPES.find((x) => x.value === s)?.label ?? s;

const retentionKey = ["privacy", "retention"] as const;
const dryRunKey = ["privacy", "retention", "dry-run"] as const;
const settingsKey = ["privacy", "settings"] as const;

export function PrivacySettingsSection() {
  return (
    <Stack gap="lg" maw={900}>
      <RetentionSection />
      <RedactionSection />
    </Stack>
  );
}

function RetentionSection() {
  const client = useQueryClient();
  const channels = useChannels();
  const policies = useQuery({ queryKey: retentionKey, queryFn: () => api<{ data: RetentionPolicy[] }>("/privacy/retention") });
  const dryRun = useQuery({
    queryKey: dryRunKey,
    queryFn: () => api<RetentionRun>("/privacy/retention:run", { method: "POST", query: { dry_run: "true" } }),
  });
  const refresh = () => client.invalidateQueries({ queryKey: retentionKey });
  const [scope, setScope] = useState<RetentionScope>("non_contacts");
  const [days, setDays] = useState<number | string>(90);
  const [channelId, setChannelId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<RetentionPolicy>("/privacy/retention", { method: "POST", body: { scope, days: Number(days), channel_id: channelId } }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: "green", message: "Retention policy added" });
    },
  });
  const toggle = useMutation({
    mutationFn: (p: RetentionPolicy) =>
      api<RetentionPolicy>(`/privacy/retention/${p.id}`, { method: "PATCH", body: { enabled: !p.enabled } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/privacy/retention/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const run = useConfirmed(async (_: true) => {
    const r = await api<RetentionRun>("/privacy/retention:run", { method: "POST", query: { dry_run: "false" } });
    notifications.show({ color: "green", message: `Retention deleted ${r.total} messages` });
    return r;
  }, refresh);
  const errors = fieldErrors(create.error);
  const channelName = (id: string | null) => (id ? (channels.data?.find((c) => c.id === id)?.name ?? "A channel") : "Whole workspace");
  const wouldDelete = dryRun.data ? new Map(dryRun.data.policies.map((p) => [p.id, p.count])) : null;

  return (
    <SettingsSection
      title="Retention"
      label="Retention"
      description="Old messages are deleted by these policies every hour. A dry run counts what a run would delete right now."
      actions={
        <Button color="red" variant="light" onClick={() => run.ask(true)} disabled={!dryRun.data?.total}>
          Run now
        </Button>
      }
    >
      {policies.isError && <LoadError error={policies.error} onRetry={() => policies.refetch()} />}
      {dryRun.isError && <LoadError error={dryRun.error} onRetry={() => dryRun.refetch()} />}
      {dryRun.data && (
        <Text size="sm" mb="sm" aria-live="polite" data-testid="retention-dry-run">
          Dry run: would delete {dryRun.data.total} {dryRun.data.total === 1 ? "message" : "messages"} now.
        </Text>
      )}
      {policies.data && policies.data.data.length > 0 && (
        <Table mb="md">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Deletes</Table.Th>
              <Table.Th>Where</Table.Th>
              <Table.Th>After</Table.Th>
              <Table.Th>Would delete</Table.Th>
              <Table.Th>Last run</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.data.data.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{scopeLabel(p.scope)}</Table.Td>
                <Table.Td>{channelName(p.channel_id)}</Table.Td>
                <Table.Td>{p.days} days</Table.Td>
                <Table.Td>{p.enabled ? (wouldDelete?.get(p.id) ?? "…") : "off"}</Table.Td>
                <Table.Td>{p.last_run_at ? `${formatDateTime(p.last_run_at)} (${p.last_deleted ?? 0})` : "never"}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Switch
                      checked={p.enabled}
                      onChange={() => toggle.mutate(p)}
                      aria-label={`${p.enabled ? "Disable" : "Enable"} policy`}
                    />
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(p.id)}>
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-end">
          <Select
            label="Delete"
            data={SCOPES}
            value={scope}
            onChange={(v) => v && setScope(v as RetentionScope)}
            w={300}
            error={errors.scope}
          />
          <Select
            label="Where"
            placeholder="Whole workspace"
            clearable
            data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={channelId}
            onChange={setChannelId}
            error={errors.channel_id}
          />
          <NumberInput label="After days" min={1} max={36500} value={days} onChange={setDays} w={120} error={errors.days} />
          <Button type="submit" loading={create.isPending}>
            Add policy
          </Button>
        </Group>
        <FormError error={create.error} shownFields={["scope", "channel_id", "days"]} />
      </form>
      <ConfirmDialog {...run.dialog} title="Run retention now?" confirmLabel="Delete messages">
        {dryRun.data?.total ?? 0} messages will be deleted. This cannot be undone.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function RedactionSection() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api<PrivacySettings>("/privacy/settings") });
  const save = useMutation({
    mutationFn: (patch: Partial<PrivacySettings>) => api<PrivacySettings>("/privacy/settings", { method: "PATCH", body: patch }),
    onSuccess: (data) => client.setQueryData(settingsKey, data),
  });
  const items: Array<{ key: keyof PrivacySettings; label: string }> = [
    { key: "redact_emails", label: "Email addresses become [email]" },
    { key: "redact_phones", label: "Phone numbers become [phone]" },
    { key: "redact_cards", label: "Payment card numbers (Luhn-checked) become [card]" },
  ];
  return (
    <SettingsSection
      title="Redaction"
      label="Redaction"
      description="Removes personal data from the text of messages as they arrive (messages already stored are not changed)."
    >
      {settings.isError && <LoadError error={settings.error} onRetry={() => settings.refetch()} />}
      {settings.data && (
        <Stack gap="xs">
          {items.map((i) => (
            <Switch
              key={i.key}
              label={i.label}
              checked={settings.data[i.key]}
              onChange={(e) => save.mutate({ [i.key]: e.currentTarget.checked })}
            />
          ))}
          <FormError error={save.error} />
        </Stack>
      )}
    </SettingsSection>
  );
}
