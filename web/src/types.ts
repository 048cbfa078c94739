// Shapes of the Parley REST API (/api/v1) as the browser app uses them.

// The closed vocabularies come from the API's contracts (src/contracts/enums.ts): one definition.
import type {
  ActivityType,
  ConversationStatus,
  CustomFieldType,
  LifecycleStage,
  Network,
  Role,
  TimelineItemType,
} from "../../src/contracts/enums";

export {
  ACTIVITY_TYPES,
  type ActivityType,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  NETWORKS,
  type Network,
  ROLES,
  type Role,
  TIMELINE_ITEM_TYPES,
  type TimelineItemType,
} from "../../src/contracts/enums";

export type Me = {
  user: { id: string; email: string; name: string } | null;
  /** controls_signup: this is the server's first workspace, whose owner decides whether strangers may sign up. */
  workspace: { id: string; name: string; open_signup?: boolean; controls_signup?: boolean };
  role: Role;
  kind: "user" | "api_key";
};

export type Page<T> = { data: T[]; next_cursor: string | null; total?: number | null };
export type List<T> = { data: T[] };

export type CustomValue = string | number | boolean | string[] | null;
export type CustomValues = Record<string, CustomValue>;

export type Contact = {
  id: string;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: string[];
  title: string | null;
  organization_id: string | null;
  organization: { id: string; name: string } | null;
  lifecycle_stage: LifecycleStage | null;
  owner_id: string | null;
  tags: string[];
  consent_email: boolean;
  consent_sms: boolean;
  consent_tracking: boolean;
  city: string | null;
  country: string | null;
  // Address and person fields (identity resolution compares them).
  street?: string | null;
  address2?: string | null;
  postal_code?: string | null;
  region?: string | null;
  birth_date?: string | null;
  national_id?: string | null;
  notes: string | null;
  external_id: string | null;
  custom: CustomValues;
  created_at: string;
  updated_at: string;
};

export type Organization = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  owner_id: string | null;
  external_id: string | null;
  custom: CustomValues;
  contact_count: number;
  created_at: string;
  updated_at: string;
};

export type Activity = {
  id: string;
  kind: "activity";
  type: ActivityType;
  subject: string | null;
  body: string | null;
  occurred_at: string | null;
  due_at: string | null;
  assignee_id: string | null;
  completed_at: string | null;
  contact_id: string | null;
  organization_id: string | null;
  created_by: string | null;
  created_at: string;
};

export type CustomFieldEntity = "contact" | "organization";

export type CustomField = {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  position: number;
  created_at: string;
};

export type Member = {
  id: string;
  email: string;
  name: string;
  role: Role;
  team_ids: string[];
  created_at: string;
};

export type Invitation = {
  id: string;
  email: string;
  role: Role;
  team_ids: string[];
  expires_at: string;
  created_at: string;
};

export type Team = {
  id: string;
  name: string;
  description: string | null;
  member_ids: string[];
  created_at: string;
};

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export type FilterOp =
  | "eq"
  | "neq"
  | "contains"
  | "not_contains"
  | "starts_with"
  | "in"
  | "not_in"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "is_set"
  | "is_not_set"
  | "has_any"
  | "has_all";

export type FilterCondition = { field: string; op: FilterOp; value?: unknown };
export type FilterGroup = { match: "all" | "any"; conditions: Array<FilterCondition | FilterGroup> };

export type Segment = {
  id: string;
  name: string;
  entity: "contact";
  filter: FilterGroup & { q?: string };
  created_at: string;
  updated_at: string;
};

export type ImportResult = {
  total: number;
  created: number;
  updated: number;
  rejected: Array<{ row: number; column?: string | null; message: string }>;
  unmapped_columns: Array<{ column: string; suggested_type?: string | null }>;
  mapping: Record<string, string>;
};

// ---------- Listening: channels, conversations, messages

export type ConversationSummary = {
  id: string;
  channel_id: string | null;
  network: Network;
  subject: string | null;
  status: ConversationStatus;
  assignee_id: string | null;
  team_id: string | null;
  priority: number | null;
  message_count: number;
  first_message_at: string | null;
  last_message_at: string | null;
  last_inbound_at: string | null;
  snippet?: string | null;
  author?: { name: string | null; handle: string | null; profile_id: string | null };
};

