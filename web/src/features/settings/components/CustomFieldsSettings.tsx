import {
  ActionIcon,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../../../api";
import { keys, useCustomFields } from "../../../queries";
import { CUSTOM_FIELD_TYPES, type CustomField, type CustomFieldEntity, type CustomFieldType } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";

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

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!label.trim()) found.label = "Give the field a label";
    if (!KEY_RE.test(key)) found.key = "Lowercase letters, digits and _; starts with a letter";
    if (hasOptions(type) && options.length === 0) found.options = "Add at least one option";
    setLocalErrors(found);
    if (Object.keys(found).length === 0) create.mutate();
  }

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        Add a {entity} field
      </Title>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="sm">
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
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconPlus size={16} />} loading={create.isPending}>
              Add field
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function FieldTable({ entity }: { entity: CustomFieldEntity }) {
  const client = useQueryClient();
  const fields = useCustomFields(entity);
  const [editing, setEditing] = useState<CustomField | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/custom-fields/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setDeleting(null);
      client.invalidateQueries({ queryKey: keys.customFields(entity) });
    },
  });
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

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        {entity === "contact" ? "Contact fields" : "Organization fields"}
      </Title>
      {fields.isError ? (
        <LoadError error={fields.error} onRetry={() => fields.refetch()} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {fields.isPending ? "Loading…" : `No custom fields on ${entity === "contact" ? "contacts" : "organizations"} yet.`}
        </Text>
      ) : (
        <Table aria-label={`Custom ${entity} fields`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Options</Table.Th>
              <Table.Th w={150} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((field, index) => (
              <Table.Tr key={field.id}>
                <Table.Td fz="sm" fw={500}>
                  {field.label}
                </Table.Td>
                <Table.Td>
                  <Code>{field.key}</Code>
                </Table.Td>
                <Table.Td fz="sm">{TYPE_LABELS[field.type] ?? field.type}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {field.options.map((o) => (
                      <Badge key={o} size="sm" variant="light" color="gray" radius="sm" tt="none">
                        {o}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap" justify="flex-end">
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
                    <ActionIcon variant="subtle" color="gray" aria-label={`Edit field ${field.label}`} onClick={() => setEditing(field)}>
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" color="red" aria-label={`Delete field ${field.label}`} onClick={() => setDeleting(field)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title="Edit field">
        {editing && <EditFieldForm field={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmDialog
        opened={!!deleting}
        title={`Delete field ${deleting?.label}?`}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        loading={remove.isPending}
        error={remove.error}
        confirmLabel="Delete field"
      >
        The values stored in <Code>{deleting?.key}</Code> on every {entity} are removed too, and segments or filters using it stop working.
        This cannot be undone.
      </ConfirmDialog>
    </Paper>
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

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (label.trim()) save.mutate();
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Key <Code>{field.key}</Code> · {TYPE_LABELS[field.type]} — the key and type cannot change.
        </Text>
        <FormError error={save.error} shownFields={["label", "options"]} />
        <TextInput
          label="Label"
          required
          data-autofocus
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          error={errors.label}
        />
        {hasOptions(field.type) && (
          <TagsInput
            label="Options"
            description="Press Enter after each option"
            value={options}
            onChange={setOptions}
            error={errors.options}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!label.trim()}>
            Save field
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
