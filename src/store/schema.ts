import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

// The schema contract: one type per table, mirrored by the migrations.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export const ROLES = ["owner", "admin", "manager", "agent", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const LIFECYCLE_STAGES = ["subscriber", "lead", "prospect", "opportunity", "customer", "advocate", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const CUSTOM_FIELD_TYPES = ["text", "number", "date", "boolean", "select", "multiselect", "url"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const ENTITIES = ["contact", "organization"] as const;
export type Entity = (typeof ENTITIES)[number];

export const ACTIVITY_TYPES = ["note", "call", "meeting", "email", "task"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export type CustomValues = Record<string, unknown>;

export type WorkspaceTable = { id: string; name: string; created_at: Timestamp };
export type UserTable = {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
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
  team_ids: ColumnType<string[], string[] | undefined, string[]>;
  accepted_at: Timestamp | null;
  expires_at: Timestamp;
  created_at: Timestamp;
};
export type SessionTable = {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  expires_at: Timestamp;
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
  options: ColumnType<string[], string[] | undefined, string[]>;
  position: ColumnType<number, number | undefined, number>;
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
  emails: ColumnType<string[], string[] | undefined, string[]>;
  phones: ColumnType<string[], string[] | undefined, string[]>;
  organization_id: string | null;
  title: string | null;
  lifecycle_stage: LifecycleStage;
  owner_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  consent_email: ColumnType<boolean, boolean | undefined, boolean>;
  consent_sms: ColumnType<boolean, boolean | undefined, boolean>;
  consent_tracking: ColumnType<boolean, boolean | undefined, boolean>;
  city: string | null;
  country: string | null;
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
};

export type Database = {
  workspaces: WorkspaceTable;
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
