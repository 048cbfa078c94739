// Cases, SLA policies, business hours, pipelines, deals, ideas and votes (issue #6).
// Every reference to a contact is a column named contact_id, so a contact merge
// (issue #5) can move it like any other.
export const sql = `
create table work_counters (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  kind text not null,
  value bigint not null default 0,
  primary key (workspace_id, kind)
);

create table sla_policies (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  is_default boolean not null default false,
  priorities text[] not null default '{}',
  team_ids uuid[] not null default '{}',
  position integer not null default 0,
  targets jsonb not null,
  calendar jsonb,
  warn_before_minutes integer not null default 30,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index sla_policies_default on sla_policies (workspace_id) where is_default;

create table cases (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  number bigint not null,
  subject text not null,
  description text,
  status text not null default 'new' check (status in ('new','open','pending_customer','on_hold','solved','closed')),
  priority text not null default 'normal' check (priority in ('low','normal','high','urgent')),
  team_id uuid,
  assignee_id uuid,
  contact_id uuid,
  organization_id uuid,
  source text not null default 'manual' check (source in ('rule','manual','api')),
  rule_id uuid,
  sla_policy_id uuid,
  first_response_due_at timestamptz,
  first_response_warn_at timestamptz,
  first_responded_at timestamptz,
  resolution_due_at timestamptz,
  resolution_warn_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  paused_at timestamptz,
  paused_seconds integer not null default 0,
  first_response_warning_sent boolean not null default false,
  first_response_breached boolean not null default false,
  resolution_warning_sent boolean not null default false,
  resolution_breached boolean not null default false,
  satisfaction_rating integer check (satisfaction_rating between 1 and 5),
  satisfaction_comment text,
  satisfaction_at timestamptz,
  tags text[] not null default '{}',
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index cases_number on cases (workspace_id, number);
create index cases_list on cases (workspace_id, created_at desc, id);
create index cases_contact on cases (workspace_id, contact_id) where contact_id is not null;
create index cases_assignee on cases (workspace_id, assignee_id, status);
create index cases_sla_first on cases (first_response_warn_at)
  where first_responded_at is null and not first_response_breached and paused_at is null;
create index cases_sla_resolution on cases (resolution_warn_at)
  where resolved_at is null and not resolution_breached and paused_at is null;

create table case_conversations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  case_id uuid not null,
  conversation_id uuid not null,
  linked_by text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, case_id, conversation_id),
  foreign key (workspace_id, case_id) references cases(workspace_id, id) on delete cascade
);
create index case_conversations_conversation on case_conversations (workspace_id, conversation_id);

create table case_events (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  case_id uuid not null,
  kind text not null,
  body text,
  public boolean not null default false,
  details jsonb not null default '{}',
  actor text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, case_id) references cases(workspace_id, id) on delete cascade
);
create index case_events_case on case_events (workspace_id, case_id, created_at);

create table pipelines (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  is_default boolean not null default false,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index pipelines_default on pipelines (workspace_id) where is_default;

create table pipeline_stages (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  pipeline_id uuid not null,
  name text not null,
  probability integer not null default 0 check (probability between 0 and 100),
  kind text not null default 'open' check (kind in ('open','won','lost')),
  position integer not null,
  primary key (workspace_id, id),
  foreign key (workspace_id, pipeline_id) references pipelines(workspace_id, id) on delete cascade
);
create index pipeline_stages_pipeline on pipeline_stages (workspace_id, pipeline_id, position);

create table deals (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  title text not null,
  value numeric(18,2),
  currency text,
  pipeline_id uuid not null,
  stage_id uuid not null,
  status text not null default 'open' check (status in ('open','won','lost')),
  expected_close date,
  owner_id uuid,
  contact_id uuid,
  organization_id uuid,
  conversation_id uuid,
  message_id uuid,
  source text not null default 'manual' check (source in ('rule','manual','api')),
  rule_id uuid,
  closed_at timestamptz,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index deals_list on deals (workspace_id, created_at desc, id);
create index deals_pipeline on deals (workspace_id, pipeline_id, stage_id);
create index deals_contact on deals (workspace_id, contact_id) where contact_id is not null;
create index deals_conversation on deals (workspace_id, conversation_id) where conversation_id is not null;

create table deal_stage_history (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  deal_id uuid not null,
  from_stage_id uuid,
  to_stage_id uuid not null,
  actor text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, deal_id) references deals(workspace_id, id) on delete cascade
);
create index deal_stage_history_deal on deal_stage_history (workspace_id, deal_id, created_at);

create table ideas (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  title text not null,
  description text,
  status text not null default 'new' check (status in ('new','under_review','planned','in_progress','done','declined')),
  vote_count integer not null default 0,
  merged_into_id uuid,
  rule_id uuid,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index ideas_votes on ideas (workspace_id, vote_count desc, id) where merged_into_id is null;

create table idea_messages (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  idea_id uuid not null,
  message_id uuid not null,
  added_by text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, idea_id, message_id),
  foreign key (workspace_id, idea_id) references ideas(workspace_id, id) on delete cascade
);
create index idea_messages_message on idea_messages (workspace_id, message_id);

-- One vote per voter: a contact, or a profile not (yet) linked to a contact.
create table idea_votes (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  idea_id uuid not null,
  contact_id uuid,
  profile_id uuid,
  message_id uuid,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, idea_id) references ideas(workspace_id, id) on delete cascade,
  check (contact_id is not null or profile_id is not null)
);
create index idea_votes_idea on idea_votes (workspace_id, idea_id);
create index idea_votes_contact on idea_votes (workspace_id, contact_id) where contact_id is not null;
create unique index idea_votes_one_per_contact on idea_votes (workspace_id, idea_id, contact_id) where contact_id is not null;
create unique index idea_votes_one_per_profile on idea_votes (workspace_id, idea_id, profile_id) where contact_id is null;
create index idea_votes_profile on idea_votes (workspace_id, profile_id) where profile_id is not null;

create table idea_status_history (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  idea_id uuid not null,
  from_status text,
  to_status text not null,
  actor text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, idea_id) references ideas(workspace_id, id) on delete cascade
);

create table idea_notifications (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  idea_id uuid not null,
  contact_id uuid,
  profile_id uuid,
  status text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (workspace_id, id),
  foreign key (workspace_id, idea_id) references ideas(workspace_id, id) on delete cascade
);
create index idea_notifications_unsent on idea_notifications (workspace_id, created_at) where sent_at is null;
`;
