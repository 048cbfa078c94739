import { type Actor, requirePermission } from "../accounts";
import type { ReplyAttachment, ReplyCreateInput, ReplyVisibility } from "../contracts/replies";
import { attachmentsByMessage } from "../inbox";
import { AppError } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { isUniqueViolation } from "../store/errors";
import { findConversationOrThrow, insertMessages, refreshConversations } from "../store/listening";
import { findReplyByKey, findReplyOrThrow, markReplyAttempt, setReplyText } from "../store/replies";
import { findReplyAttachment } from "../store/reply-attachments";
import { insertOutbox } from "../store/rules";
import type { ConversationRow, MessageRow } from "../store/schema";
import { checkedAttachments, composerAttachments, storeAttachments } from "./attachments";
import { checkEngagementConsent, consentWarning } from "./consent";
import { cannotReply, checkedText, type ReplyPlan, replyPlan } from "./plan";

// An agent's reply: an outbound message on the conversation at once ("sending"), and in the
// same transaction an outbox row the worker delivers after commit (./delivery.ts). Until the
// network has it, it is not a response: first-response timers stop on delivery.

/** Until the network gives it an id, a reply's external id is Parley's own (unique per workspace). */
export const PENDING_PREFIX = "parley:reply:";

export function presentReply(row: MessageRow) {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    network: row.network,
    text: row.text,
    visibility: (row.reply_visibility ?? (row.is_public ? "public" : "private")) as ReplyVisibility,
    in_reply_to: row.in_reply_to,
    delivery_status: row.delivery_status ?? "sending",
    delivery_error: row.delivery_error,
    external_id: row.external_id.startsWith(PENDING_PREFIX) ? null : row.external_id,
    url: row.url,
    sent_by: row.sent_by,
    created_at: row.received_at,
    delivered_at: row.delivered_at,
  };
}
export type ReplyView = ReturnType<typeof presentReply> & { attachments?: ReplyAttachment[] };

/** The reply with the images sent with it. */
async function presentWithAttachments(db: DbOrTx, workspaceId: string, row: MessageRow): Promise<ReplyView> {
  const images = await attachmentsByMessage(db, workspaceId, [row.id]);
  return { ...presentReply(row), attachments: images.get(row.id) ?? [] };
}

/** What the composer shows: whether a reply is possible here, why not, and the network's limit. */
export async function replyComposer(db: DbOrTx, actor: Actor, conversationId: string) {
  requirePermission(actor, "crm:read");
  const conversation = await findConversationOrThrow(db, actor.workspaceId, conversationId);
  const plan = await replyPlan(db, actor.workspaceId, conversation);
  if (!plan.ok) {
    return {
      can_reply: false,
      reason: plan.reason,
      network: plan.network,
      max_length: null,
      private_allowed: false,
      prefix: "",
      in_reply_to_message_id: null,
      consent_warning: null,
      attachments: composerAttachments(plan),
    };
  }
  const probe = plan.textFor("\u0000", "public");
  return {
    can_reply: true,
    reason: null,
    network: plan.channel.network,
    max_length: plan.limit,
    private_allowed: plan.privateAllowed,
    prefix: probe.slice(0, probe.indexOf("\u0000")),
    in_reply_to_message_id: plan.target.id,
    consent_warning: await consentWarning(db, actor.workspaceId, plan.target.id),
    attachments: composerAttachments(plan),
  };
}

async function enqueue(tx: DbOrTx, workspaceId: string, messageId: string) {
  await insertOutbox(tx, [
    {
      workspace_id: workspaceId,
      id: newId(),
      kind: "reply",
      rule_id: null,
      payload: JSON.stringify({ message_id: messageId }),
      next_attempt_at: new Date(),
    },
  ]);
}

/**
 * Stores a reply as an outbound message ("sending") with its delivery in the outbox, in the caller's
 * transaction: an agent's (createReply) or a rule's (./rule-reply.ts). Answers its id.
 */
