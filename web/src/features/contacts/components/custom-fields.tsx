// Custom fields rendered by their type, for reading and for editing. Values
// come from users (and imports): shown as text, URLs only when http(s).
import { Anchor, Badge, Checkbox, Divider, Group, MultiSelect, NumberInput, Select, SimpleGrid, Text, TextInput } from "@mantine/core";
import { DateInput } from "@mantine/dates";
import dayjs from "dayjs";
import { safeHttpUrl } from "../../../format";
import type { CustomField, CustomValue, CustomValues } from "../../../types";
import { FieldList } from "../../../ui/FieldList";
import { Panel } from "../../../ui/Panel";

export function ExternalLink({ href, children }: { href: string; children?: string }) {
  const safe = safeHttpUrl(href);
  if (!safe)
    return (
      <Text span size="sm">
        {children ?? href}
      </Text>
    );
  return (
    <Anchor href={safe} target="_blank" rel="noopener noreferrer nofollow" size="sm" style={{ overflowWrap: "anywhere" }}>
      {children ?? href}
    </Anchor>
  );
}

export function isEmptyValue(value: CustomValue | undefined): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** A one-line text form of a value, for tables. */
export function formatCustomValue(field: CustomField, value: CustomValue | undefined): string {
  if (isEmptyValue(value)) return "";
  switch (field.type) {
    case "boolean":
      return value ? "Yes" : "No";
    case "date":
      return typeof value === "string" ? dayjs(value).format("MMM D, YYYY") : String(value);
    case "multiselect":
      return Array.isArray(value) ? value.join(", ") : String(value);
    default:
      return String(value);
  }
}

export function CustomFieldValue({ field, value }: { field: CustomField; value: CustomValue | undefined }) {
  if (field.type === "boolean" && typeof value === "boolean") return <Text size="sm">{value ? "Yes" : "No"}</Text>;
  if (isEmptyValue(value)) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  switch (field.type) {
    case "url":
      return <ExternalLink href={String(value)} />;
    case "multiselect":
      return (
        <Group gap={4}>
          {(Array.isArray(value) ? value : [String(value)]).map((v) => (
            <Badge key={v} variant="light" color="gray" radius="sm" tt="none">
              {v}
            </Badge>
          ))}
        </Group>
      );
    case "select":
      return (
        <Badge variant="light" radius="sm" tt="none">
          {String(value)}
        </Badge>
      );
    default:
      return (
        <Text size="sm" className="pre-wrap">
          {formatCustomValue(field, value)}
        </Text>
      );
  }
}

/** A record page's "Custom fields" panel; nothing when the workspace has none. */
export function CustomFieldsPanel({ fields, values }: { fields: CustomField[]; values: CustomValues | null | undefined }) {
  if (fields.length === 0) return null;
  return (
    <Panel title="Custom fields">
      <FieldList
        items={fields.map((field) => ({ label: field.label, value: <CustomFieldValue field={field} value={values?.[field.key]} /> }))}
      />
    </Panel>
  );
}

/** The custom fields section of a contact or organization form; nothing when the workspace has none. */
export function CustomFieldInputs({
  fields,
  values,
  onChange,
  errors,
}: {
  fields: CustomField[];
  values: CustomValues;
  onChange: (key: string, value: CustomValue) => void;
  errors: Record<string, string>;
}) {
  if (fields.length === 0) return null;
  return (
    <>
      <Divider label="Custom fields" labelPosition="left" mt="xs" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {fields.map((field) => (
          <CustomFieldInput
            key={field.id}
            field={field}
            value={values[field.key]}
            onChange={(value) => onChange(field.key, value)}
            error={errors[`custom.${field.key}`]}
          />
        ))}
      </SimpleGrid>
    </>
  );
}

/** The input for one custom field; `onChange(null)` clears the value. */
export function CustomFieldInput({
  field,
  value,
  onChange,
  error,
  disabled,
}: {
  field: CustomField;
  value: CustomValue | undefined;
  onChange: (value: CustomValue) => void;
  error?: string;
  disabled?: boolean;
}) {
  const common = { label: field.label, error, disabled };
  switch (field.type) {
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" ? value : ""}
          onChange={(v) => onChange(typeof v === "number" ? v : v === "" ? null : Number(v))}
        />
      );
    case "date":
      return (
        <DateInput
          {...common}
          valueFormat="YYYY-MM-DD"
          placeholder="YYYY-MM-DD"
          clearable
          value={typeof value === "string" ? value : null}
          onChange={(v) => onChange(v ? v.slice(0, 10) : null)}
        />
      );
    case "boolean":
      return <Checkbox {...common} mt="xs" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case "select":
      return (
        <Select
          {...common}
          data={field.options}
          clearable
          searchable
          value={typeof value === "string" ? value : null}
          onChange={(v) => onChange(v)}
        />
      );
    case "multiselect":
      return (
        <MultiSelect
          {...common}
          data={field.options}
          clearable
          searchable
          value={Array.isArray(value) ? value : []}
          onChange={(v) => onChange(v)}
        />
      );
    case "url":
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value === "" ? null : e.currentTarget.value)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === "string" ? value : value == null ? "" : String(value)}
          onChange={(e) => onChange(e.currentTarget.value === "" ? null : e.currentTarget.value)}
        />
      );
  }
}
