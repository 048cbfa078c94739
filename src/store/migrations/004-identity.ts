// Identity resolution: profile links, suggestions, duplicate pairs, merges (issue #5).
export const sql = `
select 1;
`;
