import type { DbOrTx } from "../store/db";

// Entry point for every rule trigger (issue #6). Callers run it inside their own
// transaction, after their rows are written; rules see those rows.

export type TriggerEvent =
  | { type: "message.received" | "message.analyzed"; messageIds: string[] }
  | { type: "conversation.status_changed"; conversationId: string; from: string; to: string }
  | {
      type: "record.changed";
      entity: "contact" | "case" | "deal" | "idea";
      id: string;
      changes: Record<string, [unknown, unknown]>;
    }
  | { type: "sla.warning" | "sla.breached"; caseId: string; kind: "first_response" | "resolution" }
  | { type: "schedule"; ruleId: string };

export async function fireRules(_tx: DbOrTx, _workspaceId: string, _event: TriggerEvent): Promise<void> {
  // evaluation lands in src/rules/engine.ts
}
