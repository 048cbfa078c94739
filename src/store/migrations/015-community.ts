// The public community portal (issue 17): one portal per workspace at /c/<slug>, members
// (customers, separate from staff users) with their sessions and magic-link tokens, their
// posts (questions, answers, comments, ideas and their comments, case replies — each also a
// message on the community network), upvotes, follows, and members' reports for moderation.
export const sql = `
create table community_portals (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  title text,
  logo_url text,
  color text not null default '#1c5fb8' check (color ~ '^#[0-9a-fA-F]{6}$'),
  custom_domain text unique,
  channel_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table community_members (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  email text not null,
  display_name text not null,
  password_hash text,
  profile_id uuid,
  trust_level int not null default 0 check (trust_level between 0 and 3),
  trust_locked boolean not null default false,
  post_count int not null default 0,
  accepted_count int not null default 0,
  upvotes_received int not null default 0,
  hidden_count int not null default 0,
  notify_replies boolean not null default true,
  notify_ideas boolean not null default true,
  suspended boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index community_members_email on community_members (workspace_id, lower(email));
create index community_members_profile on community_members (workspace_id, profile_id) where profile_id is not null;

create table community_sessions (
  token_hash text primary key,
  workspace_id uuid not null,
  member_id uuid not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  foreign key (workspace_id, member_id) references community_members(workspace_id, id) on delete cascade
);

create table community_login_tokens (
  token_hash text primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  email text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create table community_posts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('question', 'answer', 'comment', 'idea', 'idea_comment', 'case_reply')),
  member_id uuid not null,
  question_id uuid,
  parent_id uuid,
  idea_id uuid,
  case_id uuid,
  title text,
  body text not null,
  message_id uuid,
  conversation_id uuid,
  score int not null default 0,
  answer_count int not null default 0,
  accepted boolean not null default false,
  hidden boolean not null default false,
  moderated_at timestamptz,
  ip text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, member_id) references community_members(workspace_id, id) on delete cascade
);
create index community_posts_kind on community_posts (workspace_id, kind, created_at desc, id desc);
create index community_posts_question on community_posts (workspace_id, question_id) where question_id is not null;
create index community_posts_parent on community_posts (workspace_id, parent_id) where parent_id is not null;
create index community_posts_idea on community_posts (workspace_id, idea_id) where idea_id is not null;
create index community_posts_member on community_posts (workspace_id, member_id, created_at desc);
create index community_posts_conversation on community_posts (workspace_id, conversation_id) where conversation_id is not null;
create index community_posts_search on community_posts using gin (to_tsvector('simple', coalesce(title, '') || ' ' || body))
  where kind = 'question' and not hidden;

create table community_votes (
  workspace_id uuid not null,
  post_id uuid not null,
  member_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, post_id, member_id),
  foreign key (workspace_id, post_id) references community_posts(workspace_id, id) on delete cascade
);

create table community_follows (
  workspace_id uuid not null,
  idea_id uuid not null,
  member_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, idea_id, member_id),
  foreign key (workspace_id, idea_id) references ideas(workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references community_members(workspace_id, id) on delete cascade
);

create table community_reports (
  workspace_id uuid not null,
  id uuid not null,
  post_id uuid not null,
  member_id uuid not null,
  reason text not null,
  status text not null default 'open' check (status in ('open', 'hidden', 'dismissed')),
  resolved_by text,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, post_id, member_id),
  foreign key (workspace_id, post_id) references community_posts(workspace_id, id) on delete cascade
);
create index community_reports_open on community_reports (workspace_id, created_at) where status = 'open';
`;
