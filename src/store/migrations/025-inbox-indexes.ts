// The inbox's "longest waiting" sort (issue 15): conversations ordered by when the customer last
// spoke, walked from an index instead of sorting every match on each request.
export const sql = `
create index conversations_waiting on conversations (workspace_id, (coalesce(last_inbound_at, last_message_at)), id);
`;
