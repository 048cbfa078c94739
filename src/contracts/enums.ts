// The closed vocabularies of the API: roles, statuses, stages, networks, labels.
// Plain `as const` arrays (no zod) so the web app can import them without pulling
// a schema library into its bundle; the schemas build `z.enum(...)` from them.

export const ROLES = ["owner", "admin", "manager", "agent", "viewer"] as const;
export type Role = (typeof ROLES)[number];
/** The roles an API key may have (never owner). */
export const KEY_ROLES = ["admin", "manager", "agent", "viewer"] as const;
export type KeyRole = (typeof KEY_ROLES)[number];
/** What an API key may do within its role: read (GET only), write (no admin settings), admin (all its role allows). */
export const KEY_SCOPES = ["read", "write", "admin"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export const PERMISSIONS = [
  "crm:read",
  "crm:write",
  "segments:write",
  "teams:manage",
  "fields:manage",
  "users:manage",
  "keys:manage",
  "channels:manage",
  "workspace:manage",
  "rules:manage",
  "audit:read",
  "reports:read",
  "knowledge:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const LIFECYCLE_STAGES = ["subscriber", "lead", "prospect", "opportunity", "customer", "advocate", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const CUSTOM_FIELD_TYPES = ["text", "number", "date", "boolean", "select", "multiselect", "url"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const ENTITIES = ["contact", "organization"] as const;
export type Entity = (typeof ENTITIES)[number];

export const ACTIVITY_TYPES = ["note", "call", "meeting", "email", "task"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const FILTER_OPS = [
  "eq",
  "neq",
  "contains",
  "not_contains",
  "starts_with",
  "in",
  "not_in",
  "gt",
  "gte",
  "lt",
  "lte",
  "is_set",
  "is_not_set",
  "has_any",
  "has_all",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const NETWORKS = ["rss", "mastodon", "bluesky", "x", "reddit", "email", "webhook", "community", "review", "file"] as const;
export type Network = (typeof NETWORKS)[number];
export const CONVERSATION_STATUSES = ["new", "open", "pending", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const DIRECTIONS = ["inbound", "outbound"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type SentimentLabel = (typeof SENTIMENTS)[number];
/** The intents (labels) understanding gives a message. */
export const INTENTS = ["complaint", "question", "suggestion", "praise", "purchase_intent", "churn_risk", "spam"] as const;
export type Intent = (typeof INTENTS)[number];
export const SIGNALS = ["irony", "toxic"] as const;
export type Signal = (typeof SIGNALS)[number];

export const CASE_STATUSES = ["new", "open", "pending_customer", "on_hold", "solved", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const WORK_SOURCES = ["rule", "manual", "api"] as const;
export type WorkSource = (typeof WORK_SOURCES)[number];
export const STAGE_KINDS = ["open", "won", "lost"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export const IDEA_STATUSES = ["new", "under_review", "planned", "in_progress", "done", "declined"] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

export const AUTO_LINK_LEVELS = ["strong", "authenticated", "off"] as const;
export type AutoLinkLevel = (typeof AUTO_LINK_LEVELS)[number];
export const LINK_METHODS = ["authenticated", "confirmed", "email", "website", "suggestion"] as const;
export type LinkMethod = (typeof LINK_METHODS)[number];
export const TIMELINE_ITEM_TYPES = ["message", "activity", "case", "deal", "idea", "merge"] as const;
export type TimelineItemType = (typeof TIMELINE_ITEM_TYPES)[number];

export const TRIGGER_TYPES = [
  "message.received",
  "message.analyzed",
  "conversation.status_changed",
  "record.changed",
  "sla.warning",
  "sla.breached",
  "schedule",
  "issue.burst",
  "alert.threshold",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
/** What an alert.threshold rule measures (rules/alerts.ts): inbound volume, negative share, SLA breaches. */
export const ALERT_METRICS = ["volume", "negative_share", "sla_breaches"] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export const ASSIGN_STRATEGIES = ["round_robin", "least_loaded", "team_only"] as const;
export type AssignStrategy = (typeof ASSIGN_STRATEGIES)[number];
