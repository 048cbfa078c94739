// One rule: trigger, condition builder, ordered actions; test with a sample
// message, dry run on recent messages, version history with restore.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ApiError, api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { ActionsEditor } from "../components/ActionsEditor";
import { AlertTriggerFields, DEFAULT_ALERT } from "../components/AlertTriggerFields";
import { ConditionGroupEditor } from "../components/ConditionBuilder";
import { conditionLines } from "../components/RuleRuns";
import {
  type Catalog,
  type DryRunResult,
  type Rule,
  type RuleAction,
  type RuleGroup,
  type RuleTrigger,
  type RuleVersion,
  type TestResult,
  TRIGGER_LABELS,
  type TriggerType,
} from "../types";
import { rulesKey } from "./RulesPage";

type Draft = {
  name: string;
  description: string;
  enabled: boolean;
  trigger: RuleTrigger;
  conditions: RuleGroup;
  actions: RuleAction[];
  stop_processing: boolean;
};

const EMPTY: Draft = {
  name: "",
  description: "",
  enabled: true,
  trigger: { type: "message.analyzed" },
  conditions: { match: "all", conditions: [] },
  actions: [],
  stop_processing: false,
};

const toDraft = (r: Rule): Draft => ({
  name: r.name,
  description: r.description ?? "",
  enabled: r.enabled,
  trigger: r.trigger,
  conditions: r.conditions,
  actions: r.actions,
  stop_processing: r.stop_processing,
});

const body = (d: Draft) => ({ ...d, description: d.description || null });

