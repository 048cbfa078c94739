// The CRM core: tenancy, people, companies, timeline, saved lists and access.
// Every tenant table leads its primary key with workspace_id so the data can be
// distributed by tenant later without rewriting keys.
export const sql = `
create extension if not exists pg_trgm;

create table workspaces (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  email text not null,
  name text not null,
  password_hash text,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table memberships (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  role text not null check (role in ('owner','admin','manager','agent','viewer')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index memberships_user on memberships (user_id);

create table invitations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  email text not null,
  role text not null check (role in ('owner','admin','manager','agent','viewer')),
  token_hash text not null unique,
  invited_by uuid references users(id) on delete set null,
  team_ids uuid[] not null default '{}',
  accepted_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);

create table teams (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index teams_name_key on teams (workspace_id, lower(name));

create table team_members (
  workspace_id uuid not null,
  team_id uuid not null,
  user_id uuid not null references users(id) on delete cascade,
  primary key (workspace_id, team_id, user_id),
  foreign key (workspace_id, team_id) references teams(workspace_id, id) on delete cascade
);

create table api_keys (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  role text not null check (role in ('admin','manager','agent','viewer')),
  created_by uuid references users(id) on delete set null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table custom_fields (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  entity text not null check (entity in ('contact','organization')),
  key text not null,
  label text not null,
  type text not null check (type in ('text','number','date','boolean','select','multiselect','url')),
  options text[] not null default '{}',
  position int not null default 0,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index custom_fields_key on custom_fields (workspace_id, entity, key);

create table organizations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  domain text,
  industry text,
  size text,
  owner_id uuid references users(id) on delete set null,
  external_id text,
  custom jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index organizations_external_id on organizations (workspace_id, external_id) where external_id is not null;
create index organizations_name on organizations (workspace_id, lower(name), id);
create index organizations_domain on organizations (workspace_id, lower(domain));

create table contacts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  first_name text,
  last_name text,
  name text not null,
  emails text[] not null default '{}',
  phones text[] not null default '{}',
  organization_id uuid,
  title text,
  lifecycle_stage text not null default 'lead' check (lifecycle_stage in
    ('subscriber','lead','prospect','opportunity','customer','advocate','churned')),
  owner_id uuid references users(id) on delete set null,
  tags text[] not null default '{}',
  consent_email boolean not null default false,
  consent_sms boolean not null default false,
  consent_tracking boolean not null default false,
  city text,
  country text,
  notes text,
  external_id text,
  custom jsonb not null default '{}',
  search text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, organization_id) references organizations(workspace_id, id) on delete set null (organization_id)
);
create unique index contacts_external_id on contacts (workspace_id, external_id) where external_id is not null;
create index contacts_name on contacts (workspace_id, lower(name), id);
create index contacts_created on contacts (workspace_id, created_at, id);
create index contacts_updated on contacts (workspace_id, updated_at, id);
create index contacts_stage on contacts (workspace_id, lifecycle_stage, lower(name), id);
create index contacts_country on contacts (workspace_id, country);
create index contacts_org on contacts (workspace_id, organization_id);
create index contacts_tags on contacts using gin (tags);
create index contacts_emails on contacts using gin (emails);
create index contacts_search on contacts using gin (search gin_trgm_ops);

create table activities (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  contact_id uuid,
  organization_id uuid,
  type text not null check (type in ('note','call','meeting','email','task')),
  subject text,
  body text,
  occurred_at timestamptz not null default now(),
  due_at timestamptz,
  assignee_id uuid references users(id) on delete set null,
  completed_at timestamptz,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts(workspace_id, id) on delete cascade,
  foreign key (workspace_id, organization_id) references organizations(workspace_id, id) on delete cascade
);
create index activities_contact on activities (workspace_id, contact_id, occurred_at desc);
create index activities_org on activities (workspace_id, organization_id, occurred_at desc);
create index activities_open_tasks on activities (workspace_id, contact_id) where type = 'task' and completed_at is null;

create table segments (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  entity text not null default 'contact' check (entity in ('contact','organization')),
  filter jsonb not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table audit_events (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id bigserial,
  actor text not null,
  action text not null,
  subject_type text not null,
  subject_id text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
`;
