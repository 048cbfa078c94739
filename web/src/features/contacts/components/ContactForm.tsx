import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, TagsInput, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, fieldErrors } from "../../../api";
import { keys, useCustomFields } from "../../../queries";
import { type Contact, type CustomValues, LIFECYCLE_STAGES } from "../../../types";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { changedFields, customPayload, errorFor, trimOrNull } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";
import { CustomFieldInputs } from "./custom-fields";
import { stageLabel } from "./LifecycleBadge";
import { MemberSelect, OrganizationSelect } from "./pickers";

type FormState = {
  name: string;
  first_name: string;
  last_name: string;
  emails: string[];
  phones: string[];
  title: string;
  organization_id: string | null;
  lifecycle_stage: string | null;
  owner_id: string | null;
  tags: string[];
  city: string;
  country: string;
  street: string;
  postal_code: string;
  region: string;
  birth_date: string;
  consent_email: boolean;
  consent_sms: boolean;
  consent_tracking: boolean;
  notes: string;
  external_id: string;
};

function initialState(contact?: Contact): FormState {
  return {
    name: contact?.name ?? "",
    first_name: contact?.first_name ?? "",
    last_name: contact?.last_name ?? "",
    emails: contact?.emails ?? [],
    phones: contact?.phones ?? [],
    title: contact?.title ?? "",
    organization_id: contact?.organization_id ?? null,
    lifecycle_stage: contact?.lifecycle_stage ?? null,
    owner_id: contact?.owner_id ?? null,
    tags: contact?.tags ?? [],
    city: contact?.city ?? "",
    country: contact?.country ?? "",
    street: contact?.street ?? "",
    postal_code: contact?.postal_code ?? "",
    region: contact?.region ?? "",
    birth_date: contact?.birth_date ?? "",
    consent_email: contact?.consent_email ?? false,
    consent_sms: contact?.consent_sms ?? false,
    consent_tracking: contact?.consent_tracking ?? false,
    notes: contact?.notes ?? "",
    external_id: contact?.external_id ?? "",
  };
}

// Contacts imported with a single name and no first/last keep one name field.
function usesSingleName(contact?: Contact): boolean {
  return !!contact && !contact.first_name && !contact.last_name && !!contact.name;
}

const SHOWN_FIELDS = [
  "name",
  "first_name",
  "last_name",
  "emails",
  "phones",
  "title",
  "organization_id",
  "lifecycle_stage",
  "owner_id",
  "tags",
  "city",
  "country",
  "street",
  "postal_code",
  "region",
  "birth_date",
  "notes",
  "external_id",
];

/** Create a contact (no `contact`) or edit one, in a modal. */
export function ContactFormModal({
  opened,
  onClose,
  contact,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  contact?: Contact;
  onSaved?: (contact: Contact) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={contact ? "Edit contact" : "New contact"} size="lg">
      {opened && <ContactForm contact={contact} onCancel={onClose} onSaved={(c) => (onSaved ? onSaved(c) : onClose())} />}
    </Modal>
  );
}

