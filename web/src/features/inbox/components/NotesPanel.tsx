// Internal notes on a conversation: for the team only, never sent to the customer, shown apart
// from the messages. "@" and a name mentions a teammate (the server resolves it and tells them);
// typing "@" offers the workspace's members.
import { Button, Group, Paper, Stack, Text, Textarea, UnstyledButton } from "@mantine/core";
import { IconNote } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import type { Note } from "../../../../../src/contracts/team";
import { api, errorMessage, fieldErrors } from "../../../api";
import { keys, useMembers } from "../../../queries";
import { useTypingSignal } from "./presence";

/** The "@…" being typed at the end of the text, if any. */
const mentionAtEnd = (text: string) => /(^|\s)@([^\s@]*)$/.exec(text)?.[2];

export function NotesPanel({ conversationId, canWrite }: { conversationId: string; canWrite: boolean }) {
  const client = useQueryClient();
  const typing = useTypingSignal(conversationId);
  const [text, setText] = useState("");
  const members = useMembers();
  const notesKey = [...keys.conversation(conversationId), "notes"];
  const notes = useQuery({
    queryKey: notesKey,
    queryFn: ({ signal }) => api<{ data: Note[] }>(`/conversations/${conversationId}/notes`, { signal }),
  });
  const add = useMutation({
    mutationFn: () => api<Note>(`/conversations/${conversationId}/notes`, { method: "POST", body: { text } }),
    onSuccess: () => {
      setText("");
      client.invalidateQueries({ queryKey: notesKey });
    },
  });
  const partial = mentionAtEnd(text);
  const suggestions =
    partial === undefined
      ? []
      : (members.data ?? []).filter((m) => `${m.name} ${m.email}`.toLowerCase().includes(partial.toLowerCase())).slice(0, 5);
  const errors = add.isError ? fieldErrors(add.error) : {};

  function insertMention(email: string) {
    const handle = email.split("@")[0] ?? email;
    setText((t) => t.replace(/@([^\s@]*)$/, `@${handle} `));
  }

  const list = notes.data?.data ?? [];
  return (
    <Stack gap="xs" component="section" aria-label="Internal notes">
      {list.length > 0 && (
        <Stack gap={6} component="ol" p={0} m={0} style={{ listStyle: "none" }}>
          {list.map((n) => (
            <Paper
              key={n.id}
              component="li"
              withBorder
              radius="md"
              p="sm"
              bg="var(--mantine-color-yellow-0)"
              style={{ borderStyle: "dashed" }}
              data-testid="note"
            >
              <Group justify="space-between" gap="xs" wrap="nowrap" mb={2}>
                <Group gap={6} wrap="nowrap">
                  <IconNote size={14} />
                  <Text size="sm" fw={600}>
                    <bdi>{n.author_name}</bdi>
                  </Text>
                  <Text size="xs" c="dimmed">
                    internal note
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  <time dateTime={String(n.created_at)}>{dayjs(n.created_at).format("MMM D, HH:mm")}</time>
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                <bdi>{n.text}</bdi>
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {canWrite && (
        <Paper
          withBorder
          radius="md"
          p="sm"
          bg="var(--mantine-color-yellow-0)"
          component="form"
          aria-label="Add an internal note"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) add.mutate();
          }}
        >
          <Stack gap={6}>
            <Textarea
              aria-label="Internal note"
              placeholder="Note for the team (not sent). @name mentions a teammate"
              autosize
              minRows={2}
              maxRows={8}
              value={text}
              error={errors.text}
              onChange={(e) => {
                setText(e.currentTarget.value);
                typing();
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && text.trim()) add.mutate();
                if ((e.key === "Tab" || e.key === "Enter") && !e.metaKey && !e.ctrlKey && suggestions[0]) {
                  e.preventDefault();
                  insertMention(suggestions[0].email);
                }
              }}
            />
            {suggestions.length > 0 && (
              <Group gap={4} role="group" aria-label="Mention a teammate">
                {suggestions.map((m) => (
                  <UnstyledButton
                    key={m.id}
                    onClick={() => insertMention(m.email)}
                    px={6}
                    py={2}
                    style={{ borderRadius: 4, border: "1px solid var(--mantine-color-gray-4)" }}
                  >
                    <Text size="xs">
                      @{m.email.split("@")[0]} · <bdi>{m.name}</bdi>
                    </Text>
                  </UnstyledButton>
                ))}
              </Group>
            )}
            <Group justify="space-between">
              {add.isError && !errors.text ? (
                <Text size="xs" c="red" role="alert">
                  {errorMessage(add.error)}
                </Text>
              ) : (
                <span />
              )}
              <Button type="submit" size="xs" variant="light" color="yellow" loading={add.isPending} disabled={!text.trim()}>
                Add note
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
