// Quick actions of the person view that open a case or a deal for the contact.
import { Button, Group, Modal, NumberInput, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { FormError } from "../../../ui/FormError";

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

function useRefreshPerson(contactId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ["timeline", "contacts", contactId] });
}

export function CreateCaseModal({ contactId, opened, onClose }: { contactId: string; opened: boolean; onClose: () => void }) {
  const refresh = useRefreshPerson(contactId);
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [priority, setPriority] = useState<string>("normal");
  const create = useMutation({
    mutationFn: () =>
      api<{ id: string }>("/cases", {
        method: "POST",
        body: { subject: subject.trim(), description: description.trim() || null, priority, contact_id: contactId },
      }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: "green", message: "Case opened" });
      setSubject("");
      setDescription("");
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Modal opened={opened} onClose={onClose} title="Create case">
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (subject.trim()) create.mutate();
        }}
      >
        <Stack>
          <FormError error={create.error} shownFields={["subject", "description", "priority"]} />
          <TextInput
            label="Subject"
            required
            data-autofocus
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <Select
            label="Priority"
            data={PRIORITIES.map((p) => ({ value: p, label: p[0]?.toUpperCase() + p.slice(1) }))}
            value={priority}
            onChange={(v) => v && setPriority(v)}
            allowDeselect={false}
            error={errors.priority}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!subject.trim()}>
              Open case
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function CreateDealModal({ contactId, opened, onClose }: { contactId: string; opened: boolean; onClose: () => void }) {
  const refresh = useRefreshPerson(contactId);
  const [title, setTitle] = useState("");
  const [value, setValue] = useState<number | null>(null);
  const [currency, setCurrency] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api<{ id: string }>("/deals", {
        method: "POST",
        body: {
          title: title.trim(),
          contact_id: contactId,
          ...(value !== null ? { value } : {}),
          ...(currency.trim() ? { currency: currency.trim() } : {}),
        },
      }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: "green", message: "Deal created" });
      setTitle("");
      setValue(null);
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Modal opened={opened} onClose={onClose} title="Create deal">
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (title.trim()) create.mutate();
        }}
      >
        <Stack>
          <FormError error={create.error} shownFields={["title", "value", "currency"]} />
          <TextInput
            label="Title"
            required
            data-autofocus
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
          />
          <Group grow align="flex-start">
            <NumberInput
              label="Value"
              min={0}
              value={value ?? ""}
              onChange={(v) => setValue(typeof v === "number" ? v : null)}
              error={errors.value}
            />
            <TextInput
              label="Currency"
              placeholder="EUR"
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value)}
              error={errors.currency}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
              Create deal
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
