// Identity resolution: profile links, suggestions, duplicate pairs, merges (issue #5).
// Table types are merged into Database in schema.ts.
import type { Selectable } from "kysely";
import type { AutoLinkLevel } from "../contracts/enums";
import type { Defaulted, Json, NullableTimestamp, Opt, Timestamp } from "./schema-columns";

// The enums are the API contract's: one definition for the database, the API and the web app.
export { AUTO_LINK_LEVELS, type AutoLinkLevel } from "../contracts/enums";

export type IdentitySettingsTable = {
  workspace_id: string;
  auto_link: Defaulted<AutoLinkLevel>;
  suggest_threshold: Defaulted<number>;
  duplicate_threshold: Opt<number>;
  scanned_at: NullableTimestamp;
  updated_at: Timestamp;
};

/** What the matcher proposes (a profile's contact, two contacts to merge): how sure, why, and whether it was dismissed. */
type MatchColumns = {
  workspace_id: string;
  score: number;
  evidence: Defaulted<string[]>;
  status: Defaulted<"pending" | "dismissed">;
  created_at: Timestamp;
};

export type ProfileSuggestionTable = MatchColumns & {
  profile_id: string;
  contact_id: string;
};

export type DuplicatePairTable = MatchColumns & {
  id: string;
  contact_a: string;
  contact_b: string;
  decided_by: Opt<string>;
  decided_at: NullableTimestamp;
};

/**
 * What a merge moved from the merged contact to the kept one, per "table.column":
 * the moved rows' keys, and rows removed because the kept contact had the same (kept whole).
 */
export type MovedRows = Record<string, { moved: Array<Record<string, unknown>>; removed: Array<Record<string, unknown>> }>;

export type MergeTable = {
  workspace_id: string;
  id: string;
  kept_id: string;
  merged_id: string;
  merged_name: string;
  fields: Json<Record<string, "keep" | "merge">>;
  reason: string | null;
  actor: string;
  actor_user_id: string | null;
  kept_before: Json<Record<string, unknown>>;
  merged_before: Json<Record<string, unknown>>;
  moved: Json<MovedRows>;
  created_at: Timestamp;
  undone_at: NullableTimestamp;
  undone_by: Opt<string>;
  /** A person in it was erased (issue 13): its snapshots were scrubbed and it cannot be undone. */
  erased_at: NullableTimestamp;
};

export type IdentityTables = {
  identity_settings: IdentitySettingsTable;
  profile_suggestions: ProfileSuggestionTable;
  duplicate_pairs: DuplicatePairTable;
  merges: MergeTable;
};

export type MergeRow = Selectable<MergeTable>;
export type DuplicatePairRow = Selectable<DuplicatePairTable>;
