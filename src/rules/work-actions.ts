import type { DbOrTx } from "../store/db";
import type { CasePriority } from "../store/schema-work";

// What the rules need from cases, deals and ideas, as an interface the work module
// provides at start-up (src/wiring.ts calls provideWorkActions). Rules never import
// work: work already depends on rules' events, and the dependency runs one way.

export type RuleCaseInput = {
  subject: string;
  description?: string;
  priority?: CasePriority;
  team_id?: string;
  assignee_id?: string;
  contact_id?: string;
  conversation_id?: string;
  source: "rule";
  rule_id: string;
  tags?: string[];
  at?: Date;
};

export type RuleDealInput = {
  title: string;
  contact_id?: string;
  conversation_id?: string;
  message_id?: string;
  value?: number;
  currency?: string;
  pipeline_id?: string;
  stage_id?: string;
  owner_id?: string;
  source: "rule";
  rule_id: string;
};

export type RuleIdeaInput = {
  title: string;
  description: string;
  message_id?: string;
  profile_id?: string;
  contact_id?: string;
  match_similar?: boolean;
  rule_id: string;
};

export type SlaTransition = {
  workspace_id: string;
  case_id: string;
  kind: "first_response" | "resolution";
  state: "warning" | "breached";
};

/** What a batched write became once the batch was written: its outcome, or why it failed. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };
export type PendingWork<T> = { id: string; settled(): Settled<T> };

/** The records a batch of rule runs may touch, so the batch looks them up in one query each. */
export type WorkBatchScope = { conversationIds: string[]; messageIds: string[] };

/**
 * Cases and ideas of one batch of rule runs (an ingest batch), decided as each action runs and
 * written set-based when the batch is flushed: one INSERT per table, case numbers allocated in
 * one statement. A write error falls back to one savepoint per record, as before.
 */
export interface RuleWorkBatch {
  /** Creates a case (or reuses the conversation's open one, also one created earlier in the batch). */
  createCase(input: RuleCaseInput): Promise<PendingWork<{ number: number; reused: boolean }>>;
  createOrAttachIdea(input: RuleIdeaInput): Promise<PendingWork<{ created: boolean; voted: boolean }>>;
  /** Writes what the batch collected, in the caller's transaction. */
  flush(): Promise<void>;
}

export interface WorkActions {
  /** A batch writing the cases and ideas of many rule runs at once (see RuleWorkBatch). */
  startBatch(tx: DbOrTx, workspaceId: string, scope: WorkBatchScope): RuleWorkBatch;
  /** Creates a case (or returns the conversation's open one), in the caller's transaction. */
  createCase(tx: DbOrTx, workspaceId: string, input: RuleCaseInput): Promise<{ id: string; number: number }>;
  createDeal(tx: DbOrTx, workspaceId: string, input: RuleDealInput): Promise<{ id: string }>;
  createOrAttachIdea(
    tx: DbOrTx,
    workspaceId: string,
    input: RuleIdeaInput,
  ): Promise<{ idea: { id: string }; created: boolean; voted: boolean }>;
  /**
   * Records the SLA warnings and breaches due at `now` (each returned once) in its own transaction,
   * publishing each as sla.warning / sla.breached in it.
   */
  scanSla(db: DbOrTx, now: Date): Promise<SlaTransition[]>;
}

let provided: WorkActions | null = null;

export function provideWorkActions(actions: WorkActions): void {
  provided = actions;
}

/** The provided work actions; an error when start-up did not provide them (a wiring mistake). */
export function workActions(): WorkActions {
  if (!provided) throw new Error("work actions are not provided: call wire() from src/wiring.ts at start-up");
  return provided;
}