function ContactForm({ contact, onCancel, onSaved }: { contact?: Contact; onCancel: () => void; onSaved: (contact: Contact) => void }) {
  const client = useQueryClient();
  const fields = useCustomFields("contact");
  const [form, setForm] = useState<FormState>(() => initialState(contact));
  const [custom, setCustom] = useState<CustomValues>(() => ({ ...(contact?.custom ?? {}) }));
  const [localError, setLocalError] = useState<string | null>(null);
  const singleName = usesSingleName(contact);

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      contact ? api<Contact>(`/contacts/${contact.id}`, { method: "PATCH", body }) : api<Contact>("/contacts", { method: "POST", body }),
    onSuccess: (saved) => {
      client.setQueryData(keys.contact(saved.id), saved);
      client.invalidateQueries({ queryKey: keys.contacts });
      client.invalidateQueries({ queryKey: keys.organizations });
      onSaved(saved);
    },
  });
  const errors = fieldErrors(save.error);
  // An address of a person who asked to be erased: saved only when staff confirm they came back (audited).
  const erasedPerson = save.error instanceof ApiError && save.error.status === 409 && save.error.details.some((d) => d.field === "emails");
  const [lastBody, setLastBody] = useState<Record<string, unknown> | null>(null);
  const customErrorFields = (fields.data ?? []).map((f) => `custom.${f.key}`);

  function set<K extends keyof FormState>(key: K, value: FormState[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  function handleSubmit() {
    const values = {
      first_name: trimOrNull(form.first_name),
      last_name: trimOrNull(form.last_name),
      emails: form.emails.map((e) => e.trim()).filter(Boolean),
      phones: form.phones.map((p) => p.trim()).filter(Boolean),
      title: trimOrNull(form.title),
      organization_id: form.organization_id,
      lifecycle_stage: form.lifecycle_stage,
      owner_id: form.owner_id,
      tags: form.tags.map((t) => t.trim()).filter(Boolean),
      city: trimOrNull(form.city),
      country: trimOrNull(form.country),
      street: trimOrNull(form.street),
      postal_code: trimOrNull(form.postal_code),
      region: trimOrNull(form.region),
      birth_date: trimOrNull(form.birth_date),
      consent_email: form.consent_email,
      consent_sms: form.consent_sms,
      consent_tracking: form.consent_tracking,
      notes: trimOrNull(form.notes),
      external_id: trimOrNull(form.external_id),
    };
    const fullName = singleName ? trimOrNull(form.name) : [values.first_name, values.last_name].filter(Boolean).join(" ") || null;
    if (!fullName && values.emails.length === 0) {
      setLocalError("Give the contact a name or an email address.");
      return;
    }
    setLocalError(null);
    const customValues = customPayload(fields.data ?? [], custom, contact?.custom);
    let body: Record<string, unknown>;
    if (contact) {
      const changed: Record<string, unknown> = changedFields(values, contact);
      if (singleName) {
        delete changed.first_name;
        delete changed.last_name;
      }
      if (fullName !== contact.name && (singleName || "first_name" in changed || "last_name" in changed)) {
        changed.name = fullName;
      }
      body = { ...changed, ...(customValues ? { custom: customValues } : {}) };
      if (Object.keys(body).length === 0) {
        onSaved(contact);
        return;
      }
    } else {
      body = Object.fromEntries(
        Object.entries({ ...values, name: fullName }).filter(([, v]) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0)),
      );
      if (customValues) body.custom = customValues;
    }
    setLastBody(body);
    save.mutate(body);
  }

  return (
    <StackForm onSubmit={handleSubmit} gap="sm">
      {erasedPerson ? (
        <Alert color="orange" title="This person asked to be erased" role="alert">
          <Text size="sm">{save.error?.message}</Text>
          <Button
            mt="xs"
            size="xs"
            color="orange"
            variant="light"
            loading={save.isPending}
            onClick={() => lastBody && save.mutate({ ...lastBody, confirm_erased: true })}
          >
            They came back of their own accord: save anyway
          </Button>
        </Alert>
      ) : (
        <FormError error={save.error} shownFields={[...SHOWN_FIELDS, ...customErrorFields]} />
      )}
      {localError && (
        <Text c="red" size="sm" role="alert">
          {localError}
        </Text>
      )}
      {singleName ? (
        <TextInput label="Name" data-autofocus value={form.name} onChange={(e) => set("name", e.currentTarget.value)} error={errors.name} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="First name"
            data-autofocus
            autoComplete="off"
            value={form.first_name}
            onChange={(e) => set("first_name", e.currentTarget.value)}
            error={errors.first_name ?? errors.name}
          />
          <TextInput
            label="Last name"
            autoComplete="off"
            value={form.last_name}
            onChange={(e) => set("last_name", e.currentTarget.value)}
            error={errors.last_name}
          />
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TagsInput
          label="Emails"
          description="Press Enter or comma after each"
          splitChars={[",", " ", ";"]}
          acceptValueOnBlur
          value={form.emails}
          onChange={(v) => set("emails", v)}
          error={errorFor(errors, "emails")}
        />
        <TagsInput
          label="Phones"
          description="Press Enter or comma after each"
          splitChars={[",", ";"]}
          acceptValueOnBlur
          value={form.phones}
          onChange={(v) => set("phones", v)}
          error={errorFor(errors, "phones")}
        />
        <TextInput label="Job title" value={form.title} onChange={(e) => set("title", e.currentTarget.value)} error={errors.title} />
        <OrganizationSelect
          label="Organization"
          placeholder="Search organizations"
          value={form.organization_id}
          current={contact?.organization ?? null}
          onChange={(id) => set("organization_id", id)}
          error={errors.organization_id}
        />
        <Select
          label="Lifecycle stage"
          placeholder="Not set"
          clearable
          data={LIFECYCLE_STAGES.map((s) => ({ value: s, label: stageLabel(s) }))}
          value={form.lifecycle_stage}
          onChange={(v) => set("lifecycle_stage", v)}
          error={errors.lifecycle_stage}
        />
        <MemberSelect
          label="Owner"
          placeholder="Nobody"
          value={form.owner_id}
          onChange={(id) => set("owner_id", id)}
          error={errors.owner_id}
        />
        <TextInput label="City" value={form.city} onChange={(e) => set("city", e.currentTarget.value)} error={errors.city} />
        <TextInput label="Country" value={form.country} onChange={(e) => set("country", e.currentTarget.value)} error={errors.country} />
        <TextInput label="Street" value={form.street} onChange={(e) => set("street", e.currentTarget.value)} error={errors.street} />
        <TextInput
          label="Postal code"
          value={form.postal_code}
          onChange={(e) => set("postal_code", e.currentTarget.value)}
          error={errors.postal_code}
        />
        <TextInput label="Region" value={form.region} onChange={(e) => set("region", e.currentTarget.value)} error={errors.region} />
        <TextInput
          label="Birth date"
          placeholder="YYYY-MM-DD"
          value={form.birth_date}
          onChange={(e) => set("birth_date", e.currentTarget.value)}
          error={errors.birth_date}
        />
      </SimpleGrid>
      <TagsInput
        label="Tags"
        splitChars={[","]}
        acceptValueOnBlur
        value={form.tags}
        onChange={(v) => set("tags", v)}
        error={errorFor(errors, "tags")}
      />
      <CustomFieldInputs
        fields={fields.data ?? []}
        values={custom}
        onChange={(key, value) => setCustom((c) => ({ ...c, [key]: value }))}
        errors={errors}
      />
      <Group gap="lg" mt="xs">
        <Checkbox label="Email consent" checked={form.consent_email} onChange={(e) => set("consent_email", e.currentTarget.checked)} />
        <Checkbox label="SMS consent" checked={form.consent_sms} onChange={(e) => set("consent_sms", e.currentTarget.checked)} />
        <Checkbox
          label="Tracking consent"
          checked={form.consent_tracking}
          onChange={(e) => set("consent_tracking", e.currentTarget.checked)}
        />
      </Group>
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        maxRows={8}
        value={form.notes}
        onChange={(e) => set("notes", e.currentTarget.value)}
        error={errors.notes}
      />
      <TextInput
        label="External ID"
        description="The contact's id in another system, used to match imports"
        value={form.external_id}
        onChange={(e) => set("external_id", e.currentTarget.value)}
        error={errors.external_id}
      />
      <FormActions onCancel={onCancel} submitLabel={contact ? "Save changes" : "Create contact"} loading={save.isPending} mt="sm" />
    </StackForm>
  );
}
