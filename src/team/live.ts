import { EventEmitter } from "node:events";

// What the SSE stream tells a signed-in person about their team, in-process, per workspace:
// a notification for them (the bell refetches) and who is on a conversation (collision detection).
// One process holds it all; a second process would need a shared channel (NATS) instead.

export type TeamEvent =
  | { type: "notification.created"; workspace_id: string; user_id: string; notification_id: string; kind: string; title: string }
  | {
      type: "presence.changed";
      workspace_id: string;
      conversation_id: string;
      viewers: Array<{ user_id: string; name: string; state: "viewing" | "typing"; since: string }>;
    };

class TeamHub {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: TeamEvent) {
    this.emitter.emit(event.workspace_id, event);
  }
  /** The events a user of the workspace may see: presence, and notifications addressed to them. */
  subscribe(workspaceId: string, userId: string | null, listener: (e: TeamEvent) => void): () => void {
    const filtered = (e: TeamEvent) => {
      if (e.type === "notification.created" && e.user_id !== userId) return;
      listener(e);
    };
    this.emitter.on(workspaceId, filtered);
    return () => this.emitter.off(workspaceId, filtered);
  }
}

export const teamHub = new TeamHub();
