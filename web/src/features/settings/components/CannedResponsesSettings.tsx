// Canned responses: the team's saved answers, typed as "/shortcut" in the reply composer. Their
// variables ({{contact.first_name}}, {{agent.name}}, {{case.number}}…) are filled in by the server
// for the conversation being answered.
import { ActionIcon, Button, Code, Group, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CANNED_VARIABLES, type CannedResponse } from "../../../../../src/contracts/team";
import { api, fieldErrors } from "../../../api";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { ModalForm } from "../../../ui/ModalForm";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";

const cannedKey = ["canned"] as const;
type Draft = { id?: string; name: string; shortcut: string; body: string };
const EMPTY: Draft = { name: "", shortcut: "", body: "" };

export function CannedResponsesSettings() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: cannedKey, queryFn: ({ signal }) => api<{ data: CannedResponse[] }>("/canned", { signal }) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useMutation({
    mutationFn: (d: Draft) =>
      d.id
        ? api<CannedResponse>(`/canned/${d.id}`, { method: "PATCH", body: { name: d.name, shortcut: d.shortcut, body: d.body } })
        : api<CannedResponse>("/canned", { method: "POST", body: { name: d.name, shortcut: d.shortcut, body: d.body } }),
    onSuccess: () => {
      setDraft(null);
      client.invalidateQueries({ queryKey: cannedKey });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/canned/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: cannedKey }),
  });
  const items = list.data?.data ?? [];
  const errors = save.isError ? fieldErrors(save.error) : {};
  const open = (d: Draft) => {
    save.reset();
    setDraft(d);
  };
  return (
    <SettingsSection
      title="Canned responses"
      label="Canned responses"
      description="Saved answers for the reply composer: type / and the shortcut to insert one."
      actions={
        <Button leftSection={<IconPlus size={16} />} onClick={() => open(EMPTY)}>
          Add canned response
        </Button>
      }
    >
      <QueryState query={list} items={items} empty="No canned responses yet.">
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Shortcut</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Text</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Code>/{c.shortcut}</Code>
                </Table.Td>
                <Table.Td>
                  <bdi>{c.name}</bdi>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                    <bdi>{c.body}</bdi>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Edit ${c.name}`}
                      onClick={() => open({ id: c.id, name: c.name, shortcut: c.shortcut, body: c.body })}
                    >
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${c.name}`}
                      loading={remove.isPending && remove.variables === c.id}
                      onClick={() => remove.mutate(c.id)}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </QueryState>
      <ModalForm
        opened={draft !== null}
        onClose={() => setDraft(null)}
        title={draft?.id ? "Edit canned response" : "Add canned response"}
        size="lg"
        onSubmit={() => draft && save.mutate(draft)}
      >
        {draft && (
          <>
            <TextInput label="Name" required {...textField(draft.name, (name) => setDraft({ ...draft, name }))} error={errors.name} />
            <TextInput
              label="Shortcut"
              description="Typed after / in the composer: lower-case letters, digits, - and _"
              required
              leftSection="/"
              {...textField(draft.shortcut, (shortcut) => setDraft({ ...draft, shortcut }))}
              error={errors.shortcut}
            />
            <Textarea
              label="Text"
              required
              autosize
              minRows={4}
              {...textField(draft.body, (body) => setDraft({ ...draft, body }))}
              error={errors.body}
            />
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                Variables:
              </Text>
              <Group gap={4}>
                {CANNED_VARIABLES.map((v) => (
                  <Code key={v}>{`{{${v}}}`}</Code>
                ))}
              </Group>
            </Stack>
            <FormError error={save.error} shownFields={["name", "shortcut", "body"]} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDraft(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </>
        )}
      </ModalForm>
    </SettingsSection>
  );
}
