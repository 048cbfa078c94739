import type { Insertable } from "kysely";
import type { DbOrTx } from "./db";
import type { ReplyAttachmentTable } from "./schema-attachments";

// Image attachments on replies (migration 026). The bytes are read only where they are sent or
// served; lists for the thread read the description without them.

const described = ["id", "message_id", "position", "content_type", "filename", "alt", "byte_size", "width", "height"] as const;

export async function insertReplyAttachments(db: DbOrTx, rows: Insertable<ReplyAttachmentTable>[]) {
  if (rows.length > 0) await db.insertInto("reply_attachments").values(rows).execute();
}

/** A reply's attachments with their bytes, in the order the agent attached them. */
export function replyAttachmentsWithData(db: DbOrTx, workspaceId: string, messageId: string) {
  return db
    .selectFrom("reply_attachments")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "=", messageId)
    .orderBy("position")
    .execute();
}

/** The attachments of these messages, without their bytes. */
export async function describeReplyAttachments(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom("reply_attachments")
    .select(described)
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .orderBy("message_id")
    .orderBy("position")
    .execute();
}

/** One attachment with its bytes and the conversation of its message, in this workspace only. */
export function findReplyAttachment(db: DbOrTx, workspaceId: string, id: string) {
  return db
    .selectFrom("reply_attachments as a")
    .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "a.workspace_id").onRef("m.id", "=", "a.message_id"))
    .selectAll("a")
    .select("m.conversation_id")
    .where("a.workspace_id", "=", workspaceId)
    .where("a.id", "=", id)
    .executeTakeFirst();
}
