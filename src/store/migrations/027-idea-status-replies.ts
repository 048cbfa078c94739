// Closing the loop on ideas (issue 14): a workspace may let Parley answer the public posts that
// asked for an idea when its status changes. Off unless an admin turns it on.
export const sql = `
alter table workspaces add column idea_status_replies boolean not null default false;
`;
