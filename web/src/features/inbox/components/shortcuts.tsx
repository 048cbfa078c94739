// Keyboard shortcuts of the inbox: j/k move through the list, r reply, n note, e close, a assign
// to me, ? this help. Ignored while typing in a field (Escape leaves it).
import { Group, Kbd, Modal, Stack, Text } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useEffect, useRef } from "react";

export const SHORTCUTS: Array<[string, string]> = [
  ["j", "Next conversation"],
  ["k", "Previous conversation"],
  ["r", "Reply"],
  ["n", "Add an internal note"],
  ["e", "Close the conversation"],
  ["a", "Assign it to me"],
  ["?", "Show these shortcuts"],
  ["Esc", "Leave a text field"],
];

export type ShortcutActions = {
  move: (step: 1 | -1) => void;
  reply: () => void;
  note: () => void;
  close: () => void;
  assignToMe: () => void;
  help: () => void;
};

export function useInboxShortcuts(actions: ShortcutActions) {
  useHotkeys([
    ["j", () => actions.move(1)],
    ["k", () => actions.move(-1)],
    ["r", () => actions.reply()],
    ["n", () => actions.note()],
    ["e", () => actions.close()],
    ["a", () => actions.assignToMe()],
  ]);
  // "?" is shift+/ on some layouts and its own key on others: matched by the character typed.
  const help = useRef(actions.help);
  help.current = actions.help;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const field = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      if (e.key === "?" && !field && !e.ctrlKey && !e.metaKey && !e.altKey) help.current();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** Puts the cursor in a field of the open conversation (the reply or the note). */
export function focusField(label: string) {
  const el = document.querySelector<HTMLTextAreaElement>(`textarea[aria-label="${label}"]`);
  el?.focus();
  el?.scrollIntoView({ block: "nearest" });
}

export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="sm">
      <Stack gap={6}>
        {SHORTCUTS.map(([key, what]) => (
          <Group key={key} justify="space-between">
            <Text size="sm">{what}</Text>
            <Kbd>{key}</Kbd>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}
