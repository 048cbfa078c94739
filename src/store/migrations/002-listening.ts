// Listening: channels that hear customers, the people behind posts (profiles),
// and every post as a message threaded into conversations.
export const sql = `
create table channels (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  network text not null,
  config jsonb not null default '{}',
  credentials text,
  webhook_secret text,
  queries text[] not null default '{}',
  enabled boolean not null default true,
  state jsonb not null default '{}',
  status text not null default 'new',
  last_poll_at timestamptz,
  last_error text,
  items_total bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index channels_name_key on channels (workspace_id, lower(name));

create table own_accounts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  network text not null,
  handle text not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index own_accounts_key on own_accounts (workspace_id, network, lower(handle));

create table profiles (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  network text not null,
  network_id text not null,
  handle text,
  display_name text,
  profile_url text,
  followers integer,
  bio text,
  verified boolean not null default false,
  contact_id uuid,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts(workspace_id, id) on delete set null (contact_id)
);
create unique index profiles_network_key on profiles (workspace_id, network, network_id);
create index profiles_contact on profiles (workspace_id, contact_id) where contact_id is not null;

create table conversations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  channel_id uuid,
  network text not null,
  subject text,
  root_message_id uuid,
  status text not null default 'new' check (status in ('new','open','pending','closed')),
  assignee_id uuid references users(id) on delete set null,
  team_id uuid,
  priority integer not null default 0,
  message_count integer not null default 0,
  first_message_at timestamptz not null,
  last_message_at timestamptz not null,
  last_inbound_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index conversations_recent on conversations (workspace_id, last_message_at desc, id desc);
create index conversations_status on conversations (workspace_id, status, last_message_at desc, id desc);

create table messages (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  channel_id uuid,
  network text not null,
  external_id text not null,
  url text,
  conversation_id uuid not null,
  profile_id uuid,
  author_handle text,
  author_name text,
  text text not null default '',
  html text,
  subject text,
  language text,
  posted_at timestamptz not null,
  received_at timestamptz not null default now(),
  in_reply_to text,
  quote_of text,
  thread_refs text[] not null default '{}',
  is_public boolean not null default true,
  direction text not null default 'inbound' check (direction in ('inbound','outbound')),
  repost_count integer not null default 0,
  duplicate_count integer not null default 0,
  content_hash text,
  raw jsonb,
  search tsvector generated always as (to_tsvector('simple'::regconfig, coalesce(subject, '') || ' ' || text)) stored,
  primary key (workspace_id, id)
);
create unique index messages_external_key on messages (workspace_id, network, external_id);
create index messages_conversation on messages (workspace_id, conversation_id, posted_at);
create index messages_reply_to on messages (workspace_id, network, in_reply_to) where in_reply_to is not null;
create index messages_quote_of on messages (workspace_id, network, quote_of) where quote_of is not null;
create index messages_thread_refs on messages using gin (thread_refs);
create index messages_hash on messages (workspace_id, network, content_hash) where content_hash is not null;
create index messages_recent on messages (workspace_id, posted_at desc, id desc);
create index messages_search on messages using gin (search);

-- Items that collapsed onto a stored message (reposts, near-identical copies):
-- remembered so that hearing them again changes nothing.
create table message_aliases (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  network text not null,
  external_id text not null,
  message_id uuid not null,
  kind text not null check (kind in ('repost','copy')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, network, external_id)
);

-- Brand and product dictionaries: names, handles and misspellings that
-- listening queries expand to.
create table dictionary_terms (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('brand','product')),
  name text not null,
  aliases text[] not null default '{}',
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index dictionary_terms_name on dictionary_terms (workspace_id, kind, lower(name));
`;
