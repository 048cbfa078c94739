// Account security (issue 13): two-factor sign-in with TOTP and single-use recovery codes,
// sessions people can see and end (where from, last seen) with idle and absolute expiry set
// per workspace, and API keys limited to a scope (read, write, admin) with an optional expiry.
export const sql = `
alter table users add column totp_secret text;
alter table users add column totp_pending_secret text;
alter table users add column totp_enabled_at timestamptz;
alter table users add column totp_last_step bigint;

create table recovery_codes (
  user_id uuid not null references users(id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (user_id, code_hash)
);

create table sign_in_challenges (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sign_in_challenges_expiry on sign_in_challenges (expires_at);

alter table sessions add column id uuid not null default gen_random_uuid();
alter table sessions add column last_seen_at timestamptz not null default now();
alter table sessions add column ip text;
alter table sessions add column user_agent text;
create unique index sessions_id on sessions (id);
create index sessions_user on sessions (workspace_id, user_id);

alter table workspaces add column require_two_factor boolean not null default false;
alter table workspaces add column session_idle_minutes integer not null default 720;
alter table workspaces add column session_max_days integer not null default 30;

alter table api_keys add column scope text not null default 'admin' check (scope in ('read','write','admin'));
alter table api_keys add column expires_at timestamptz;
`;
