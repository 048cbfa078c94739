import type { Selectable } from "kysely";
import type { Defaulted, Json, Opt, Timestamp } from "./schema-columns";

// Tables of working as a team in the inbox (migration 019): notes, notification preferences,
// canned responses, saved views and per-user read marks.

export type ConversationNoteTable = {
  workspace_id: string;
  id: string;
  conversation_id: string;
  author_id: Opt<string>;
  author_name: string;
  text: string;
  mentions: Defaulted<string[]>;
  created_at: Timestamp;
};
export type NotificationPreferenceTable = {
  workspace_id: string;
  user_id: string;
  email_kinds: Defaulted<string[]>;
  /** off, daily or weekly (migration 028); digest_sent_for: the period last sent ("2026-12-02", "week of 2026-11-30"). */
  digest: Defaulted<"off" | "daily" | "weekly">;
  digest_sent_for: Opt<string>;
  updated_at: Timestamp;
};
export type CannedResponseTable = {
  workspace_id: string;
  id: string;
  name: string;
  shortcut: string;
  body: string;
  created_by: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type SavedViewTable = {
  workspace_id: string;
  id: string;
  name: string;
  filters: Json<Record<string, unknown>>;
  owner_id: Opt<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type ConversationReadTable = { workspace_id: string; user_id: string; conversation_id: string; read_at: Date };

export type TeamTables = {
  conversation_notes: ConversationNoteTable;
  notification_preferences: NotificationPreferenceTable;
  canned_responses: CannedResponseTable;
  saved_views: SavedViewTable;
  conversation_reads: ConversationReadTable;
};
export type ConversationNoteRow = Selectable<ConversationNoteTable>;
export type CannedResponseRow = Selectable<CannedResponseTable>;
export type SavedViewRow = Selectable<SavedViewTable>;
