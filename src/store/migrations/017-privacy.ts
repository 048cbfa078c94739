// Privacy (issue 13): the consent ledger, erasure's suppression list and tombstones,
// retention policies and the per-workspace PII redaction setting.
export const sql = `
-- Consent per contact and purpose: an append-only ledger; the current state is each
-- purpose's newest entry (the view below). Rows move with a contact merge and go with
-- the contact, but an entry is never rewritten.
create table consent_events (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  seq bigint generated always as identity,
  contact_id uuid not null,
  purpose text not null check (purpose in ('marketing_email', 'marketing_sms', 'social_engagement', 'profiling')),
  status text not null check (status in ('granted', 'withdrawn')),
  source text not null,
  note text,
  recorded_by text not null,
  recorded_by_name text,
  recorded_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts(workspace_id, id) on delete cascade
);
create index consent_events_contact on consent_events (workspace_id, contact_id, purpose, seq desc);

create function consent_events_append_only() returns trigger language plpgsql as $$
begin
  if (new.purpose, new.status, new.source, new.recorded_by, new.recorded_at, new.id)
     is distinct from (old.purpose, old.status, old.source, old.recorded_by, old.recorded_at, old.id) then
    raise exception 'consent ledger entries are append-only';
  end if;
  return new;
end $$;
create trigger consent_events_append_only before update on consent_events
  for each row execute function consent_events_append_only();

create view contact_consent_state as
  select distinct on (workspace_id, contact_id, purpose)
    workspace_id, contact_id, purpose, status, source, recorded_by, recorded_by_name, recorded_at
  from consent_events
  order by workspace_id, contact_id, purpose, seq desc;

-- The contact's old consent booleans mirror the ledger: a contact written with a different
-- value (the contact form, an import, a merge) records a ledger entry saying so.
create function contacts_consent_to_ledger() returns trigger language plpgsql as $$
declare
  p text;
  v boolean;
  cur text;
begin
  foreach p in array array['marketing_email', 'marketing_sms', 'profiling'] loop
    v := case p when 'marketing_email' then new.consent_email when 'marketing_sms' then new.consent_sms else new.consent_tracking end;
    select s.status into cur from contact_consent_state s
      where s.workspace_id = new.workspace_id and s.contact_id = new.id and s.purpose = p;
    if (cur is null and v) or (cur is not null and (cur = 'granted') <> v) then
      insert into consent_events (workspace_id, id, contact_id, purpose, status, source, recorded_by)
      values (new.workspace_id, gen_random_uuid(), new.id, p, case when v then 'granted' else 'withdrawn' end, 'contact_record', 'system');
    end if;
  end loop;
  return null;
end $$;
create trigger contacts_consent_to_ledger after insert or update of consent_email, consent_sms, consent_tracking on contacts
  for each row execute function contacts_consent_to_ledger();

-- The booleans held before the ledger existed become its first entries.
insert into consent_events (workspace_id, id, contact_id, purpose, status, source, recorded_by, recorded_at)
select workspace_id, gen_random_uuid(), id, p.purpose, 'granted', 'migrated', 'system', updated_at
from contacts
cross join lateral (values ('marketing_email', consent_email), ('marketing_sms', consent_sms), ('profiling', consent_tracking)) as p(purpose, granted)
where p.granted;

-- Erasure: identities that must not come back (hashes only), tombstoned messages and
-- merges whose snapshots were scrubbed (they cannot be undone).
create table privacy_suppressions (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  kind text not null check (kind in ('profile', 'handle', 'email')),
  hash text not null,
  erased_at timestamptz not null default now(),
  primary key (workspace_id, kind, hash)
);
alter table messages add column erased_at timestamptz;
alter table merges add column erased_at timestamptz;

-- Retention: delete old messages of a scope, workspace-wide (channel_id null) or per channel.
create table retention_policies (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  channel_id uuid,
  scope text not null check (scope in ('non_contacts', 'all_inbound')),
  days integer not null check (days between 1 and 36500),
  enabled boolean not null default true,
  last_run_at timestamptz,
  last_deleted integer,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index retention_policies_key on retention_policies (workspace_id, coalesce(channel_id, '00000000-0000-0000-0000-000000000000'::uuid), scope);

-- PII redaction of message text at ingest, per workspace.
create table privacy_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  redact_emails boolean not null default false,
  redact_phones boolean not null default false,
  redact_cards boolean not null default false,
  updated_at timestamptz not null default now()
);
`;
