// Condition builder: field → operator → value rows in all/any groups, nested.
import { ActionIcon, Button, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { type CatalogField, OP_LABELS, type RuleCondition, type RuleGroup } from "../types";

function ValueInput({ field, cond, onChange }: { field?: CatalogField; cond: RuleCondition; onChange: (v: unknown) => void }) {
  if (cond.op === "is_set" || cond.op === "is_not_set") return null;
  const multi = cond.op === "in" || cond.op === "not_in";
  const options = field?.options ?? [];
  if (field?.type === "boolean") {
    return (
      <Select
        aria-label="Value"
        data={["true", "false"]}
        value={cond.value === undefined ? null : String(cond.value)}
        onChange={(v) => onChange(v === "true")}
        w={110}
      />
    );
  }
  if (options.length > 0) {
    return multi ? (
      <MultiSelect
        aria-label="Value"
        data={options}
        value={Array.isArray(cond.value) ? (cond.value as string[]) : []}
        onChange={onChange}
        miw={200}
      />
    ) : (
      <Select aria-label="Value" data={options} value={(cond.value as string) ?? null} onChange={onChange} w={200} searchable />
    );
  }
  if (field?.type === "number" && !multi) {
    return (
      <NumberInput
        aria-label="Value"
        value={(cond.value as number) ?? ""}
        onChange={(v) => onChange(v === "" ? undefined : Number(v))}
        w={140}
      />
    );
  }
  return (
    <TextInput
      aria-label="Value"
      placeholder={multi ? "a, b, c" : cond.op === "matches_query" ? '"exact phrase" OR word' : "value"}
      value={multi ? (Array.isArray(cond.value) ? (cond.value as string[]).join(", ") : "") : String(cond.value ?? "")}
      onChange={(e) => {
        const text = e.currentTarget.value;
        if (!multi) onChange(text);
        else
          onChange(
            text
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
              .map((s) => (field?.type === "number" && !Number.isNaN(Number(s)) ? Number(s) : s)),
          );
      }}
      miw={200}
      style={{ flex: 1 }}
    />
  );
}

function ConditionRow({
  cond,
  fields,
  onChange,
  onRemove,
}: {
  cond: RuleCondition;
  fields: CatalogField[];
  onChange: (c: RuleCondition) => void;
  onRemove: () => void;
}) {
  const field = fields.find((f) => f.field === cond.field);
  const ops = field?.operators ?? ["equals", "not_equals", "contains", "is_set", "is_not_set"];
  return (
    <Group gap="xs" wrap="wrap" data-testid="condition">
      <Select
        aria-label="Condition field"
        data={fields.map((f) => ({ value: f.field, label: `${f.group}: ${f.label}` }))}
        value={cond.field}
        searchable
        onChange={(v) => {
          const next = fields.find((f) => f.field === v);
          onChange({ field: v ?? "", op: next?.operators[0] ?? "equals" });
        }}
        w={260}
      />
      <Select
        aria-label="Operator"
        data={ops.map((o) => ({ value: o, label: OP_LABELS[o] ?? o }))}
        value={cond.op}
        onChange={(v) => onChange({ field: cond.field, op: v ?? "equals" })}
        w={160}
      />
      <ValueInput field={field} cond={cond} onChange={(value) => onChange({ ...cond, value })} />
      <ActionIcon variant="subtle" color="red" aria-label="Remove condition" onClick={onRemove}>
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

export function ConditionGroupEditor({
  group,
  fields,
  onChange,
  onRemove,
  depth = 0,
}: {
  group: RuleGroup;
  fields: CatalogField[];
  onChange: (g: RuleGroup) => void;
  onRemove?: () => void;
  depth?: number;
}) {
  const set = (i: number, c: RuleCondition | RuleGroup) =>
    onChange({ ...group, conditions: group.conditions.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  return (
    <Paper withBorder={depth > 0} p={depth > 0 ? "sm" : 0} radius="md">
      <Stack gap="xs">
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label="Match"
            value={group.match}
            onChange={(v) => onChange({ ...group, match: v as "all" | "any" })}
            data={[
              { value: "all", label: "All of (AND)" },
              { value: "any", label: "Any of (OR)" },
            ]}
          />
          {onRemove && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
              Remove group
            </Button>
          )}
        </Group>
        {group.conditions.map((c, i) =>
          "conditions" in c ? (
            <ConditionGroupEditor
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
              key={i}
              group={c}
              fields={fields}
              depth={depth + 1}
              onChange={(g) => set(i, g)}
              onRemove={() => remove(i)}
            />
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <ConditionRow key={i} cond={c} fields={fields} onChange={(x) => set(i, x)} onRemove={() => remove(i)} />
          ),
        )}
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange({ ...group, conditions: [...group.conditions, { field: "message.text", op: "contains", value: "" }] })}
          >
            Add condition
          </Button>
          {depth < 3 && (
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => onChange({ ...group, conditions: [...group.conditions, { match: "any", conditions: [] }] })}
            >
              Add group
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
