// Shapes of the work-item API (cases, SLA policies, pipelines, deals, ideas), as
// src/work presents them.

export const CASE_STATUSES = ["new", "open", "pending_customer", "on_hold", "solved", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const IDEA_STATUSES = ["new", "under_review", "planned", "in_progress", "done", "declined"] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];
export type StageKind = "open" | "won" | "lost";

export type SlaState = "ok" | "warning" | "breached" | "met" | "paused";
export type SlaTimer = { due_at: string | null; met_at: string | null; remaining_business_minutes: number | null; state: SlaState };
export type CaseSla = {
  policy_id: string | null;
  policy_name: string | null;
  first_response: SlaTimer | null;
  resolution: SlaTimer | null;
};

export type CaseItem = {
  id: string;
  number: number;
  subject: string;
  description: string | null;
  status: CaseStatus;
  priority: CasePriority;
  team_id: string | null;
  team_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  organization_id: string | null;
  source: "rule" | "manual" | "api";
  rule_id: string | null;
  tags: string[];
  sla: CaseSla;
  paused_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  first_responded_at: string | null;
  satisfaction: { rating: number; comment: string | null; at: string | null } | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};
export type CaseEvent = {
  id: string;
  kind: string;
  body: string | null;
  public: boolean;
  details: Record<string, unknown>;
  actor: string | null;
  actor_name: string | null;
  created_at: string;
};
export type CaseMessage = {
  id: string;
  conversation_id: string;
  network: string;
  url: string | null;
  author: string | null;
  text: string;
  direction: "inbound" | "outbound";
  sentiment: string | null;
  posted_at: string;
};
export type CaseDetail = CaseItem & {
  conversations: Array<{
    id: string;
    subject: string | null;
    network: string | null;
    status: string | null;
    last_message_at: string | null;
  }>;
  messages: CaseMessage[];
  events: CaseEvent[];
};

export type BusinessInterval = { day: number; start: string; end: string };
export type BusinessCalendar = { timezone: string; hours: BusinessInterval[]; holidays: string[] };
export type SlaTarget = { first_response_minutes: number | null; resolution_minutes: number | null };
export type SlaPolicy = {
  id: string;
  name: string;
  is_default: boolean;
  priorities: CasePriority[];
  team_ids: string[];
  position: number;
  targets: Record<CasePriority, SlaTarget>;
  calendar: BusinessCalendar | null;
  warn_before_minutes: number;
};

export type Stage = { id: string; name: string; probability: number; kind: StageKind; position: number };
export type Pipeline = { id: string; name: string; is_default: boolean; position: number; stages: Stage[] };
export type Deal = {
  id: string;
  title: string;
  value: number | null;
  currency: string | null;
  pipeline_id: string;
  stage_id: string;
  status: StageKind;
  expected_close: string | null;
  owner_id: string | null;
  owner_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  organization_id: string | null;
  organization_name: string | null;
  conversation_id: string | null;
  message_id: string | null;
  source: "rule" | "manual" | "api";
  created_at: string;
};
export type DealDetail = Deal & {
  pipeline: Pipeline | null;
  source_message: {
    id: string;
    network: string;
    url: string | null;
    author: string | null;
    author_handle: string | null;
    text: string;
    posted_at: string;
    conversation_id: string;
  } | null;
  stage_history: Array<{ from_stage_id: string | null; to_stage_id: string; actor: string | null; at: string }>;
};

export type Idea = {
  id: string;
  title: string;
  description: string | null;
  status: IdeaStatus;
  vote_count: number;
  merged_into_id: string | null;
  created_at: string;
};
export type IdeaDetail = Idea & {
  messages: Array<{
    id: string;
    network: string;
    url: string | null;
    author: string | null;
    text: string;
    posted_at: string;
    conversation_id: string;
  }>;
  votes: Array<{
    id: string;
    contact_id: string | null;
    profile_id: string | null;
    message_id: string | null;
    name: string | null;
    handle: string | null;
    network: string | null;
    created_at: string;
  }>;
  status_history: Array<{ from: string | null; to: string; actor: string | null; at: string }>;
  notifications: Array<{
    contact_id: string | null;
    profile_id: string | null;
    status: string;
    created_at: string;
    sent_at: string | null;
  }>;
};
