// Automation rules, versions and rule runs (issue #6).
export const sql = `
select 1;
`;
