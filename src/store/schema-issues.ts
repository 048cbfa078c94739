import type { Selectable } from "kysely";
import type { Defaulted, Json, NullableTimestamp, Timestamp } from "./schema-columns";

// Emerging issues (issue #16): merged into Database in schema.ts.

export type IssueTopTerm = { term: string; word: string; weight: number };
export type IssueTable = {
  workspace_id: string;
  id: string;
  label: string;
  top_terms: Json<IssueTopTerm[]>;
  message_count: Defaulted<number>;
  first_message_at: Timestamp;
  last_message_at: Timestamp;
  burst_started_at: NullableTimestamp;
  burst_ended_at: NullableTimestamp;
  burst_count: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type IssueTermTable = { workspace_id: string; issue_id: string; term: string; word: string; mass: number };
export type IssueTermDfTable = { workspace_id: string; term: string; df: number };
export type IssueMessageTable = {
  workspace_id: string;
  message_id: string;
  issue_id: string;
  similarity: number;
  posted_at: Timestamp;
  created_at: Timestamp;
};
export type IssueHourlyTable = { workspace_id: string; issue_id: string; hour: Timestamp; count: number };

export type IssueTables = {
  issues: IssueTable;
  issue_terms: IssueTermTable;
  issue_term_df: IssueTermDfTable;
  issue_messages: IssueMessageTable;
  issue_hourly: IssueHourlyTable;
};
export type IssueRow = Selectable<IssueTable>;
