import type { Selectable } from "kysely";
import type { Opt, Timestamp } from "./schema-columns";

// Image attachments on replies (migration 026): merged into Database in schema.ts.

export type ReplyAttachmentTable = {
  workspace_id: string;
  id: string;
  message_id: string;
  position: number;
  content_type: string;
  filename: Opt<string>;
  alt: Opt<string>;
  byte_size: number;
  width: Opt<number>;
  height: Opt<number>;
  data: Uint8Array;
  created_at: Timestamp;
};
export type AttachmentTables = { reply_attachments: ReplyAttachmentTable };
export type ReplyAttachmentRow = Selectable<ReplyAttachmentTable>;
