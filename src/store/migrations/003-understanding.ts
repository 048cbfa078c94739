// Understanding: every message carries its analysis (sentiment, intents and
// labels, priority and the reasons), queryable; agents' corrections are kept
// (who, when, old → new) as training data.
export const sql = `
alter table messages
  add column sentiment text,
  add column sentiment_score real,
  add column intents jsonb,
  add column labels text[] not null default '{}',
  add column priority integer,
  add column reasons text[] not null default '{}',
  add column topics text[] not null default '{}',
  add column products text[] not null default '{}',
  add column analyzed_at timestamptz,
  add column model_version text;
create index messages_labels on messages using gin (labels);
create index messages_priority on messages (workspace_id, priority desc, posted_at desc);

create table label_corrections (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  message_id uuid not null,
  field text not null check (field in ('sentiment', 'labels', 'language')),
  old_value jsonb,
  new_value jsonb not null,
  user_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, message_id) references messages(workspace_id, id) on delete cascade
);
create index label_corrections_message on label_corrections (workspace_id, message_id);
`;
