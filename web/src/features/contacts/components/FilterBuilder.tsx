// A small builder for the filter language of Parley lists: a flat group of
// {field, op, value} conditions matched all/any, as the API's filter JSON.
import {
  ActionIcon,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { type CustomField, type FilterCondition, type FilterGroup, type FilterOp, LIFECYCLE_STAGES } from "../../../types";
import { StackForm } from "../../../ui/StackForm";
import { stageLabel } from "./LifecycleBadge";
import { MemberSelect, OrganizationSelect } from "./pickers";

type Kind = "text" | "enum" | "array" | "boolean" | "date" | "owner" | "organization" | "number" | "flag";
type FieldDef = { field: string; label: string; kind: Kind; options?: string[]; group: string };

const OPS: Record<Kind, FilterOp[]> = {
  text: ["contains", "not_contains", "eq", "neq", "starts_with", "in", "not_in", "is_set", "is_not_set"],
  enum: ["eq", "neq", "in", "not_in"],
  array: ["contains", "not_contains", "has_any", "has_all", "is_set", "is_not_set"],
  boolean: ["eq", "neq"],
  date: ["eq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  owner: ["eq", "neq", "is_set", "is_not_set"],
  organization: ["eq", "neq", "is_set", "is_not_set"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  flag: ["eq"],
};

const OP_LABELS: Record<FilterOp, string> = {
  eq: "is",
  neq: "is not",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  in: "is any of",
  not_in: "is none of",
  gt: "is after / greater than",
  gte: "is on or after / at least",
  lt: "is before / less than",
  lte: "is on or before / at most",
  is_set: "is set",
  is_not_set: "is empty",
  has_any: "has any of",
  has_all: "has all of",
};

const NUMBER_OP_LABELS: Partial<Record<FilterOp, string>> = {
  gt: "greater than",
  gte: "at least",
  lt: "less than",
  lte: "at most",
};
const DATE_OP_LABELS: Partial<Record<FilterOp, string>> = {
  eq: "is on",
  gt: "is after",
  gte: "is on or after",
  lt: "is before",
  lte: "is on or before",
};

function opLabel(kind: Kind, op: FilterOp): string {
  if (kind === "number") return NUMBER_OP_LABELS[op] ?? OP_LABELS[op];
  if (kind === "date") return DATE_OP_LABELS[op] ?? OP_LABELS[op];
  return OP_LABELS[op];
}

const LIST_OPS: FilterOp[] = ["in", "not_in", "has_any", "has_all"];
const NO_VALUE_OPS: FilterOp[] = ["is_set", "is_not_set"];

export function contactFilterFields(customFields: CustomField[]): FieldDef[] {
  const std = "Contact";
  const fields: FieldDef[] = [
    { field: "name", label: "Name", kind: "text", group: std },
    { field: "email", label: "Email", kind: "array", group: std },
    { field: "phone", label: "Phone", kind: "array", group: std },
    { field: "title", label: "Job title", kind: "text", group: std },
    { field: "lifecycle_stage", label: "Lifecycle stage", kind: "enum", options: [...LIFECYCLE_STAGES], group: std },
    { field: "owner_id", label: "Owner", kind: "owner", group: std },
    { field: "organization_id", label: "Organization", kind: "organization", group: std },
    { field: "tags", label: "Tags", kind: "array", group: std },
    { field: "country", label: "Country", kind: "text", group: std },
    { field: "city", label: "City", kind: "text", group: std },
    { field: "consent_email", label: "Email consent", kind: "boolean", group: std },
    { field: "consent_sms", label: "SMS consent", kind: "boolean", group: std },
    { field: "consent_tracking", label: "Tracking consent", kind: "boolean", group: std },
    { field: "has_open_tasks", label: "Has open tasks", kind: "flag", group: std },
    { field: "created_at", label: "Created", kind: "date", group: std },
    { field: "updated_at", label: "Updated", kind: "date", group: std },
    { field: "external_id", label: "External ID", kind: "text", group: std },
  ];
  for (const f of customFields) {
    const kind: Kind =
      f.type === "number"
        ? "number"
        : f.type === "date"
          ? "date"
          : f.type === "boolean"
            ? "boolean"
            : f.type === "select"
              ? "enum"
              : f.type === "multiselect"
                ? "array"
                : "text";
    fields.push({ field: `custom.${f.key}`, label: f.label, kind, options: f.options, group: "Custom fields" });
  }
  return fields;
}

type Draft = { field: string; op: FilterOp; value: unknown };

function needsValue(op: FilterOp) {
  return !NO_VALUE_OPS.includes(op);
}

function isComplete(c: Draft): boolean {
  if (!c.field) return false;
  if (!needsValue(c.op)) return true;
  if (Array.isArray(c.value)) return c.value.length > 0;
  return c.value !== undefined && c.value !== null && c.value !== "";
}

export function countConditions(filter: FilterGroup | null): number {
  if (!filter) return 0;
  return filter.conditions.reduce((n, c) => n + ("conditions" in c ? countConditions(c) : 1), 0);
}

export function FilterBuilderModal({
  opened,
  onClose,
  value,
  onApply,
  customFields,
}: {
  opened: boolean;
  onClose: () => void;
  value: FilterGroup | null;
  onApply: (filter: FilterGroup | null) => void;
  customFields: CustomField[];
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Filter contacts" size="xl">
      {opened && (
        <FilterBuilder
          initial={value}
          customFields={customFields}
          onCancel={onClose}
          onApply={(f) => {
            onApply(f);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

function FilterBuilder({
  initial,
  customFields,
  onApply,
  onCancel,
}: {
  initial: FilterGroup | null;
  customFields: CustomField[];
  onApply: (filter: FilterGroup | null) => void;
  onCancel: () => void;
}) {
  const fields = contactFilterFields(customFields);
  const [match, setMatch] = useState<"all" | "any">(initial?.match ?? "all");
  const [rows, setRows] = useState<Draft[]>(() => {
    const flat = (initial?.conditions ?? []).filter((c): c is FilterCondition => !("conditions" in c));
    return flat.length > 0
      ? flat.map((c) => ({ field: c.field, op: c.op, value: c.value }))
      : [{ field: "name", op: "contains", value: "" }];
  });
  const [showErrors, setShowErrors] = useState(false);

  function defOf(field: string) {
    return fields.find((f) => f.field === field);
  }

  function update(index: number, patch: Partial<Draft>) {
    setRows((rs) => rs.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  }

  function handleFieldChange(index: number, field: string | null) {
    const def = field ? defOf(field) : undefined;
    if (!field || !def) return;
    update(index, { field, op: OPS[def.kind][0], value: def.kind === "boolean" || def.kind === "flag" ? true : "" });
  }

  function handleOpChange(index: number, op: FilterOp) {
    const row = rows[index];
    const wasList = LIST_OPS.includes(row.op);
    const isList = LIST_OPS.includes(op);
    let value = row.value;
    if (wasList !== isList)
      value = isList ? (row.value ? [String(row.value)] : []) : Array.isArray(row.value) ? (row.value[0] ?? "") : row.value;
    update(index, { op, value });
  }

  function handleSubmit() {
    const used = rows.filter((r) => !(r.field === "name" && r.op === "contains" && r.value === "" && rows.length === 1));
    if (used.some((r) => !isComplete(r))) {
      setShowErrors(true);
      return;
    }
    if (used.length === 0) return onApply(null);
    onApply({
      match,
      conditions: used.map((r) => (needsValue(r.op) ? { field: r.field, op: r.op, value: r.value } : { field: r.field, op: r.op })),
    });
  }

  const fieldData = [
    { group: "Contact", items: fields.filter((f) => f.group === "Contact").map((f) => ({ value: f.field, label: f.label })) },
    ...(customFields.length
      ? [{ group: "Custom fields", items: fields.filter((f) => f.group !== "Contact").map((f) => ({ value: f.field, label: f.label })) }]
      : []),
  ];

  return (
    <StackForm onSubmit={handleSubmit}>
      <Group gap="xs">
        <Text size="sm">Show contacts matching</Text>
        <SegmentedControl
          size="xs"
          aria-label="Match"
          value={match}
          onChange={(v) => setMatch(v as "all" | "any")}
          data={[
            { value: "all", label: "all conditions" },
            { value: "any", label: "any condition" },
          ]}
        />
      </Group>
      {rows.map((row, index) => {
        const def = defOf(row.field);
        const kind = def?.kind ?? "text";
        const n = index + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and have no id
          <Group key={index} align="flex-start" gap="xs" wrap="nowrap">
            <Select
              aria-label={`Field of condition ${n}`}
              data={fieldData}
              value={row.field}
              onChange={(v) => handleFieldChange(index, v)}
              searchable
              allowDeselect={false}
              w={200}
            />
            <Select
              aria-label={`Operator of condition ${n}`}
              data={OPS[kind].map((op) => ({ value: op, label: opLabel(kind, op) }))}
              value={row.op}
              onChange={(v) => v && handleOpChange(index, v as FilterOp)}
              allowDeselect={false}
              w={190}
            />
            <div style={{ flex: 1, minWidth: 0 }}>
              {needsValue(row.op) && def && (
                <ValueInput
                  def={def}
                  op={row.op}
                  value={row.value}
                  label={`Value of condition ${n}`}
                  error={showErrors && !isComplete(row) ? "Enter a value" : undefined}
                  onChange={(value) => update(index, { value })}
                />
              )}
            </div>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove condition ${n}`}
              onClick={() => setRows((rs) => rs.filter((_, i) => i !== index))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() => setRows((rs) => [...rs, { field: "name", op: "contains", value: "" }])}
          disabled={rows.length >= 50}
        >
          Add condition
        </Button>
      </Group>
      <Group justify="space-between">
        <Button variant="subtle" color="gray" onClick={() => onApply(null)}>
          Clear filter
        </Button>
        <Group gap="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Apply filter</Button>
        </Group>
      </Group>
    </StackForm>
  );
}

function ValueInput({
  def,
  op,
  value,
  label,
  error,
  onChange,
}: {
  def: FieldDef;
  op: FilterOp;
  value: unknown;
  label: string;
  error?: string;
  onChange: (value: unknown) => void;
}) {
  const list = LIST_OPS.includes(op);
  const common = { "aria-label": label, error };
  if (def.kind === "boolean" || def.kind === "flag") {
    return (
      <Select
        {...common}
        data={[
          { value: "true", label: "Yes" },
          { value: "false", label: "No" },
        ]}
        value={value === false ? "false" : "true"}
        onChange={(v) => onChange(v !== "false")}
        allowDeselect={false}
      />
    );
  }
  if (def.kind === "enum" && def.options) {
    const data = def.options.map((o) => ({ value: o, label: def.field === "lifecycle_stage" ? stageLabel(o) : o }));
    return list ? (
      <MultiSelect {...common} data={data} value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />
    ) : (
      <Select {...common} data={data} value={typeof value === "string" ? value : null} onChange={onChange} />
    );
  }
  if (list || (def.kind === "array" && (op === "has_any" || op === "has_all"))) {
    if (def.options && def.options.length > 0) {
      return <MultiSelect {...common} data={def.options} value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
    }
    return (
      <TagsInput
        {...common}
        placeholder="Type and press Enter"
        acceptValueOnBlur
        value={Array.isArray(value) ? (value as string[]) : []}
        onChange={onChange}
      />
    );
  }
  switch (def.kind) {
    case "date":
      return (
        <DateInput
          {...common}
          valueFormat="YYYY-MM-DD"
          placeholder="YYYY-MM-DD"
          value={typeof value === "string" && value ? value : null}
          onChange={(v) => onChange(v ? v.slice(0, 10) : "")}
        />
      );
    case "number":
      return (
        <NumberInput {...common} value={typeof value === "number" ? value : ""} onChange={(v) => onChange(v === "" ? "" : Number(v))} />
      );
    case "owner":
      return <MemberSelect {...common} value={typeof value === "string" && value ? value : null} onChange={(v) => onChange(v ?? "")} />;
    case "organization":
      return (
        <OrganizationSelect
          {...common}
          placeholder="Search organizations"
          value={typeof value === "string" && value ? value : null}
          onChange={(v) => onChange(v ?? "")}
        />
      );
    default:
      return <TextInput {...common} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