export function RulePage() {
  const { id = "new" } = useParams();
  const isNew = id === "new";
  const navigate = useNavigate();
  const client = useQueryClient();
  const { canAdmin } = usePermissions();
  const catalog = useQuery({ queryKey: ["rules", "catalog"], queryFn: () => api<Catalog>("/rules/catalog") });
  const rule = useQuery({ queryKey: ["rules", id], queryFn: () => api<Rule>(`/rules/${id}`), enabled: !isNew });
  const versions = useQuery({
    queryKey: ["rules", id, "versions"],
    queryFn: async () => (await api<{ data: RuleVersion[] }>(`/rules/${id}/versions`)).data,
    enabled: !isNew,
  });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<string[]>([]);
  const [sample, setSample] = useState("My order never arrived and I want a refund");
  const [followers, setFollowers] = useState<number | "">("");
  const [tested, setTested] = useState<TestResult | null>(null);
  const [dry, setDry] = useState<DryRunResult | null>(null);
  const [revealed, setRevealed] = useState<Rule["new_secrets"] | null>(null);

  useEffect(() => {
    if (rule.data) setDraft(toDraft(rule.data));
  }, [rule.data]);

  const fail = (error: unknown) => {
    setErrors(
      error instanceof ApiError && error.details.length
        ? error.details.map((d) => `${d.field ?? ""}: ${d.message}`)
        : [errorMessage(error)],
    );
  };
  const save = useMutation({
    mutationFn: () =>
      isNew
        ? api<Rule>("/rules", { method: "POST", body: body(draft) })
        : api<Rule>(`/rules/${id}`, { method: "PATCH", body: body(draft) }),
    onSuccess: ({ new_secrets, ...saved }) => {
      setErrors([]);
      setRevealed(new_secrets?.length ? new_secrets : null);
      client.invalidateQueries({ queryKey: rulesKey });
      client.setQueryData(["rules", saved.id], saved);
      client.invalidateQueries({ queryKey: ["rules", saved.id, "versions"] });
      notifications.show({ color: "green", title: "Rule saved", message: `${saved.name} — version ${saved.version}` });
      if (isNew) navigate(`/rules/${saved.id}`, { replace: true });
    },
    onError: fail,
  });
  const test = useMutation({
    mutationFn: () =>
      api<TestResult>("/rules:test", {
        method: "POST",
        body: { rule: body(draft), message: { text: sample, ...(followers === "" ? {} : { author: { followers } }) } },
      }),
    onSuccess: (r) => {
      setErrors([]);
      setTested(r);
    },
    onError: fail,
  });
  const dryRun = useMutation({
    mutationFn: () => api<DryRunResult>(`/rules/${id}:dry-run`, { method: "POST", body: { limit: 200 } }),
    onSuccess: setDry,
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: () => api(`/rules/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: rulesKey });
      navigate("/rules");
    },
    onError: fail,
  });
  const restore = useMutation({
    mutationFn: (version: number) => api<Rule>(`/rules/${id}:restore`, { method: "POST", body: { version } }),
    onSuccess: (saved) => {
      client.setQueryData(["rules", id], saved);
      client.invalidateQueries({ queryKey: ["rules", id, "versions"] });
      client.invalidateQueries({ queryKey: rulesKey });
      notifications.show({ color: "green", title: "Version restored", message: `Now version ${saved.version}` });
    },
    onError: fail,
  });

  if (rule.isError) return <LoadError error={rule.error} onRetry={() => rule.refetch()} title="Could not load this rule" />;
  const fields = catalog.data?.fields ?? [];
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <Stack gap="md">
      <PageHeader
        title={isNew ? "New rule" : draft.name || "Rule"}
        description={
          !isNew && rule.data ? `Version ${rule.data.version} · key ${rule.data.key}` : "Trigger, conditions, then actions in order."
        }
        actions={
          canAdmin && (
            <>
              {!isNew && (
                <Button variant="subtle" color="red" onClick={() => remove.mutate()}>
                  Delete
                </Button>
              )}
              <Button onClick={() => save.mutate()} loading={save.isPending}>
                Save rule
              </Button>
            </>
          )
        }
      />
      {revealed && (
        <Alert
          color="yellow"
          title="Copy the webhook signing secret now: it is not shown again"
          withCloseButton
          onClose={() => setRevealed(null)}
          data-testid="new-secrets"
        >
          {revealed.map((r) => (
            <Group key={r.action} gap="xs">
              <Text size="sm">Action {r.action + 1}:</Text>
              <Code>{r.secret}</Code>
              <CopyButton value={r.secret}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="subtle" onClick={copy}>
                    {copied ? "Copied" : "Copy"}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ))}
        </Alert>
      )}
      {errors.length > 0 && (
        <Alert color="red" title="Check the rule" role="alert">
          {errors.map((e) => (
            <Text key={e} size="sm">
              {e}
            </Text>
          ))}
        </Alert>
      )}
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Name"
              value={draft.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              miw={280}
              style={{ flex: 1 }}
            />
            <Switch label="Enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          </Group>
          <Textarea
            label="Description"
            value={draft.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            autosize
            minRows={1}
          />
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Trigger"
              data={(catalog.data?.triggers ?? Object.keys(TRIGGER_LABELS)).map((t) => ({ value: t, label: TRIGGER_LABELS[t] ?? t }))}
              value={draft.trigger.type}
              onChange={(v) =>
                set({
                  trigger:
                    v === "schedule"
                      ? { type: v, schedule: { every_minutes: 60 } }
                      : v === "alert.threshold"
                        ? { type: v, alert: DEFAULT_ALERT }
                        : { type: (v ?? "message.analyzed") as TriggerType },
                })
              }
              w={320}
            />
            {draft.trigger.type === "schedule" && (
              <NumberInput
                label="Every N minutes"
                value={draft.trigger.schedule?.every_minutes ?? ""}
                onChange={(v) => set({ trigger: { type: "schedule", schedule: { every_minutes: Number(v) || 60 } } })}
                w={160}
              />
            )}
          </Group>
          {draft.trigger.type === "alert.threshold" && (
            <AlertTriggerFields
              alert={draft.trigger.alert ?? DEFAULT_ALERT}
              onChange={(alert) => set({ trigger: { type: "alert.threshold", alert } })}
            />
          )}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-label="Conditions">
        <Title order={2} size="h5" mb="xs">
          Conditions
        </Title>
        <ConditionGroupEditor group={draft.conditions} fields={fields} onChange={(conditions) => set({ conditions })} />
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-label="Actions">
        <Title order={2} size="h5" mb="xs">
          Actions
        </Title>
        <ActionsEditor actions={draft.actions} onChange={(actions) => set({ actions })} />
        <Checkbox
          mt="sm"
          label="Stop processing later rules when this one fires"
          checked={draft.stop_processing}
          onChange={(e) => set({ stop_processing: e.currentTarget.checked })}
        />
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-label="Test">
        <Title order={2} size="h5" mb="xs">
          Test with a sample message
        </Title>
        <Stack gap="xs">
          <Textarea label="Sample message" {...textField(sample, setSample)} autosize minRows={2} />
          <Group align="flex-end">
            <NumberInput label="Author followers" value={followers} onChange={(v) => setFollowers(v === "" ? "" : Number(v))} w={160} />
            <Button variant="light" onClick={() => test.mutate()} loading={test.isPending}>
              Test
            </Button>
            {!isNew && (
              <Button variant="subtle" onClick={() => dryRun.mutate()} loading={dryRun.isPending}>
                Dry run on the last 200 messages
              </Button>
            )}
          </Group>
          {tested && (
            <Stack gap={4} data-testid="test-result">
              <Badge color={tested.matched ? "green" : "gray"}>{tested.matched ? "Would fire" : "Would not fire"}</Badge>
              <Text size="xs" style={{ whiteSpace: "pre-wrap", fontFamily: "monospace" }}>
                {conditionLines(tested.conditions).join("\n") || "no conditions (always)"}
              </Text>
              {tested.actions.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: actions are ordered
                <Text key={i} size="sm" c={a.ok ? undefined : "dimmed"}>
                  {a.type}: {a.detail}
                </Text>
              ))}
            </Stack>
          )}
          {dry && (
            <Stack gap={4} data-testid="dry-run">
              <Text size="sm">
                Would fire for {dry.matched} of {dry.evaluated} recent messages
                {Object.keys(dry.actions).length > 0 &&
                  ` (${Object.entries(dry.actions)
                    .map(([k, n]) => `${k} ×${n}`)
                    .join(", ")})`}
                .
              </Text>
              {dry.examples.map((e) => (
                <Text key={e.message_id} size="xs" c="dimmed" lineClamp={2}>
                  {e.text}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
      </Paper>

      {!isNew && (
        <Paper withBorder radius="md" p="md" component="section" aria-label="Version history">
          <Title order={2} size="h5" mb="xs">
            Version history
          </Title>
          <Table>
            <Table.Tbody>
              {(versions.data ?? []).map((v) => (
                <Table.Tr key={v.version}>
                  <Table.Td>v{v.version}</Table.Td>
                  <Table.Td>{v.name}</Table.Td>
                  <Table.Td>{dayjs(v.created_at).format("YYYY-MM-DD HH:mm")}</Table.Td>
                  <Table.Td>{v.created_by ?? ""}</Table.Td>
                  <Table.Td>
                    {canAdmin && v.version !== rule.data?.version && (
                      <Button size="compact-xs" variant="subtle" onClick={() => restore.mutate(v.version)}>
                        Restore
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
