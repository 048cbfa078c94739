import {
  ActionIcon,
  Badge,
  Code,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, fieldErrors } from "../../../api";
import { keys, useCustomFields } from "../../../queries";
import { CUSTOM_FIELD_TYPES, type CustomField, type CustomFieldEntity, type CustomFieldType } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { RowActions } from "../../../ui/RowActions";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";

const KEY_RE = /^[a-z][a-z0-9_]*$/;

const TYPE_LABELS: Record<CustomFieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  select: "Single choice",
  multiselect: "Multiple choice",
  url: "URL",
};

const hasOptions = (type: CustomFieldType) => type === "select" || type === "multiselect";

/** A snake_case key from a label: "Customer tier" → "customer_tier". */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 63);
  return /^[a-z]/.test(key) ? key : key ? `f_${key}`.slice(0, 63) : "";
}

export function CustomFieldsSettings() {
  const [entity, setEntity] = useState<CustomFieldEntity>("contact");
  return (
    <Stack gap="lg">
      <Group>
        <SegmentedControl
          aria-label="Custom fields of"
          value={entity}
          onChange={(v) => setEntity(v as CustomFieldEntity)}
          data={[
            { value: "contact", label: "Contact fields" },
            { value: "organization", label: "Organization fields" },
          ]}
        />
      </Group>
      <CreateFieldForm key={entity} entity={entity} />
      <FieldTable entity={entity} />
    </Stack>
  );
}

function CreateFieldForm({ entity }: { entity: CustomFieldEntity }) {
  const client = useQueryClient();
  const [label, setLabel] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const [type, setType] = useState<CustomFieldType>("text");
  const [options, setOptions] = useState<string[]>([]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      api<CustomField>("/custom-fields", {
        method: "POST",
        body: { entity, key, label: label.trim(), type, ...(hasOptions(type) ? { options } : {}) },
      }),
    onSuccess: (field) => {
      client.invalidateQueries({ queryKey: keys.customFields(entity) });
      notifications.show({ color: "green", message: `Field ${field.label} added` });
      setLabel("");
      setKey("");
      setKeyEdited(false);
      setOptions([]);
    },
  });
  const errors = { ...fieldErrors(create.error), ...localErrors };

  function handleLabel(value: string) {
    setLabel(value);
    if (!keyEdited) setKey(keyFromLabel(value));
  }

  function handleSubmit() {
    const found: Record<string, string> = {};
    if (!label.trim()) found.label = "Give the field a label";
    if (!KEY_RE.test(key)) found.key = "Lowercase letters, digits and _; starts with a letter";
    if (hasOptions(type) && options.length === 0) found.options = "Add at least one option";
    setLocalErrors(found);
    if (Object.keys(found).length === 0) create.mutate();
  }

  return (
    <SettingsSection title={`Add a ${entity} field`}>
      <StackForm onSubmit={handleSubmit} gap="sm">
        <FormError error={create.error} shownFields={["label", "key", "type", "options"]} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Label"
            placeholder="e.g. Customer tier"
            required
            autoFocus
            value={label}
            onChange={(e) => handleLabel(e.currentTarget.value)}
            error={errors.label}
          />
          <TextInput
            label="Key"
            description="Used in the API, imports and filters"
            required
            value={key}
            onChange={(e) => {
              setKey(e.currentTarget.value);
              setKeyEdited(true);
            }}
            error={errors.key}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          />
          <Select
            label="Type"
            data={CUSTOM_FIELD_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
            value={type}
            allowDeselect={false}
            onChange={(v) => v && setType(v as CustomFieldType)}
            error={errors.type}
          />
        </SimpleGrid>
        {hasOptions(type) && (
          <TagsInput
            label="Options"
            description="Press Enter after each option"
            required
            value={options}
            onChange={setOptions}
            error={errors.options}
          />
        )}
        <FormActions submitLabel="Add field" leftSection={<IconPlus size={16} />} loading={create.isPending} />
      </StackForm>
    </SettingsSection>
  );
}

