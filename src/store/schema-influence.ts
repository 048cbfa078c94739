import type { Selectable } from "kysely";
import type { Timestamp } from "./schema-columns";

// People and influence (issue #16): merged into Database in schema.ts. Derived tables,
// rewritten whole per workspace by insight/influence.ts.

export type Stance = "advocate" | "detractor" | "neutral";

export type InfluenceRunTable = {
  workspace_id: string;
  computed_at: Timestamp;
  window_days: number;
  people: number;
  links: number;
  interactions: number;
  communities: number;
  iterations: number;
  converged: boolean;
};

export type PersonInfluenceTable = {
  workspace_id: string;
  /** `c:<contact id>` for a contact (all their linked profiles), `p:<profile id>` for a profile linked to no one. */
  node: string;
  contact_id: string | null;
  profile_id: string | null;
  /** PageRank: the scores of a workspace sum to 1. */
  score: number;
  rank: number;
  community: number;
  community_size: number;
  replies_received: number;
  repliers: number;
  mentions_received: number;
  mentioners: number;
  quotes_received: number;
  quoters: number;
  engaged_with: number;
  messages: number;
  positive: number;
  negative: number;
  stance: Stance;
};

export type InfluenceTables = {
  influence_runs: InfluenceRunTable;
  person_influence: PersonInfluenceTable;
};
export type InfluenceRunRow = Selectable<InfluenceRunTable>;
export type PersonInfluenceRow = Selectable<PersonInfluenceTable>;
