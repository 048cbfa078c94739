// Identity resolution: one person across networks (issue #5). Contacts gain the
// address, birth date and identifier fields dedupe compares; profiles record how
// and why they were linked; weaker evidence waits as suggestions; duplicate
// pairs are queued for review; merges keep what they need to be undone exactly.
export const sql = `
alter table contacts add column street text;
alter table contacts add column address2 text;
alter table contacts add column postal_code text;
alter table contacts add column region text;
alter table contacts add column birth_date text check (birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
alter table contacts add column national_id text;

alter table profiles add column link_method text;
alter table profiles add column link_evidence text[] not null default '{}';
alter table profiles add column link_confidence double precision;
alter table profiles add column linked_at timestamptz;
alter table profiles add column linked_by uuid references users(id) on delete set null;
alter table profiles add column message_count integer not null default 0;
create index messages_profile on messages (workspace_id, profile_id, posted_at desc, id);
create index profiles_unlinked on profiles (workspace_id, last_seen_at desc, id) where contact_id is null;

create table identity_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  auto_link text not null default 'strong' check (auto_link in ('strong','authenticated','off')),
  suggest_threshold double precision not null default 0.5,
  duplicate_threshold double precision,
  scanned_at timestamptz,
  updated_at timestamptz not null default now()
);

-- Weaker evidence that a profile is a known contact: shown, never applied silently.
create table profile_suggestions (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  profile_id uuid not null,
  contact_id uuid not null,
  score double precision not null,
  evidence text[] not null default '{}',
  status text not null default 'pending' check (status in ('pending','dismissed')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, profile_id, contact_id),
  foreign key (workspace_id, profile_id) references profiles(workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts(workspace_id, id) on delete cascade
);
create index profile_suggestions_contact on profile_suggestions (workspace_id, contact_id);

-- Possible duplicate contacts (contact_a < contact_b); dismissed pairs are remembered.
create table duplicate_pairs (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  contact_a uuid not null,
  contact_b uuid not null,
  score double precision not null,
  evidence text[] not null default '{}',
  status text not null default 'pending' check (status in ('pending','dismissed')),
  created_at timestamptz not null default now(),
  decided_by uuid references users(id) on delete set null,
  decided_at timestamptz,
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_a) references contacts(workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_b) references contacts(workspace_id, id) on delete cascade
);
create unique index duplicate_pairs_key on duplicate_pairs (workspace_id, contact_a, contact_b);
create index duplicate_pairs_queue on duplicate_pairs (workspace_id, status, score desc, id);
create index duplicate_pairs_b on duplicate_pairs (workspace_id, contact_b);

-- A merge keeps both contacts as they were and which rows moved, so undo restores them exactly.
create table merges (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  kept_id uuid not null,
  merged_id uuid not null,
  merged_name text not null,
  fields jsonb not null default '{}',
  reason text,
  actor text not null,
  actor_user_id uuid references users(id) on delete set null,
  kept_before jsonb not null,
  merged_before jsonb not null,
  moved jsonb not null default '{}',
  created_at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by text,
  primary key (workspace_id, id)
);
create index merges_kept on merges (workspace_id, kept_id, created_at desc);
create index merges_merged on merges (workspace_id, merged_id);
`;
