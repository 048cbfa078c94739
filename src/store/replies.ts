import type { DbOrTx } from "./db";
import { orThrow } from "./errors";

// Replies are outbound messages with a delivery state (see migration 009). These are the
// queries engage/ needs beyond the inbox's own (store/listening.ts).

const replyColumns = (db: DbOrTx, workspaceId: string) =>
  db.selectFrom("messages").selectAll().where("workspace_id", "=", workspaceId).where("delivery_status", "is not", null);

export function findReply(db: DbOrTx, workspaceId: string, conversationId: string, id: string) {
  return replyColumns(db, workspaceId).where("conversation_id", "=", conversationId).where("id", "=", id).executeTakeFirst();
}
export const findReplyOrThrow = (...args: Parameters<typeof findReply>) => orThrow(findReply(...args), "Reply");

export function findReplyById(db: DbOrTx, workspaceId: string, id: string) {
  return replyColumns(db, workspaceId).where("id", "=", id).executeTakeFirst();
}

export function findReplyByKey(db: DbOrTx, workspaceId: string, conversationId: string, key: string) {
  return replyColumns(db, workspaceId).where("conversation_id", "=", conversationId).where("idempotency_key", "=", key).executeTakeFirst();
}

/** The message a reply answers by default: the conversation's newest received message. */
export function latestInbound(db: DbOrTx, workspaceId: string, conversationId: string) {
  return db
    .selectFrom("messages")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("direction", "=", "inbound")
    .orderBy("posted_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Finds the message by its network id (a reply's in_reply_to), in the same conversation. */
export function messageByExternalId(db: DbOrTx, workspaceId: string, conversationId: string, externalId: string) {
  return db
    .selectFrom("messages")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
}

/**
 * The reply reached the network. If a poll read it back before this (the network's id already
 * stored as a received message), that copy is removed: the reply is the message. Returns the
 * conversations whose counts must be refreshed.
 */
export async function markReplySent(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  sent: { network: string; external_id: string; url: string | null; at: Date },
): Promise<string[]> {
  const copies = await db
    .deleteFrom("messages")
    .where("workspace_id", "=", workspaceId)
    .where("network", "=", sent.network)
    .where("external_id", "=", sent.external_id)
    .where("id", "<>", id)
    .returning("conversation_id")
    .execute();
  await db
    .updateTable("messages")
    .set({ delivery_status: "sent", delivery_error: null, delivered_at: sent.at, external_id: sent.external_id, url: sent.url })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
  return copies.map((c) => c.conversation_id);
}

/** "failed" for good, or "sending" with the reason the last attempt failed while a retry waits. */
export async function markReplyAttempt(db: DbOrTx, workspaceId: string, id: string, status: "sending" | "failed", error: string | null) {
  await db
    .updateTable("messages")
    .set({ delivery_status: status, delivery_error: error })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
}

/** A failed reply's corrected text, before it is sent again. */
export async function setReplyText(db: DbOrTx, workspaceId: string, id: string, text: string) {
  await db.updateTable("messages").set({ text }).where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
}

// ---------- Closing the loop on ideas: the posts that asked for one

export async function ideaStatusRepliesEnabled(db: DbOrTx, workspaceId: string): Promise<boolean> {
  const row = await db.selectFrom("workspaces").select("idea_status_replies").where("id", "=", workspaceId).executeTakeFirst();
  return row?.idea_status_replies === true;
}

export async function setIdeaStatusReplies(db: DbOrTx, workspaceId: string, enabled: boolean) {
  await db.updateTable("workspaces").set({ idea_status_replies: enabled }).where("id", "=", workspaceId).execute();
}

/**
 * The received posts whose votes an idea holds (not the portal's: members are emailed), oldest
 * first, with who wrote them: one per person (contact, else profile) is answered.
 */
export function ideaVotePosts(db: DbOrTx, workspaceId: string, ideaId: string) {
  return db
    .selectFrom("idea_votes as v")
    .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "v.workspace_id").onRef("m.id", "=", "v.message_id"))
    .select(["m.id as message_id", "m.conversation_id", "m.network", "m.author_handle", "m.author_name", "v.contact_id", "v.profile_id"])
    .where("v.workspace_id", "=", workspaceId)
    .where("v.idea_id", "=", ideaId)
    .where("m.direction", "=", "inbound")
    .where("m.network", "!=", "community")
    .orderBy("v.created_at")
    .orderBy("v.id")
    .execute();
}
