// Collision detection: who else is viewing this conversation or typing a reply on it. The open
// conversation sends a heartbeat every few seconds (viewing, or typing while a reply or note is
// being written) and hears the others' changes on the SSE stream; it says "left" when closed.
import { Avatar, Group, Text, Tooltip } from "@mantine/core";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Presence } from "../../../../../src/contracts/team";
import { api } from "../../../api";
import { useMe } from "../../../auth";
import { useTeamEvents } from "../../../team-live";

const HEARTBEAT_MS = 10_000;
const TYPING_IDLE_MS = 4_000;
type Other = Presence["others"][number];
type State = "viewing" | "typing";

// The open conversation's typing signal, for the composer and the note form beneath it.
const typingSignals = new Map<string, () => void>();

/** Tells the others you are typing on this conversation (call on each keystroke; it settles by itself). */
export function useTypingSignal(conversationId: string) {
  return useCallback(() => typingSignals.get(conversationId)?.(), [conversationId]);
}

export function usePresence(conversationId: string) {
  const me = useMe();
  const myId = me.user?.id;
  const [others, setOthers] = useState<Other[]>([]);
  const state = useRef<State>("viewing");
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const beat = useCallback(
    async (next: State | "left") => {
      try {
        const res = await api<Presence>(`/conversations/${conversationId}/presence`, { method: "POST", body: { state: next } });
        if (next !== "left") setOthers(res.others);
      } catch {
        // presence is a courtesy: a failed heartbeat is tried again on the next one
      }
    },
    [conversationId],
  );

  useEffect(() => {
    state.current = "viewing";
    void beat("viewing");
    const timer = setInterval(() => void beat(state.current), HEARTBEAT_MS);
    const leave = () => {
      void fetch(`/api/v1/conversations/${conversationId}/presence`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ state: "left" }),
        credentials: "same-origin",
        keepalive: true,
      }).catch(() => undefined);
    };
    window.addEventListener("pagehide", leave);
    return () => {
      clearInterval(timer);
      if (idle.current) clearTimeout(idle.current);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [conversationId, beat]);

  useTeamEvents((e) => {
    if (e.type === "presence.changed" && e.conversation_id === conversationId) {
      setOthers(e.viewers.filter((v) => v.user_id !== myId));
    }
  });

  const typing = useCallback(() => {
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(() => {
      state.current = "viewing";
      void beat("viewing");
    }, TYPING_IDLE_MS);
    if (state.current !== "typing") {
      state.current = "typing";
      void beat("typing");
    }
  }, [beat]);

  useEffect(() => {
    typingSignals.set(conversationId, typing);
    return () => {
      typingSignals.delete(conversationId);
    };
  }, [conversationId, typing]);

  return { others, typing };
}

/** "Sam is typing a reply", "Jo is viewing": shown above the thread while someone else is on it. */
export function PresenceBar({ others }: { others: Other[] }) {
  if (others.length === 0) return null;
  const typing = others.filter((o) => o.state === "typing");
  const sentence =
    typing.length > 0
      ? `${names(typing)} ${typing.length === 1 ? "is" : "are"} typing a reply`
      : `${names(others)} ${others.length === 1 ? "is" : "are"} also viewing`;
  return (
    <Group
      gap="xs"
      px="sm"
      py={6}
      bg={typing.length ? "var(--mantine-color-orange-0)" : "var(--mantine-color-blue-0)"}
      style={{ borderRadius: "var(--mantine-radius-md)" }}
      role="status"
      aria-live="polite"
      data-testid="presence"
    >
      <Avatar.Group>
        {others.slice(0, 3).map((o) => (
          <Tooltip key={o.user_id} label={`${o.name} · ${o.state}`} withArrow>
            <Avatar size="sm" radius="xl" color={o.state === "typing" ? "orange" : "blue"}>
              {o.name.slice(0, 1).toUpperCase()}
            </Avatar>
          </Tooltip>
        ))}
      </Avatar.Group>
      <Text size="sm">
        <bdi>{sentence}</bdi>
      </Text>
    </Group>
  );
}

function names(list: Other[]) {
  const n = list.map((o) => o.name);
  if (n.length <= 2) return n.join(" and ");
  return `${n.slice(0, 2).join(", ")} and ${n.length - 2} more`;
}