function FieldTable({ entity }: { entity: CustomFieldEntity }) {
  const client = useQueryClient();
  const fields = useCustomFields(entity);
  const [editing, setEditing] = useState<CustomField | null>(null);
  const deletion = useConfirmed(
    (field: CustomField) => api<void>(`/custom-fields/${field.id}`, { method: "DELETE" }),
    () => client.invalidateQueries({ queryKey: keys.customFields(entity) }),
  );
  const move = useMutation({
    mutationFn: async ({ a, b }: { a: CustomField; b: CustomField }) => {
      // Swap two neighbours; positions may tie, so give distinct ones.
      const posA = Math.min(a.position, b.position);
      const posB = posA === Math.max(a.position, b.position) ? posA + 1 : Math.max(a.position, b.position);
      await api(`/custom-fields/${a.id}`, { method: "PATCH", body: { position: posB } });
      await api(`/custom-fields/${b.id}`, { method: "PATCH", body: { position: posA } });
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.customFields(entity) }),
    onError: (error) => notifications.show({ color: "red", title: "Could not reorder", message: errorMessage(error) }),
  });
  const items = fields.data ?? [];
  const columns: Array<DataColumn<CustomField>> = [
    { key: "label", header: "Label", td: { fz: "sm", fw: 500 }, cell: (field) => field.label },
    { key: "key", header: "Key", cell: (field) => <Code>{field.key}</Code> },
    { key: "type", header: "Type", td: { fz: "sm" }, cell: (field) => TYPE_LABELS[field.type] ?? field.type },
    {
      key: "options",
      header: "Options",
      cell: (field) => (
        <Group gap={4}>
          {field.options.map((o) => (
            <Badge key={o} size="sm" variant="light" color="gray" radius="sm" tt="none">
              {o}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      key: "actions",
      th: { w: 150 },
      cell: (field, index) => (
        <RowActions
          editLabel={`Edit field ${field.label}`}
          onEdit={() => setEditing(field)}
          deleteLabel={`Delete field ${field.label}`}
          onDelete={() => deletion.ask(field)}
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${field.label} up`}
            disabled={index === 0 || move.isPending}
            onClick={() => move.mutate({ a: items[index - 1], b: field })}
          >
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move ${field.label} down`}
            disabled={index === items.length - 1 || move.isPending}
            onClick={() => move.mutate({ a: field, b: items[index + 1] })}
          >
            <IconArrowDown size={16} />
          </ActionIcon>
        </RowActions>
      ),
    },
  ];

  return (
    <SettingsSection title={entity === "contact" ? "Contact fields" : "Organization fields"}>
      <QueryState query={fields} items={items} empty={`No custom fields on ${entity === "contact" ? "contacts" : "organizations"} yet.`}>
        <DataTable label={`Custom ${entity} fields`} columns={columns} rows={items} rowKey={(field) => field.id} />
      </QueryState>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title="Edit field">
        {editing && <EditFieldForm field={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmDialog {...deletion.dialog} title={`Delete field ${deletion.target?.label}?`} confirmLabel="Delete field">
        The values stored in <Code>{deletion.target?.key}</Code> on every {entity} are removed too, and segments or filters using it stop
        working. This cannot be undone.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function EditFieldForm({ field, onDone }: { field: CustomField; onDone: () => void }) {
  const client = useQueryClient();
  const [label, setLabel] = useState(field.label);
  const [options, setOptions] = useState<string[]>(field.options);
  const save = useMutation({
    mutationFn: () =>
      api<CustomField>(`/custom-fields/${field.id}`, {
        method: "PATCH",
        body: { label: label.trim(), ...(hasOptions(field.type) ? { options } : {}) },
      }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: keys.customFields(field.entity) });
      client.invalidateQueries({ queryKey: keys.contacts });
      onDone();
    },
  });
  const errors = fieldErrors(save.error);

  function handleSubmit() {
    if (label.trim()) save.mutate();
  }

  return (
    <StackForm onSubmit={handleSubmit} gap="sm">
      <Text size="sm" c="dimmed">
        Key <Code>{field.key}</Code> · {TYPE_LABELS[field.type]} — the key and type cannot change.
      </Text>
      <FormError error={save.error} shownFields={["label", "options"]} />
      <TextInput label="Label" required data-autofocus {...textField(label, setLabel)} error={errors.label} />
      {hasOptions(field.type) && (
        <TagsInput
          label="Options"
          description="Press Enter after each option"
          value={options}
          onChange={setOptions}
          error={errors.options}
        />
      )}
      <FormActions onCancel={onDone} submitLabel="Save field" loading={save.isPending} disabled={!label.trim()} />
    </StackForm>
  );
}
