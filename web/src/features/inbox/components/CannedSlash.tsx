// Canned responses in the composer: typing "/" and a shortcut offers the workspace's saved
// answers; picking one (click, or Enter/Tab for the first) puts its text, variables filled in by
// the server for this conversation, in place of the "/shortcut".
import { Group, Text, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { KeyboardEvent } from "react";
import type { CannedResponse } from "../../../../../src/contracts/team";
import { api } from "../../../api";

const SLASH = /(^|\s)\/([a-z0-9_-]*)$/i;

export function useCannedSlash(conversationId: string, text: string, setText: (next: string) => void) {
  const typed = SLASH.exec(text)?.[2];
  const canned = useQuery({
    queryKey: ["canned"],
    queryFn: ({ signal }) => api<{ data: CannedResponse[] }>("/canned", { signal }),
    staleTime: 60_000,
    enabled: typed !== undefined,
  });
  const matches =
    typed === undefined
      ? []
      : (canned.data?.data ?? [])
          .filter((c) => c.shortcut.startsWith(typed.toLowerCase()) || c.name.toLowerCase().includes(typed.toLowerCase()))
          .slice(0, 6);

  async function insert(c: CannedResponse) {
    const rendered = await api<{ text: string }>(`/canned/${c.id}/render`, { query: { conversation: conversationId } });
    setText(text.replace(SLASH, (_all, lead: string) => `${lead}${rendered.text}`));
  }

  const menu =
    matches.length > 0 ? (
      <Group gap={4} role="group" aria-label="Canned responses" data-testid="canned-menu">
        {matches.map((c) => (
          <UnstyledButton
            key={c.id}
            onClick={() => void insert(c)}
            px={6}
            py={2}
            style={{ borderRadius: 4, border: "1px solid var(--mantine-color-gray-4)" }}
          >
            <Text size="xs">
              /{c.shortcut} · <bdi>{c.name}</bdi>
            </Text>
          </UnstyledButton>
        ))}
      </Group>
    ) : null;

  /** Enter or Tab takes the first match while a "/shortcut" is being typed; answers whether it did. */
  function onKeyDown(e: KeyboardEvent) {
    const first = matches[0];
    if (!first || e.metaKey || e.ctrlKey || (e.key !== "Enter" && e.key !== "Tab")) return false;
    e.preventDefault();
    void insert(first);
    return true;
  }

  return { menu, onKeyDown };
}
