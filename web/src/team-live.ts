// The team's live events on the server's SSE stream (/api/v1/stream): notifications addressed to
// you and who is on which conversation. One EventSource per tab, shared by every subscriber
// (the bell, the presence bar), opened with the first and closed with the last.
import { useEffect, useRef } from "react";

export type TeamLiveEvent =
  | { type: "notification.created"; user_id: string; notification_id: string; kind: string; title: string }
  | {
      type: "presence.changed";
      conversation_id: string;
      viewers: Array<{ user_id: string; name: string; state: "viewing" | "typing"; since: string }>;
    };

const TYPES = ["notification.created", "presence.changed"] as const;
const listeners = new Set<(e: TeamLiveEvent) => void>();
let source: EventSource | null = null;

function open() {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/api/v1/stream", { withCredentials: true });
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      let parsed: TeamLiveEvent;
      try {
        parsed = JSON.parse((event as MessageEvent<string>).data) as TeamLiveEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(parsed);
    });
  }
}

/** Calls `onEvent` for each team event while the component is mounted. */
export function useTeamEvents(onEvent: (event: TeamLiveEvent) => void) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const l = (e: TeamLiveEvent) => handler.current(e);
    listeners.add(l);
    open();
    return () => {
      listeners.delete(l);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }, []);
}
