// Automation rules, versions and rule runs (issue #6).
// Table types are merged into Database in schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in as tables are added.
export type RuleTables = {};
