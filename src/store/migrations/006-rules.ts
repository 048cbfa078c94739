// Automation rules (issue #6): rules and their immutable versions, the record of
// every rule that fired (exactly once per rule and event), the outbox of side
// effects delivered after commit, in-app notifications, conversation tags and
// the skills agents carry for skill-based routing.
export const sql = `
create table rule_sets (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  revision bigint not null default 0,
  time_zone text not null default 'UTC',
  defaults_seeded_at timestamptz,
  cursors jsonb not null default '{}',
  primary key (workspace_id)
);

create table rules (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  key text not null,
  name text not null,
  description text,
  enabled boolean not null default true,
  position integer not null,
  trigger text not null,
  definition jsonb not null,
  version integer not null default 1,
  last_scheduled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index rules_key on rules (workspace_id, key);
create index rules_order on rules (workspace_id, position, created_at);

create table rule_versions (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  rule_id uuid not null,
  version integer not null,
  name text not null,
  description text,
  enabled boolean not null,
  definition jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, rule_id, version),
  foreign key (workspace_id, rule_id) references rules(workspace_id, id) on delete cascade
);

create table rule_runs (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  rule_id uuid not null,
  event_key text not null,
  id uuid not null,
  version integer not null,
  trigger text not null,
  message_id uuid,
  conversation_id uuid,
  conditions jsonb not null default '[]',
  actions jsonb not null default '[]',
  created_at timestamptz not null default now(),
  primary key (workspace_id, rule_id, event_key)
);
create index rule_runs_message on rule_runs (workspace_id, message_id) where message_id is not null;
create index rule_runs_conversation on rule_runs (workspace_id, conversation_id) where conversation_id is not null;
create index rule_runs_event on rule_runs (workspace_id, event_key);
create index rule_runs_rule on rule_runs (workspace_id, rule_id, created_at desc);

create table outbox (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('webhook', 'email')),
  rule_id uuid,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index outbox_due on outbox (next_attempt_at) where status = 'pending';

create table outbox_attempts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  outbox_id uuid not null,
  attempt integer not null,
  ok boolean not null,
  status_code integer,
  error text,
  duration_ms integer not null default 0,
  created_at timestamptz not null default now(),
  primary key (workspace_id, outbox_id, attempt)
);

create table rule_notifications (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  user_id uuid not null references users(id) on delete cascade,
  title text not null,
  body text,
  link text,
  rule_id uuid,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index rule_notifications_user on rule_notifications (workspace_id, user_id, created_at desc);

create table conversation_tags (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  conversation_id uuid not null,
  tag text not null,
  primary key (workspace_id, conversation_id, tag)
);

create table member_skills (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  skill text not null,
  primary key (workspace_id, user_id, skill)
);
`;
