// The listening report's top authors walk a workspace's profiles widest reach first (issue 16): this
// index hands them over in that order instead of sorting every profile.
export const sql = `
create index profiles_reach on profiles (workspace_id, followers desc nulls last, id);
`;
