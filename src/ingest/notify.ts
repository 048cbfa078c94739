import { EventEmitter } from "node:events";

// Stage 7, notify: after a batch commits, its stored messages are announced
// in-process, per workspace (the live SSE stream subscribes).

export type MessageEvent = {
  type: "message.created";
  workspace_id: string;
  message_id: string;
  conversation_id: string;
  network: string;
  direction: "inbound" | "outbound";
  posted_at: string;
};

/** In-process fan-out of pipeline events (the SSE stream subscribes per workspace). */
export class Notifier {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(events: MessageEvent[]) {
    for (const e of events) this.emitter.emit(e.workspace_id, e);
  }
  subscribe(workspaceId: string, listener: (e: MessageEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }
}
