// Indexes of the outcome reports (issue 16): the range's delivered replies (engagement), deals won
// in the range (sales) and votes cast in the range (product), read without scanning every message,
// deal or vote of the workspace.
export const sql = `
create index messages_outbound on messages (workspace_id, posted_at) where direction = 'outbound';
create index deals_won on deals (workspace_id, closed_at) where status = 'won';
create index idea_votes_created on idea_votes (workspace_id, created_at);
`;
