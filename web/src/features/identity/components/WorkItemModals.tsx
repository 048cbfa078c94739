// Quick actions of the person view that open a case or a deal for the contact.
import { Group, NumberInput, Select, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { ModalForm } from "../../../ui/ModalForm";

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** POST a case or deal for the contact; on success refresh the person view, say so, clear the form and close. */
function useCreateForPerson(contactId: string, path: "/cases" | "/deals", body: () => unknown, done: string, reset: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ id: string }>(path, { method: "POST", body: body() }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["timeline", "contacts", contactId] });
      notifications.show({ color: "green", message: done });
      reset();
    },
  });
}

/** The modal of a quick action: the server's error on top, the fields, then Cancel and the submit button (enabled once `ready`). */
function PersonItemModal({
  title,
  opened,
  onClose,
  create,
  ready,
  shownFields,
  submitLabel,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  create: { mutate: () => void; error: unknown; isPending: boolean };
  ready: boolean;
  shownFields: string[];
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <ModalForm
      opened={opened}
      onClose={onClose}
      title={title}
      noValidate
      onSubmit={() => {
        if (ready) create.mutate();
      }}
    >
      <FormError error={create.error} shownFields={shownFields} />
      {children}
      <FormActions onCancel={onClose} submitLabel={submitLabel} loading={create.isPending} disabled={!ready} />
    </ModalForm>
  );
}

export function CreateCaseModal({ contactId, opened, onClose }: { contactId: string; opened: boolean; onClose: () => void }) {
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<string>("normal");
  const create = useCreateForPerson(
    contactId,
    "/cases",
    () => ({ subject: subject.trim(), description: description.trim() || null, priority, contact_id: contactId }),
    "Case opened",
    () => {
      setSubject("");
      setDescription("");
      onClose();
    },
  );
  const errors = fieldErrors(create.error);
  return (
    <PersonItemModal
      title="Create case"
      opened={opened}
      onClose={onClose}
      create={create}
      ready={!!subject.trim()}
      shownFields={["subject", "description", "priority"]}
      submitLabel="Open case"
    >
      <TextInput label="Subject" required data-autofocus {...textField(subject, setSubject)} error={errors.subject} />
      <Textarea label="Description" autosize minRows={2} {...textField(description, setDescription)} error={errors.description} />
      <Select
        label="Priority"
        data={PRIORITIES.map((p) => ({ value: p, label: p[0]?.toUpperCase() + p.slice(1) }))}
        value={priority}
        onChange={(v) => v && setPriority(v)}
        allowDeselect={false}
        error={errors.priority}
      />
    </PersonItemModal>
  );
}

export function CreateDealModal({ contactId, opened, onClose }: { contactId: string; opened: boolean; onClose: () => void }) {
  const [title, setTitle] = useState("");
  const [value, setValue] = useState<number | null>(null);
  const [currency, setCurrency] = useState("");
  const create = useCreateForPerson(
    contactId,
    "/deals",
    () => ({
      title: title.trim(),
      contact_id: contactId,
      ...(value !== null ? { value } : {}),
      ...(currency.trim() ? { currency: currency.trim() } : {}),
    }),
    "Deal created",
    () => {
      setTitle("");
      setValue(null);
      onClose();
    },
  );
  const errors = fieldErrors(create.error);
  return (
    <PersonItemModal
      title="Create deal"
      opened={opened}
      onClose={onClose}
      create={create}
      ready={!!title.trim()}
      shownFields={["title", "value", "currency"]}
      submitLabel="Create deal"
    >
      <TextInput label="Title" required data-autofocus {...textField(title, setTitle)} error={errors.title} />
      <Group grow align="flex-start">
        <NumberInput
          label="Value"
          min={0}
          value={value ?? ""}
          onChange={(v) => setValue(typeof v === "number" ? v : null)}
          error={errors.value}
        />
        <TextInput label="Currency" placeholder="EUR" maxLength={3} {...textField(currency, setCurrency)} error={errors.currency} />
      </Group>
    </PersonItemModal>
  );
}
