import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type {
  ActivityType,
  ConversationStatus,
  CustomFieldType,
  Entity,
  KeyScope,
  LifecycleStage,
  Network,
  Role,
} from "../contracts/enums";
import type { AttachmentTables } from "./schema-attachments";
import type { Defaulted, Json, NullableTimestamp, Opt, Timestamp } from "./schema-columns";
import type { CommunityTables } from "./schema-community";
import type { IdentityTables } from "./schema-identity";
import type { InfluenceTables } from "./schema-influence";
import type { IssueTables } from "./schema-issues";
import type { KnowledgeTables } from "./schema-knowledge";
import type { PrivacyTables } from "./schema-privacy";
import type { RuleTables } from "./schema-rules";
import type { SecurityTables } from "./schema-security";
import type { TeamTables } from "./schema-team";
import type { WorkTables } from "./schema-work";

// The enums are the API contract's: one definition for the database, the API and the web app.
export {
  ACTIVITY_TYPES,
  type ActivityType,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  ENTITIES,
  type Entity,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  NETWORKS,
  type Network,
  ROLES,
  type Role,
} from "../contracts/enums";

// The schema contract: one type per table, mirrored by the migrations.

export type CustomValues = Record<string, unknown>;

export type WorkspaceTable = {
  id: string;
  name: string;
  open_signup: Generated<boolean>;
  /** Members must sign in with a second factor; those without one are sent to set it up. */
  require_two_factor: Defaulted<boolean>;
  session_idle_minutes: Defaulted<number>;
  session_max_days: Defaulted<number>;
  /** Parley answers the posts that asked for an idea when its status changes (migration 027). */
  idea_status_replies: Defaulted<boolean>;
  created_at: Timestamp;
};
/** Failed sign-ins per key (`email:…` or `ip:…`), for throttling. */
export type LoginThrottleTable = { key: string; failures: number; last_failure_at: Date; locked_until: Date | null };
export type UserTable = {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  /** Sealed (shared/secrets.ts) TOTP secrets: the confirmed one, and one being set up. */
  totp_secret: Opt<string>;
  totp_pending_secret: Opt<string>;
  totp_enabled_at: NullableTimestamp;
  /** The last accepted code's time step: a code is accepted once. */
  totp_last_step: Opt<string | number>;
  created_at: Timestamp;
};
export type MembershipTable = { workspace_id: string; user_id: string; role: Role; created_at: Timestamp };
export type InvitationTable = {
  workspace_id: string;
  id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  team_ids: Defaulted<string[]>;
  accepted_at: Timestamp | null;
  expires_at: Timestamp;
  created_at: Timestamp;
};
export type SessionTable = {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  id: Generated<string>;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: Opt<string>;
  user_agent: Opt<string>;
  created_at: Timestamp;
};
export type TeamTable = {
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  created_at: Timestamp;
};
export type TeamMemberTable = { workspace_id: string; team_id: string; user_id: string };
export type ApiKeyTable = {
  workspace_id: string;
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: Exclude<Role, "owner">;
  scope: Defaulted<KeyScope>;
  expires_at: NullableTimestamp;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: Timestamp;
};
export type CustomFieldTable = {
  workspace_id: string;
  id: string;
  entity: Entity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Defaulted<string[]>;
  position: Defaulted<number>;
  created_at: Timestamp;
};
export type OrganizationTable = {
  workspace_id: string;
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  owner_id: string | null;
  external_id: string | null;
  custom: Json<CustomValues>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type ContactTable = {
  workspace_id: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  name: string;
  emails: Defaulted<string[]>;
  phones: Defaulted<string[]>;
  organization_id: string | null;
  title: string | null;
  lifecycle_stage: LifecycleStage;
  owner_id: string | null;
  tags: Defaulted<string[]>;
  consent_email: Defaulted<boolean>;
  consent_sms: Defaulted<boolean>;
  consent_tracking: Defaulted<boolean>;
  city: string | null;
  country: string | null;
  street: Opt<string>;
  address2: Opt<string>;
  postal_code: Opt<string>;
  region: Opt<string>;
  /** YYYY-MM-DD */
  birth_date: Opt<string>;
  national_id: Opt<string>;
  notes: string | null;
  external_id: string | null;
  custom: Json<CustomValues>;
  search: string;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type ActivityTable = {
  workspace_id: string;
  id: string;
  contact_id: string | null;
  organization_id: string | null;
  type: ActivityType;
  subject: string | null;
  body: string | null;
  occurred_at: Timestamp;
  due_at: Timestamp | null;
  assignee_id: string | null;
  completed_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
};
export type SegmentTable = {
  workspace_id: string;
  id: string;
  name: string;
  entity: Entity;
  filter: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type AuditEventTable = {
  workspace_id: string;
  id: Generated<string>;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
  /** The actor's name when it acted (a user's name, "API key X", "cli"). */
  actor_name: Opt<string>;
  summary: Opt<string>;
  ip: Opt<string>;
  user_agent: Opt<string>;
};

export type ChannelTable = {
  workspace_id: string;
  id: string;
  name: string;
  network: Network;
  config: Json<Record<string, unknown>>;
  credentials: string | null;
  webhook_secret: string | null;
  queries: Defaulted<string[]>;
  enabled: Defaulted<boolean>;
  state: Json<Record<string, unknown>>;
  status: Defaulted<string>;
  last_poll_at: Timestamp | null;
  last_error: string | null;
  items_total: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
/** Signatures of accepted webhook deliveries, while a replay of them could still pass the timestamp check. */
export type HookDeliveryTable = {
  workspace_id: string;
  channel_id: string;
  signature: string;
  signed_at: Date;
  received_at: Timestamp;
};
export type OwnAccountTable = { workspace_id: string; id: string; network: string; handle: string; created_at: Timestamp };
export type ProfileTable = {
  workspace_id: string;
  id: string;
  network: string;
  network_id: string;
  handle: string | null;
  display_name: string | null;
  profile_url: string | null;
  followers: number | null;
  bio: string | null;
  verified: Defaulted<boolean>;
  contact_id: string | null;
  /** How the contact link was made: authenticated, confirmed, email, website, suggestion. */
  link_method: Opt<string>;
  link_evidence: Defaulted<string[]>;
  link_confidence: Opt<number>;
  linked_at: NullableTimestamp;
  linked_by: Opt<string>;
  message_count: Defaulted<number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
};
export type ConversationTable = {
  workspace_id: string;
  id: string;
  channel_id: string | null;
  network: string;
  subject: string | null;
  root_message_id: string | null;
  status: Defaulted<ConversationStatus>;
  assignee_id: string | null;
  team_id: string | null;
  priority: Defaulted<number>;
  message_count: Defaulted<number>;
  first_message_at: Timestamp;
  last_message_at: Timestamp;
  last_inbound_at: Timestamp | null;
  /** Hidden from open lists until then (migration 019). */
  snoozed_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type MessageTable = {
  workspace_id: string;
  id: string;
  channel_id: string | null;
  network: string;
  external_id: string;
  url: string | null;
  conversation_id: string;
  profile_id: string | null;
  author_handle: string | null;
  author_name: string | null;
  text: string;
  html: string | null;
  subject: string | null;
  language: string | null;
  posted_at: Timestamp;
  received_at: Timestamp;
  in_reply_to: string | null;
  quote_of: string | null;
  thread_refs: Defaulted<string[]>;
  is_public: Defaulted<boolean>;
  direction: Defaulted<"inbound" | "outbound">;
  repost_count: Defaulted<number>;
  duplicate_count: Defaulted<number>;
  content_hash: string | null;
  raw: Json<unknown> | null;
  sentiment: string | null;
  sentiment_score: number | null;
  intents: Json<Record<string, number>> | null;
  /** Probabilities of the extra signals (irony, toxic); null on messages analyzed before they were stored. */
  signals: ColumnType<
    Record<string, number> | null,
    Record<string, number> | string | null | undefined,
    Record<string, number> | string | null
  >;
  labels: Defaulted<string[]>;
  priority: number | null;
  reasons: Defaulted<string[]>;
  topics: Defaulted<string[]>;
  products: Defaulted<string[]>;
  analyzed_at: Timestamp | null;
  model_version: string | null;
  search: ColumnType<string, never, never>;
  /** Erased (issue 13): a tombstone kept so threads and counts stay whole; nothing of the author is left. */
  erased_at: NullableTimestamp;
  /** Replies written in Parley: sending → sent | failed (null on received messages). */
  delivery_status: Opt<"sending" | "sent" | "failed">;
  delivery_error: Opt<string>;
  delivered_at: NullableTimestamp;
  sent_by: Opt<string>;
  reply_visibility: Opt<"public" | "private">;
  idempotency_key: Opt<string>;
  /** The rule whose send_reply action wrote this reply (migration 030); null for people's replies and received messages. */
  rule_id: Opt<string>;
};
export type MessageAliasTable = {
  workspace_id: string;
  network: string;
  external_id: string;
  message_id: string;
  kind: "repost" | "copy";
  created_at: Timestamp;
};
export type DictionaryTermTable = {
  workspace_id: string;
  id: string;
  kind: "brand" | "product";
  name: string;
  aliases: Defaulted<string[]>;
  created_at: Timestamp;
};

export type LabelCorrectionTable = {
  workspace_id: string;
  id: string;
  message_id: string;
  field: "sentiment" | "labels" | "language";
  old_value: Json<unknown> | null;
  new_value: Json<unknown>;
  user_id: string | null;
  created_at: Timestamp;
};

export type Database = AttachmentTables &
  IdentityTables &
  InfluenceTables &
  IssueTables &
  KnowledgeTables &
  PrivacyTables &
  CommunityTables &
  WorkTables &
  RuleTables &
  SecurityTables &
  TeamTables & {
    label_corrections: LabelCorrectionTable;
    channels: ChannelTable;
    hook_deliveries: HookDeliveryTable;
    own_accounts: OwnAccountTable;
    profiles: ProfileTable;
    conversations: ConversationTable;
    messages: MessageTable;
    message_aliases: MessageAliasTable;
    dictionary_terms: DictionaryTermTable;
    workspaces: WorkspaceTable;
    login_throttles: LoginThrottleTable;
    users: UserTable;
    memberships: MembershipTable;
    invitations: InvitationTable;
    sessions: SessionTable;
    teams: TeamTable;
    team_members: TeamMemberTable;
    api_keys: ApiKeyTable;
    custom_fields: CustomFieldTable;
    organizations: OrganizationTable;
    contacts: ContactTable;
    activities: ActivityTable;
    segments: SegmentTable;
    audit_events: AuditEventTable;
  };

export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
export type ContactUpdate = Updateable<ContactTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type NewOrganizationRow = Insertable<OrganizationTable>;
export type CustomFieldRow = Selectable<CustomFieldTable>;
export type ActivityRow = Selectable<ActivityTable>;
export type SegmentRow = Selectable<SegmentTable>;
export type TeamRow = Selectable<TeamTable>;
export type UserRow = Selectable<UserTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type InvitationRow = Selectable<InvitationTable>;
export type ChannelRow = Selectable<ChannelTable>;
export type ProfileRow = Selectable<ProfileTable>;
export type ConversationRow = Selectable<ConversationTable>;
export type MessageRow = Selectable<MessageTable>;
