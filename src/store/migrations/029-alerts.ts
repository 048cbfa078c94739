// Threshold alerts (issue 16): an alert.threshold rule's state — whether its metric is past the
// threshold now (fired, waiting to fall back) and how many times it crossed. The state changes in the
// transaction that fires the rule, so a crossing fires once, also with two workers or after a crash.
export const sql = `
create table alert_states (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  rule_id uuid not null,
  config text not null,
  firing boolean not null default false,
  crossings integer not null default 0,
  value double precision,
  count integer,
  fired_at timestamptz,
  rearmed_at timestamptz,
  checked_at timestamptz not null default now(),
  primary key (workspace_id, rule_id),
  foreign key (workspace_id, rule_id) references rules(workspace_id, id) on delete cascade
);
create index case_events_sla_breached on case_events (workspace_id, created_at) where kind = 'sla_breached';
`;
