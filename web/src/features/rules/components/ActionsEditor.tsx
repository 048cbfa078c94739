// Ordered actions: pick a type, fill its few settings, move up or down.
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useTeams } from "../../../queries";
import type { RuleAction } from "../types";

type Setting = {
  key: string;
  label: string;
  kind: "text" | "number" | "select" | "list" | "bool" | "team" | "secret";
  options?: string[];
};

const STAGES = ["subscriber", "lead", "prospect", "opportunity", "customer", "advocate", "churned"];
const STRATEGIES = ["round_robin", "least_loaded", "team_only"];

export const ACTION_SPECS: Record<string, { label: string; settings: Setting[]; defaults?: Record<string, unknown> }> = {
  assign: {
    label: "Assign to team / member",
    settings: [
      { key: "team", label: "Team", kind: "team" },
      { key: "strategy", label: "How", kind: "select", options: STRATEGIES },
      { key: "skill", label: "Required skill", kind: "text" },
    ],
    defaults: { strategy: "round_robin" },
  },
  set_status: {
    label: "Set status",
    settings: [{ key: "status", label: "Status", kind: "select", options: ["new", "open", "pending", "closed"] }],
  },
  set_priority: { label: "Set priority", settings: [{ key: "priority", label: "Priority (0–100)", kind: "number" }] },
  add_tags: { label: "Add tags", settings: [{ key: "tags", label: "Tags", kind: "list" }] },
  remove_tags: { label: "Remove tags", settings: [{ key: "tags", label: "Tags", kind: "list" }] },
  create_case: {
    label: "Create a case",
    settings: [
      { key: "subject", label: "Subject", kind: "text" },
      { key: "priority", label: "Priority", kind: "select", options: ["low", "normal", "high", "urgent"] },
      { key: "team", label: "Team", kind: "team" },
    ],
  },
  create_deal: {
    label: "Create a lead / deal",
    settings: [
      { key: "title", label: "Title", kind: "text" },
      { key: "value", label: "Value", kind: "number" },
      { key: "currency", label: "Currency", kind: "text" },
      { key: "lifecycle_stage", label: "Contact stage", kind: "select", options: STAGES },
    ],
  },
  create_idea: { label: "Create or vote for an idea", settings: [{ key: "title", label: "Title", kind: "text" }] },
  tag_contact: { label: "Tag the contact (segment by tag)", settings: [{ key: "tags", label: "Tags", kind: "list" }] },
  set_lifecycle_stage: { label: "Set contact stage", settings: [{ key: "stage", label: "Stage", kind: "select", options: STAGES }] },
  add_note: { label: "Add a note to the contact", settings: [{ key: "body", label: "Note", kind: "text" }] },
  add_task: {
    label: "Add a task on the contact",
    settings: [
      { key: "subject", label: "Task", kind: "text" },
      { key: "due_in_hours", label: "Due in hours", kind: "number" },
    ],
  },
  notify: {
    label: "Notify",
    settings: [
      { key: "team", label: "Team", kind: "team" },
      { key: "roles", label: "Roles", kind: "list" },
      { key: "title", label: "Title", kind: "text" },
      { key: "body", label: "Body", kind: "text" },
      { key: "email", label: "Also by email", kind: "bool" },
    ],
  },
  send_reply: {
    label: "Reply where they wrote (not to people who withdrew consent)",
    settings: [
      { key: "text", label: "Reply", kind: "text" },
      { key: "visibility", label: "Who sees it", kind: "select", options: ["public", "private"] },
    ],
    defaults: { visibility: "public" },
  },
  send_marketing_email: {
    label: "Send marketing email (only with consent)",
    settings: [
      { key: "subject", label: "Subject", kind: "text" },
      { key: "body", label: "Body", kind: "text" },
    ],
  },
  webhook: {
    label: "Call a webhook",
    settings: [
      { key: "url", label: "URL", kind: "text" },
      { key: "secret", label: "Signing secret", kind: "secret" },
    ],
  },
  stop_processing: { label: "Stop processing later rules", settings: [] },
};

/**
 * A webhook's signing secret is write-only: the API says only whether one is set. The editor
 * shows "Secret set" with Replace / Generate new / Remove; a secret typed or generated here is
 * shown once after saving.
 */
