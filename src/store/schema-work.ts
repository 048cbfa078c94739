import type { ColumnType, Selectable } from "kysely";
import type { CasePriority, CaseStatus, IdeaStatus, StageKind, WorkSource } from "../contracts/enums";
import type { Defaulted, Json, NullableTimestamp, Opt, Timestamp } from "./schema-columns";

// The enums are the API contract's: one definition for the database, the API and the web app.
export {
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CasePriority,
  type CaseStatus,
  IDEA_STATUSES,
  type IdeaStatus,
  STAGE_KINDS,
  type StageKind,
  WORK_SOURCES,
  type WorkSource,
} from "../contracts/enums";

// Cases, SLA policies, business hours, pipelines, deals, ideas and votes (issue #6).
// Table types are merged into Database in schema.ts.

export type SlaTarget = { first_response_minutes: number | null; resolution_minutes: number | null };
export type SlaTargets = Record<CasePriority, SlaTarget>;
/** Weekly hours in the calendar's time zone; day 0 = Sunday. An interval whose end is not after its start runs overnight. */
export type BusinessInterval = { day: number; start: string; end: string };
export type BusinessCalendar = { timezone: string; hours: BusinessInterval[]; holidays: string[] };

export type WorkCounterTable = { workspace_id: string; kind: string; value: Defaulted<number> };
export type SlaPolicyTable = {
  workspace_id: string;
  id: string;
  name: string;
  is_default: Defaulted<boolean>;
  priorities: Defaulted<string[]>;
  team_ids: Defaulted<string[]>;
  position: Defaulted<number>;
  targets: Json<SlaTargets>;
  /** null = around the clock */
  calendar: ColumnType<BusinessCalendar | null, BusinessCalendar | string | null | undefined, BusinessCalendar | string | null>;
  warn_before_minutes: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type CaseTable = {
  workspace_id: string;
  id: string;
  number: number;
  subject: string;
  description: Opt<string>;
  status: Defaulted<CaseStatus>;
  priority: Defaulted<CasePriority>;
  team_id: Opt<string>;
  assignee_id: Opt<string>;
  contact_id: Opt<string>;
  organization_id: Opt<string>;
  source: Defaulted<WorkSource>;
  rule_id: Opt<string>;
  sla_policy_id: Opt<string>;
  first_response_due_at: NullableTimestamp;
  first_response_warn_at: NullableTimestamp;
  first_responded_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  resolution_warn_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  paused_seconds: Defaulted<number>;
  first_response_warning_sent: Defaulted<boolean>;
  first_response_breached: Defaulted<boolean>;
  resolution_warning_sent: Defaulted<boolean>;
  resolution_breached: Defaulted<boolean>;
  satisfaction_rating: Opt<number>;
  satisfaction_comment: Opt<string>;
  satisfaction_at: NullableTimestamp;
  tags: Defaulted<string[]>;
  created_by: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type CaseConversationTable = {
  workspace_id: string;
  case_id: string;
  conversation_id: string;
  linked_by: Opt<string>;
  created_at: Timestamp;
};
export type CaseEventTable = {
  workspace_id: string;
  id: string;
  case_id: string;
  kind: string;
  body: Opt<string>;
  public: Defaulted<boolean>;
  details: Json<Record<string, unknown>>;
  actor: Opt<string>;
  created_at: Timestamp;
};
export type PipelineTable = {
  workspace_id: string;
  id: string;
  name: string;
  is_default: Defaulted<boolean>;
  position: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type PipelineStageTable = {
  workspace_id: string;
  id: string;
  pipeline_id: string;
  name: string;
  probability: Defaulted<number>;
  kind: Defaulted<StageKind>;
  position: number;
};
export type DealTable = {
  workspace_id: string;
  id: string;
  title: string;
  /** numeric: comes back as a string */
  value: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  currency: Opt<string>;
  pipeline_id: string;
  stage_id: string;
  status: Defaulted<StageKind>;
  /** YYYY-MM-DD */
  expected_close: ColumnType<Date | string | null, string | null | undefined, string | null>;
  owner_id: Opt<string>;
  contact_id: Opt<string>;
  organization_id: Opt<string>;
  conversation_id: Opt<string>;
  message_id: Opt<string>;
  source: Defaulted<WorkSource>;
  rule_id: Opt<string>;
  closed_at: NullableTimestamp;
  created_by: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type DealStageHistoryTable = {
  workspace_id: string;
  id: string;
  deal_id: string;
  from_stage_id: Opt<string>;
  to_stage_id: string;
  actor: Opt<string>;
  created_at: Timestamp;
};
export type IdeaTable = {
  workspace_id: string;
  id: string;
  title: string;
  description: Opt<string>;
  status: Defaulted<IdeaStatus>;
  vote_count: Defaulted<number>;
  merged_into_id: Opt<string>;
  rule_id: Opt<string>;
  created_by: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type IdeaMessageTable = {
  workspace_id: string;
  idea_id: string;
  message_id: string;
  added_by: Opt<string>;
  created_at: Timestamp;
};
export type IdeaVoteTable = {
  workspace_id: string;
  id: string;
  idea_id: string;
  contact_id: Opt<string>;
  profile_id: Opt<string>;
  message_id: Opt<string>;
  created_by: Opt<string>;
  created_at: Timestamp;
};
export type IdeaStatusHistoryTable = {
  workspace_id: string;
  id: string;
  idea_id: string;
  from_status: Opt<string>;
  to_status: string;
  actor: Opt<string>;
  created_at: Timestamp;
};
export type IdeaNotificationTable = {
  workspace_id: string;
  id: string;
  idea_id: string;
  contact_id: Opt<string>;
  profile_id: Opt<string>;
  status: string;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
};

export type WorkTables = {
  work_counters: WorkCounterTable;
  sla_policies: SlaPolicyTable;
  cases: CaseTable;
  case_conversations: CaseConversationTable;
  case_events: CaseEventTable;
  pipelines: PipelineTable;
  pipeline_stages: PipelineStageTable;
  deals: DealTable;
  deal_stage_history: DealStageHistoryTable;
  ideas: IdeaTable;
  idea_messages: IdeaMessageTable;
  idea_votes: IdeaVoteTable;
  idea_status_history: IdeaStatusHistoryTable;
  idea_notifications: IdeaNotificationTable;
};

export type SlaPolicyRow = Selectable<SlaPolicyTable>;
export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type PipelineRow = Selectable<PipelineTable>;
export type PipelineStageRow = Selectable<PipelineStageTable>;
export type DealRow = Selectable<DealTable>;
export type IdeaRow = Selectable<IdeaTable>;
export type IdeaVoteRow = Selectable<IdeaVoteTable>;
