// Webhook replay protection (issue 12 item 8): the signatures of accepted deliveries,
// kept in the database so that a replay is refused after a restart and by every
// process sharing the store. A row is only needed while its signed timestamp is
// within the tolerance window; older rows are pruned (the index serves that delete).
export const sql = `
create table hook_deliveries (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  channel_id uuid not null,
  signature text not null,
  signed_at timestamptz not null,
  received_at timestamptz not null default now(),
  primary key (workspace_id, channel_id, signature)
);
create index hook_deliveries_signed_at on hook_deliveries (signed_at);
`;
