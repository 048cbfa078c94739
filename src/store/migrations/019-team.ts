// Working as a team in the inbox (issue 14): internal notes with @mentions, one notification
// centre (the rules' notifications table gains a kind, a conversation and a key that keeps a
// warning from being told twice), per-user email preferences, canned responses, saved views,
// snooze, and per-user read marks.
export const sql = `
alter table conversations add column snoozed_until timestamptz;
create index conversations_snoozed on conversations (workspace_id, snoozed_until) where snoozed_until is not null;
create index conversations_priority on conversations (workspace_id, priority desc, last_message_at desc, id desc);

create table conversation_notes (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  conversation_id uuid not null,
  author_id uuid references users(id) on delete set null,
  author_name text not null,
  text text not null,
  mentions uuid[] not null default '{}',
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade
);
create index conversation_notes_thread on conversation_notes (workspace_id, conversation_id, created_at);

alter table rule_notifications add column kind text not null default 'rule'
  check (kind in ('rule', 'mention', 'assignment', 'sla'));
alter table rule_notifications add column conversation_id uuid;
alter table rule_notifications add column dedupe_key text;
create unique index rule_notifications_once on rule_notifications (workspace_id, user_id, dedupe_key) where dedupe_key is not null;
create index rule_notifications_unread on rule_notifications (workspace_id, user_id) where read_at is null;

create table notification_preferences (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  email_kinds text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);

create table canned_responses (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  shortcut text not null,
  body text not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, shortcut)
);

create table saved_views (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  filters jsonb not null,
  owner_id uuid references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table conversation_reads (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  conversation_id uuid not null,
  read_at timestamptz not null,
  primary key (workspace_id, user_id, conversation_id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade
);
`;