function SecretSetting({ action, onChange }: { action: RuleAction; onChange: (a: RuleAction) => void }) {
  const { secret: _secret, generate_secret: _generate, ...rest } = action;
  const typed = typeof action.secret === "string";
  const replacing = typed || action.generate_secret === true || action.secret === null;
  const [editing, setEditing] = useState(!action.secret_set);
  if (action.secret_set && !editing && !replacing) {
    return (
      <Group gap="xs" align="center" mb={4}>
        <Badge color="green" variant="light">
          Secret set
        </Badge>
        <Button size="xs" variant="subtle" onClick={() => setEditing(true)}>
          Replace
        </Button>
        <Button size="xs" variant="subtle" onClick={() => onChange({ ...rest, generate_secret: true })}>
          Generate new
        </Button>
        <Button size="xs" variant="subtle" color="red" onClick={() => onChange({ ...rest, secret: null })}>
          Remove
        </Button>
      </Group>
    );
  }
  if (action.generate_secret === true || action.secret === null) {
    return (
      <Group gap="xs" align="center" mb={4}>
        <Text size="sm">{action.secret === null ? "The secret will be removed on save." : "A new secret will be generated on save."}</Text>
        <Button size="xs" variant="subtle" onClick={() => onChange(rest)}>
          Undo
        </Button>
      </Group>
    );
  }
  return (
    <Group gap="xs" align="flex-end">
      <PasswordInput
        label={action.secret_set ? "New signing secret" : "Signing secret"}
        placeholder="at least 8 characters"
        value={typed ? (action.secret as string) : ""}
        onChange={(e) => onChange(e.currentTarget.value ? { ...rest, secret: e.currentTarget.value } : rest)}
        w={240}
      />
      <Button size="xs" variant="subtle" mb={6} onClick={() => onChange({ ...rest, generate_secret: true })}>
        Generate
      </Button>
      {action.secret_set === true && (
        <Button
          size="xs"
          variant="subtle"
          mb={6}
          onClick={() => {
            setEditing(false);
            onChange(rest);
          }}
        >
          Keep current
        </Button>
      )}
    </Group>
  );
}

function SettingInput({ s, value, onChange, teams }: { s: Setting; value: unknown; onChange: (v: unknown) => void; teams: string[] }) {
  const clean = (v: unknown) => (v === "" || v === null ? undefined : v);
  switch (s.kind) {
    case "number":
      return (
        <NumberInput label={s.label} value={(value as number) ?? ""} onChange={(v) => onChange(v === "" ? undefined : Number(v))} w={140} />
      );
    case "select":
    case "team":
      return (
        <Select
          label={s.label}
          data={s.kind === "team" ? teams : (s.options ?? [])}
          value={(value as string) ?? null}
          onChange={(v) => onChange(clean(v))}
          clearable
          w={180}
        />
      );
    case "bool":
      return <Checkbox mt="lg" label={s.label} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case "list":
      return (
        <TextInput
          label={s.label}
          placeholder="a, b"
          value={Array.isArray(value) ? value.join(", ") : ""}
          onChange={(e) =>
            onChange(
              e.currentTarget.value
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean),
            )
          }
          w={200}
        />
      );
    default:
      return (
        <TextInput
          label={s.label}
          value={(value as string) ?? ""}
          onChange={(e) => onChange(clean(e.currentTarget.value))}
          miw={220}
          style={{ flex: 1 }}
        />
      );
  }
}

export function ActionsEditor({ actions, onChange }: { actions: RuleAction[]; onChange: (a: RuleAction[]) => void }) {
  const teams = (useTeams().data ?? []).map((t) => t.name);
  const [adding, setAdding] = useState<string | null>(null);
  const set = (i: number, a: RuleAction) => onChange(actions.map((x, j) => (j === i ? a : x)));
  const move = (i: number, d: number) => {
    const next = [...actions];
    const [a] = next.splice(i, 1);
    if (a) next.splice(i + d, 0, a);
    onChange(next);
  };
  return (
    <Stack gap="xs">
      {actions.length === 0 && (
        <Text size="sm" c="dimmed">
          No actions yet.
        </Text>
      )}
      {actions.map((a, i) => {
        const spec = ACTION_SPECS[a.type];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: actions are identified by their place in the order
          <Paper key={i} withBorder p="sm" radius="md" data-testid="action">
            <Group justify="space-between" mb={spec?.settings.length ? "xs" : 0}>
              <Text size="sm" fw={600}>
                {i + 1}. {spec?.label ?? a.type}
              </Text>
              <Group gap={4}>
                <ActionIcon variant="subtle" aria-label="Move action up" disabled={i === 0} onClick={() => move(i, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" aria-label="Move action down" disabled={i === actions.length - 1} onClick={() => move(i, 1)}>
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label="Remove action"
                  onClick={() => onChange(actions.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
            <Group gap="sm" align="flex-end" wrap="wrap">
              {spec?.settings.map((s) =>
                s.kind === "secret" ? (
                  <SecretSetting key={s.key} action={a} onChange={(next) => set(i, next)} />
                ) : (
                  <SettingInput
                    key={s.key}
                    s={s}
                    teams={teams}
                    value={a[s.key]}
                    onChange={(v) => {
                      const next: RuleAction = { ...a };
                      if (v === undefined) delete next[s.key];
                      else next[s.key] = v;
                      set(i, next);
                    }}
                  />
                ),
              )}
            </Group>
          </Paper>
        );
      })}
      <Group gap="xs" align="flex-end">
        <Select
          label="New action"
          aria-label="New action"
          placeholder="Choose an action"
          data={Object.entries(ACTION_SPECS).map(([value, s]) => ({ value, label: s.label }))}
          value={adding}
          onChange={setAdding}
          w={280}
        />
        <Button
          variant="light"
          disabled={!adding}
          onClick={() => {
            if (!adding) return;
            onChange([...actions, { type: adding, ...(ACTION_SPECS[adding]?.defaults ?? {}) }]);
            setAdding(null);
          }}
        >
          Add action
        </Button>
      </Group>
    </Stack>
  );
}
