import type { DbOrTx } from "../store/db";

// Typed domain events. A writer publishes what happened inside its own transaction;
// the subscribers registered at start-up (src/wiring.ts: rules, work) run in that
// same transaction, in registration order, one after the other. A subscriber that
// throws aborts the writer's transaction, so a change and what it sets off commit
// together or not at all. Producers import this module, never their consumers.
//
// Outbox: nothing here leaves the process. What must (rule webhooks and emails) is
// written by the rules' actions into the outbox table in the same transaction and
// delivered after commit by the rules worker (src/rules/worker.ts), with retries and
// an attempt log; anything new that leaves the process goes through that table too.

/** A message a batch stored (see the ingest pipeline). */
export type StoredMessage = {
  message_id: string;
  conversation_id: string;
  direction: "inbound" | "outbound";
  posted_at: string;
};

export type RecordEntity = "contact" | "case" | "deal" | "idea";
/** Field → [before, after]. */
export type Changes = Record<string, [unknown, unknown]>;

export type DomainEvent = (
  | /**
   * Messages an ingest batch stored, analysis included: rules run both their message.received and
   * message.analyzed triggers on it. (Re-analysis and label corrections publish nothing: re-running
   * automation on old or corrected messages would be a product decision, not bookkeeping.)
   */
  { type: "message.stored"; messages: StoredMessage[] }
  /** A conversation's status, assignee or team changed (only the fields that changed); byUserId: who changed it, if a person. */
  | { type: "conversation.changed"; conversationId: string; changes: Changes; byUserId?: string | null }
  | { type: "record.changed"; entity: RecordEntity; id: string; changes: Changes }
  | { type: "sla.warning" | "sla.breached"; caseId: string; kind: "first_response" | "resolution" }
  /** A reply written in Parley reached the network (engage): first-response timers stop now, not when it was written. */
  | { type: "reply.delivered"; messageId: string; conversationId: string }
  /** A scheduled rule is due. */
  | { type: "schedule"; ruleId: string }
  /** An emerging issue (src/insight) started a burst: published once per burst, at its start hour. */
  | { type: "issue.burst"; issueId: string; label: string; startedAt: string; count: number; baseline: number }
  /** An alert.threshold rule's metric crossed its threshold (src/rules/alerts.ts): once per crossing, for that rule. */
  | {
      type: "alert.threshold";
      ruleId: string;
      /** The rule's nth crossing: names the event, so the rule runs once for it. */
      crossing: number;
      metric: "volume" | "negative_share" | "sla_breaches";
      value: number;
      count: number;
      threshold: number;
      comparison: "above" | "below";
      windowMinutes: number;
      summary: string;
      link: string;
    }
  /** A workspace was created (its owner signed up): its defaults are made with it. */
  | { type: "workspace.created" }
  /**
   * A person was erased (src/audit/erasure.ts): these messages are tombstones now. `text` is what each said (subject and
   * text), given only so that what was derived from it (emerging issues' names and terms) can be taken out again.
   */
  | { type: "messages.erased"; messages: Array<{ message_id: string; text: string }> }
) & {
  /** When it happened (default: now). */
  at?: Date;
};

export type DomainEventType = DomainEvent["type"];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
export type Handler<E extends DomainEvent = DomainEvent> = (tx: DbOrTx, workspaceId: string, event: E) => Promise<void> | void;

const subscribers: Array<{ type: DomainEventType | "*"; handler: Handler }> = [];

/** Registers a handler for one event type (or every event with "*"); returns its unsubscribe. */
export function subscribe<T extends DomainEventType>(type: T, handler: Handler<EventOf<T>>): () => void;
export function subscribe(type: "*", handler: Handler): () => void;
export function subscribe(type: DomainEventType | "*", handler: Handler<never>): () => void {
  const entry = { type, handler: handler as Handler };
  subscribers.push(entry);
  return () => {
    const i = subscribers.indexOf(entry);
    if (i >= 0) subscribers.splice(i, 1);
  };
}

/**
 * Runs the event's subscribers in the caller's transaction, in registration order. Writers
 * pass their transaction; a bare database handle is accepted (domain functions such as
 * createDeal take either), and then each subscriber's writes stand on their own.
 */
export async function publish(tx: DbOrTx, workspaceId: string, event: DomainEvent): Promise<void> {
  for (const s of [...subscribers]) {
    if (s.type === "*" || s.type === event.type) await s.handler(tx, workspaceId, event);
  }
}
