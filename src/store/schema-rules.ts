import type { Selectable } from "kysely";
import type { Defaulted, Json, NullableTimestamp, Opt, Timestamp } from "./schema-columns";

// Automation rules, versions and rule runs (issue #6).
// Table types are merged into Database in schema.ts.

export type RuleSetTable = {
  workspace_id: string;
  revision: Defaulted<number>;
  time_zone: Defaulted<string>;
  defaults_seeded_at: NullableTimestamp;
  cursors: Json<Record<string, number>>;
};
export type RuleTable = {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  description: string | null;
  enabled: Defaulted<boolean>;
  position: number;
  trigger: string;
  definition: Json<unknown>;
  version: Defaulted<number>;
  last_scheduled_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type RuleVersionTable = {
  workspace_id: string;
  rule_id: string;
  version: number;
  name: string;
  description: string | null;
  enabled: boolean;
  definition: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
};
export type RuleRunTable = {
  workspace_id: string;
  rule_id: string;
  event_key: string;
  id: string;
  version: number;
  trigger: string;
  message_id: string | null;
  conversation_id: string | null;
  conditions: Json<unknown>;
  actions: Json<unknown>;
  created_at: Timestamp;
};
export type OutboxTable = {
  workspace_id: string;
  id: string;
  kind: "webhook" | "email" | "reply";
  rule_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: Defaulted<"pending" | "delivered" | "failed">;
  attempts: Defaulted<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
};
export type OutboxAttemptTable = {
  workspace_id: string;
  outbox_id: string;
  attempt: number;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: Defaulted<number>;
  created_at: Timestamp;
};
export type RuleNotificationTable = {
  workspace_id: string;
  id: string;
  user_id: string;
  title: string;
  body: string | null;
  link: string | null;
  rule_id: string | null;
  read_at: NullableTimestamp;
  created_at: Timestamp;
  /** What told the user (migration 019): a rule, a mention, an assignment or an SLA warning. */
  kind: Defaulted<"rule" | "mention" | "assignment" | "sla">;
  conversation_id: Opt<string>;
  /** Keeps one happening from being told twice (an SLA warning per case and timer). */
  dedupe_key: Opt<string>;
};
/** An alert.threshold rule's state (migration 029): fired and waiting to re-arm, and how often it crossed. */
export type AlertStateTable = {
  workspace_id: string;
  rule_id: string;
  /** The alert settings this state belongs to: changed settings start afresh. */
  config: string;
  firing: Defaulted<boolean>;
  crossings: Defaulted<number>;
  value: Opt<number>;
  count: Opt<number>;
  fired_at: NullableTimestamp;
  rearmed_at: NullableTimestamp;
  checked_at: Timestamp;
};
export type ConversationTagTable = { workspace_id: string; conversation_id: string; tag: string };
export type MemberSkillTable = { workspace_id: string; user_id: string; skill: string };

export type RuleTables = {
  rule_sets: RuleSetTable;
  rules: RuleTable;
  rule_versions: RuleVersionTable;
  rule_runs: RuleRunTable;
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptTable;
  rule_notifications: RuleNotificationTable;
  conversation_tags: ConversationTagTable;
  member_skills: MemberSkillTable;
  alert_states: AlertStateTable;
};
export type RuleRow = Selectable<RuleTable>;
export type RuleVersionRow = Selectable<RuleVersionTable>;
export type RuleRunRow = Selectable<RuleRunTable>;
export type OutboxRow = Selectable<OutboxTable>;