export async function writeReply(
  tx: DbOrTx,
  ws: string,
  conversation: ConversationRow,
  plan: Extract<ReplyPlan, { ok: true }>,
  text: string,
  visibility: ReplyVisibility,
  by: { userId: string | null; name: string | null; key: string | null; ruleId?: string },
): Promise<string> {
  const id = newId();
  const now = new Date();
  const row = {
    workspace_id: ws,
    id,
    channel_id: plan.channel.id,
    network: conversation.network,
    external_id: `${PENDING_PREFIX}${id}`,
    url: null,
    conversation_id: conversation.id,
    profile_id: null,
    author_handle: null,
    author_name: by.name,
    text,
    html: null,
    subject: null,
    language: null,
    posted_at: now,
    received_at: now,
    in_reply_to: plan.target.external_id,
    quote_of: null,
    content_hash: null,
    raw: null,
    sentiment: null,
    sentiment_score: null,
    intents: null,
    priority: null,
    analyzed_at: null,
    model_version: null,
    is_public: visibility === "public",
    direction: "outbound" as const,
    delivery_status: "sending" as const,
    sent_by: by.userId,
    reply_visibility: visibility,
    idempotency_key: by.key,
    rule_id: by.ruleId ?? null,
  };
  await insertMessages(tx, [row]);
  await enqueue(tx, ws, id);
  await refreshConversations(tx, ws, [conversation.id], new Set());
  return id;
}

/**
 * Writes the reply and its delivery in one transaction. The same idempotency key on the same
 * conversation answers the reply already written (`created: false`), never a second send.
 */
export async function createReply(
  db: Db,
  actor: Actor,
  conversationId: string,
  input: ReplyCreateInput,
): Promise<{ reply: ReplyView; created: boolean }> {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const key = input.idempotency_key;
  try {
    return await db.transaction().execute(async (tx) => {
      const conversation = await findConversationOrThrow(tx, ws, conversationId);
      if (key) {
        const existing = await findReplyByKey(tx, ws, conversationId, key);
        if (existing) return { reply: await presentWithAttachments(tx, ws, existing), created: false };
      }
      const plan = await replyPlan(tx, ws, conversation, input.in_reply_to_message_id);
      if (!plan.ok) throw cannotReply(plan);
      const text = checkedText(plan, input.text, input.visibility);
      const images = checkedAttachments(plan, input.attachments);
      await checkEngagementConsent(tx, actor, { conversationId, messageId: plan.target.id }, input.override_consent === true);
      const id = await writeReply(tx, ws, conversation, plan, text, input.visibility, {
        userId: actor.userId,
        name: actor.label,
        key: key ?? null,
      });
      // Before the commit that lets the outbox worker claim the reply: it is sent with its images.
      await storeAttachments(tx, ws, id, images);
      return { reply: await presentWithAttachments(tx, ws, await findReplyOrThrow(tx, ws, conversationId, id)), created: true };
    });
  } catch (err) {
    // Two requests with one key at the same moment: the second finds the first's reply.
    if (key && isUniqueViolation(err)) {
      const existing = await findReplyByKey(db, ws, conversationId, key);
      if (existing) return { reply: await presentWithAttachments(db, ws, existing), created: false };
    }
    throw err;
  }
}

export async function getReply(db: DbOrTx, actor: Actor, conversationId: string, replyId: string) {
  requirePermission(actor, "crm:read");
  await findConversationOrThrow(db, actor.workspaceId, conversationId);
  return presentWithAttachments(db, actor.workspaceId, await findReplyOrThrow(db, actor.workspaceId, conversationId, replyId));
}

/** One image sent with a reply, for a member of its workspace: its bytes, type and name. */
export async function getReplyAttachment(db: DbOrTx, actor: Actor, attachmentId: string) {
  requirePermission(actor, "crm:read");
  const row = await findReplyAttachment(db, actor.workspaceId, attachmentId);
  if (!row) throw new AppError("not_found", "Attachment not found");
  return { contentType: row.content_type, filename: row.filename, bytes: Buffer.from(row.data) };
}

/** Sends a failed reply again (with corrected text, if given) through a new delivery. */
export async function retryReply(db: Db, actor: Actor, conversationId: string, replyId: string, input: { text?: string } = {}) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const conversation = await findConversationOrThrow(tx, ws, conversationId);
    const reply = await findReplyOrThrow(tx, ws, conversationId, replyId);
    if (reply.delivery_status !== "failed") {
      throw new AppError("conflict", `Only a failed reply can be sent again; this one is ${reply.delivery_status}`, [
        { field: "delivery_status", message: `is ${reply.delivery_status}` },
      ]);
    }
    if (input.text !== undefined) {
      const plan = await replyPlan(tx, ws, conversation);
      if (!plan.ok) throw cannotReply(plan);
      const visibility = (reply.reply_visibility ?? "public") as ReplyVisibility;
      const text = checkedText(plan, input.text, visibility);
      await setReplyText(tx, ws, replyId, text);
    }
    await markReplyAttempt(tx, ws, replyId, "sending", null);
    await enqueue(tx, ws, replyId);
    return presentWithAttachments(tx, ws, await findReplyOrThrow(tx, ws, conversationId, replyId));
  });
}