export type Message = {
  id: string;
  conversation_id: string;
  channel_id: string | null;
  network: Network;
  external_id: string;
  url: string | null;
  profile_id: string | null;
  author: { handle: string | null; name: string | null };
  text: string | null;
  html: string | null;
  subject: string | null;
  language: string | null;
  posted_at: string;
  received_at: string | null;
  in_reply_to: string | null;
  quote_of: string | null;
  public: boolean;
  direction: "inbound" | "outbound";
  repost_count: number;
  duplicate_count: number;
  analysis: MessageAnalysisData | null;
};

export type MessageAnalysisData = {
  sentiment: { label: string | null; score: number | null };
  intents: Record<string, number> | null;
  labels: string[];
  priority: number | null;
  reasons: string[];
  topics: string[];
  products: string[];
  model_version: string | null;
  analyzed_at: string | null;
};

export type Profile = {
  id: string;
  network: Network;
  network_id: string | null;
  handle: string | null;
  display_name: string | null;
  profile_url: string | null;
  followers: number | null;
  bio: string | null;
  verified: boolean | null;
  contact_id: string | null;
};

export type Conversation = ConversationSummary & { messages: Message[]; profiles: Profile[] };

export type Channel = {
  id: string;
  name: string;
  network: Network;
  config: Record<string, unknown>;
  queries: string[];
  enabled: boolean;
  has_credentials: boolean;
  status: string | null;
  last_poll_at: string | null;
  last_error: string | null;
  items_total: number;
  webhook_url: string | null;
  created_at: string;
  updated_at: string;
};

export type ChannelStatus = {
  status: string | null;
  last_poll_at: string | null;
  last_error: string | null;
  items_total: number;
  items_last_hour: number;
};

export type OwnAccount = { id: string; network: Network; handle: string };
export type DictionaryTerm = { id: string; kind: "brand" | "product"; name: string; aliases: string[]; created_at: string };

// ---------- Identity resolution (#5): profiles and links, person view, duplicates, merges

export type LinkMethod = "authenticated" | "confirmed" | "email" | "website" | "suggestion";

export type ProfileLink = {
  method: LinkMethod;
  evidence: string[];
  confidence: number;
  linked_at: string | null;
  linked_by_name: string | null;
};

export type IdentityProfile = Profile & {
  link: ProfileLink | null;
  first_seen_at: string | null;
  last_seen_at: string | null;
  message_count: number;
};

export type ProfileSuggestionSummary = { contact_id: string; contact_name: string | null; score: number; evidence: string[] };

export type UnknownProfile = IdentityProfile & { top_suggestion?: ProfileSuggestionSummary | null };

export type ProfileDetail = IdentityProfile & {
  contact: { id: string; name: string | null } | null;
  suggestions: Array<{ contact: { id: string; name: string | null; emails: string[] }; score: number; evidence: string[] }>;
  recent_messages: Array<{ id: string; text: string | null; posted_at: string; conversation_id: string }>;
};

export type TimelineItem = {
  type: TimelineItemType;
  id: string;
  at: string;
  title: string | null;
  text?: string | null;
  network?: string | null;
  direction?: "inbound" | "outbound" | null;
  conversation_id?: string | null;
  url?: string | null;
  sentiment?: "positive" | "neutral" | "negative" | null;
  labels?: string[];
  status?: string | null;
  activity_type?: string | null;
};

export type ContactInsights = {
  scores: { influence: number; sentiment: number | null; health: number; reasons: string[] };
  sentiment_series: Array<{ period: string; average: number; count: number }>;
  networks: Array<{ network: string; count: number }>;
  message_count: number;
  last_message_at: string | null;
};

export type DuplicatePair = { id: string; score: number; evidence: string[]; a: Contact; b: Contact };
export type DuplicatePage = Page<DuplicatePair> & { scanned_at: string | null };

export type Merge = {
  id: string;
  kept_id: string;
  merged_id: string;
  merged_name: string | null;
  fields: Record<string, "keep" | "merge">;
  reason: string | null;
  actor_name: string | null;
  created_at: string;
  undone_at: string | null;
};

export type AutoLinkLevel = "strong" | "authenticated" | "off";
export type IdentitySettingsData = { auto_link: AutoLinkLevel; suggest_threshold: number; duplicate_threshold: number };
// ---------- end identity resolution
