// Community notices (issue 17): a member's notice key lets the "stop these emails" link in an
// idea's status email turn the emails off without signing in; the index finds a visitor's recent
// deflections, which are withdrawn when that visitor posts the question after all.
export const sql = `
alter table community_members add column notice_key text not null default replace(gen_random_uuid()::text, '-', '');
create index kb_visitors_deflected on kb_visitors (workspace_id, visitor_key, deflected_at) where deflected_at is not null;
`;
