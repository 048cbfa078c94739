// Cases, SLA policies, business hours, pipelines, deals, ideas and votes (issue #6).
// Table types are merged into Database in schema.ts.
// biome-ignore lint/complexity/noBannedTypes: filled in as tables are added.
export type WorkTables = {};
