// The audit log readable (issue 13): who acted under which name, a short summary,
// and where the request came from; indexes for the log's newest-first pages and filters.
export const sql = `
alter table audit_events add column actor_name text;
alter table audit_events add column summary text;
alter table audit_events add column ip text;
alter table audit_events add column user_agent text;

create index audit_events_newest on audit_events (workspace_id, id desc);
create index audit_events_action on audit_events (workspace_id, action, id desc);
create index audit_events_actor on audit_events (workspace_id, actor, id desc);
`;
