// Identity resolution: profile links, suggestions, duplicate pairs, merges (issue #5).
// Table types are merged into Database in schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in as tables are added.
export type IdentityTables = {};
