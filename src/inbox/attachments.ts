import type { AttachmentType, ReplyAttachment } from "../contracts/replies";
import type { DbOrTx } from "../store/db";
import { describeReplyAttachments } from "../store/reply-attachments";
import type { ReplyAttachmentRow } from "../store/schema-attachments";

// Images an agent sent with a reply (src/engage stores them), as the thread shows them: the
// description and an address that serves the bytes to a signed-in member of the workspace.

export const attachmentUrl = (id: string) => `/api/v1/reply-attachments/${id}`;

export function presentAttachment(row: Omit<ReplyAttachmentRow, "data" | "workspace_id" | "created_at">): ReplyAttachment {
  return {
    id: row.id,
    content_type: row.content_type as AttachmentType,
    filename: row.filename,
    alt: row.alt,
    byte_size: row.byte_size,
    width: row.width,
    height: row.height,
    url: attachmentUrl(row.id),
  };
}

/** The attachments of these replies, by message id, for presenting. */
export async function attachmentsByMessage(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  const out = new Map<string, ReplyAttachment[]>();
  for (const row of await describeReplyAttachments(db, workspaceId, messageIds)) {
    const list = out.get(row.message_id) ?? [];
    list.push(presentAttachment(row));
    out.set(row.message_id, list);
  }
  return out;
}
