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

export interface WorkActions {
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
