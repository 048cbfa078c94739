import type { Selectable } from "kysely";
import type { Defaulted, NullableTimestamp, Opt, Timestamp } from "./schema-columns";

// The community portal's tables (migration 015): portals, members and their sessions,
// posts, upvotes, idea follows and members' reports.

export type CommunityPostKind = "question" | "answer" | "comment" | "idea" | "idea_comment" | "case_reply";

export type CommunityPortalTable = {
  workspace_id: string;
  slug: string;
  title: Opt<string>;
  logo_url: Opt<string>;
  color: Defaulted<string>;
  custom_domain: Opt<string>;
  channel_id: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type CommunityMemberTable = {
  workspace_id: string;
  id: string;
  email: string;
  display_name: string;
  password_hash: Opt<string>;
  profile_id: Opt<string>;
  trust_level: Defaulted<number>;
  trust_locked: Defaulted<boolean>;
  post_count: Defaulted<number>;
  accepted_count: Defaulted<number>;
  upvotes_received: Defaulted<number>;
  hidden_count: Defaulted<number>;
  notify_replies: Defaulted<boolean>;
  notify_ideas: Defaulted<boolean>;
  /** Lets the link in a notice email turn the notices off without signing in (migration 023). */
  notice_key: Defaulted<string>;
  suspended: Defaulted<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
};
export type CommunitySessionTable = {
  token_hash: string;
  workspace_id: string;
  member_id: string;
  expires_at: Date;
  created_at: Timestamp;
};
export type CommunityLoginTokenTable = {
  token_hash: string;
  workspace_id: string;
  email: string;
  expires_at: Date;
  used_at: NullableTimestamp;
  created_at: Timestamp;
};
export type CommunityPostTable = {
  workspace_id: string;
  id: string;
  kind: CommunityPostKind;
  member_id: string;
  question_id: Opt<string>;
  parent_id: Opt<string>;
  idea_id: Opt<string>;
  case_id: Opt<string>;
  title: Opt<string>;
  body: string;
  message_id: Opt<string>;
  conversation_id: Opt<string>;
  score: Defaulted<number>;
  answer_count: Defaulted<number>;
  accepted: Defaulted<boolean>;
  hidden: Defaulted<boolean>;
  /** When staff last decided on the post in the moderation queue. */
  moderated_at: NullableTimestamp;
  ip: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type CommunityVoteTable = { workspace_id: string; post_id: string; member_id: string; created_at: Timestamp };
export type CommunityFollowTable = { workspace_id: string; idea_id: string; member_id: string; created_at: Timestamp };
export type CommunityReportTable = {
  workspace_id: string;
  id: string;
  post_id: string;
  member_id: string;
  reason: string;
  status: Defaulted<"open" | "hidden" | "dismissed">;
  resolved_by: Opt<string>;
  resolved_at: NullableTimestamp;
  created_at: Timestamp;
};

export type CommunityTables = {
  community_portals: CommunityPortalTable;
  community_members: CommunityMemberTable;
  community_sessions: CommunitySessionTable;
  community_login_tokens: CommunityLoginTokenTable;
  community_posts: CommunityPostTable;
  community_votes: CommunityVoteTable;
  community_follows: CommunityFollowTable;
  community_reports: CommunityReportTable;
};

export type CommunityPortalRow = Selectable<CommunityPortalTable>;
export type CommunityMemberRow = Selectable<CommunityMemberTable>;
export type CommunityPostRow = Selectable<CommunityPostTable>;
export type CommunityReportRow = Selectable<CommunityReportTable>;
