import type { ReplyVisibility } from "../contracts/replies";
import { publish } from "../events";
import {
  ConnectorError,
  channelCredentials,
  channelWebhookSecret,
  connectorFor,
  parseRetryAfter,
  type ReplyAttachmentFile,
  type ReplySent,
} from "../listen";
import type { OutboxDeliverer, OutboxOutcome } from "../rules";
import { type SafeFetch, SafeFetchError, safeFetch } from "../shared/safe-fetch";
import { signWebhook } from "../shared/signing";
import type { Db, DbOrTx } from "../store/db";
import { findChannel, refreshConversations } from "../store/listening";
import { findReplyById, markReplyAttempt, markReplySent, messageByExternalId } from "../store/replies";
import type { ChannelRow, MessageRow } from "../store/schema";
import { attachmentFiles } from "./attachments";
import { isPortalChannel, networkName, replyTargetOf, webhookReplyUrl } from "./plan";

// The outbox kind "reply": the rules worker claims a reply's row after commit, this sends it
// through the channel's connector (or the webhook channel's reply_url), and the outcome lands on
// the message in the transaction that records the attempt. A rate limit waits for the network's
// Retry-After, a server error is retried with backoff, a refusal (4xx) fails at once in words.

type Payload = { message_id?: string };

const permanent = (error: string): OutboxOutcome => ({ ok: false, status: null, error, permanent: true });

function fromError(err: unknown): OutboxOutcome {
  if (err instanceof ConnectorError) {
    if (err.kind === "rate_limited" || err.kind === "unavailable")
      return { ok: false, status: null, error: err.message, retryAt: err.retryAt };
    return permanent(err.message);
  }
  if (err instanceof SafeFetchError)
    return err.kind === "refused" ? permanent(err.message) : { ok: false, status: null, error: err.message };
  return { ok: false, status: null, error: err instanceof Error ? err.message : String(err) };
}

/** Posts the reply, signed like Parley's webhooks, to the webhook channel's reply_url. */
async function sendToWebhook(
  channel: ChannelRow,
  reply: MessageRow,
  fetch: SafeFetch,
  images: ReplyAttachmentFile[],
): Promise<OutboxOutcome> {
  const url = webhookReplyUrl(channel);
  if (!url) return permanent("The webhook channel has no reply_url to deliver replies to");
  const attachments = images.map((a) => ({
    id: a.id,
    content_type: a.contentType,
    filename: a.filename,
    alt: a.alt,
    data_base64: a.bytes.toString("base64"),
  }));
  const body = JSON.stringify({
    type: "reply",
    id: reply.id,
    conversation_id: reply.conversation_id,
    in_reply_to: reply.in_reply_to,
    text: reply.text,
    visibility: reply.reply_visibility ?? "public",
    created_at: reply.received_at,
    ...(attachments.length ? { attachments } : {}),
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Parley-Webhooks/1",
    // the same on every attempt: the receiver can drop a repeat
    "x-parley-delivery": reply.id,
    "x-parley-timestamp": String(timestamp),
  };
  const secret = channelWebhookSecret(channel);
  if (secret) headers["x-parley-signature"] = signWebhook(secret, timestamp, body);
  const res = await fetch(url, { method: "POST", headers, body, timeoutMs: 10_000, maxRedirects: 0 });
  const words = `The reply_url answered ${res.status}${res.text ? `: ${res.text.slice(0, 200)}` : ""}`;
  if (res.status >= 200 && res.status < 300) {
    let answer: { id?: unknown; url?: unknown } = {};
    try {
      answer = JSON.parse(res.text) as typeof answer;
    } catch {
      answer = {};
    }
    const sent: ReplySent = {
      externalId: typeof answer.id === "string" && answer.id ? answer.id : `webhook:${reply.id}`,
      url: typeof answer.url === "string" && /^https?:\/\//i.test(answer.url) ? answer.url : null,
    };
    return { ok: true, status: res.status, error: null, result: sent };
  }
  if (res.status === 429 || res.status >= 500) {
    return { ok: false, status: res.status, error: words, retryAt: parseRetryAfter(res.headers.get("retry-after"), new Date()) };
  }
  return { ok: false, status: res.status, error: words, permanent: true };
}

async function deliverReply(db: Db, payload: Payload, fetch: SafeFetch, workspaceId: string): Promise<OutboxOutcome> {
  const reply = payload.message_id ? await findReplyById(db, workspaceId, payload.message_id) : undefined;
  if (!reply) return permanent("The reply no longer exists");
  if (reply.delivery_status === "sent") return { ok: true, status: null, error: null, result: null };
  const channel = reply.channel_id ? await findChannel(db, workspaceId, reply.channel_id) : undefined;
  if (!channel) return permanent("The channel this reply was to go through was deleted");
  const images = await attachmentFiles(db, workspaceId, reply.id);
  if (channel.network === "webhook") return sendToWebhook(channel, reply, fetch, images);
  // The community portal is Parley's own: its thread shows the delivered reply from the conversation.
  if (isPortalChannel(channel))
    return { ok: true, status: null, error: null, result: { externalId: `community:reply:${reply.id}`, url: null } };
  const connector = connectorFor(channel.network, channel.config);
  if (!connector?.reply) return permanent(`Replying on ${networkName(channel.network)} from Parley is not available`);
  if (images.length > 0 && !connector.replyAttachments)
    return permanent(`${networkName(channel.network)} takes no images with a reply from Parley`);
  const target = reply.in_reply_to ? await messageByExternalId(db, workspaceId, reply.conversation_id, reply.in_reply_to) : undefined;
  if (!target) return permanent("The message this reply answers is no longer in the conversation");
  const ctx = {
    config: connector.validateConfig(channel.config),
    credentials: channelCredentials(channel),
    state: {},
    queries: [],
    fetch,
    now: () => new Date(),
  };
  const sent = await connector.reply(
    ctx,
    replyTargetOf(target, { id: reply.id, writtenAt: new Date(reply.received_at) }),
    reply.text,
    (reply.reply_visibility ?? "public") as ReplyVisibility,
    images,
  );
  return { ok: true, status: null, error: null, result: sent };
}

export const replyDeliverer: OutboxDeliverer = {
  async deliver(db, row, options) {
    try {
      return await deliverReply(db, row.payload as Payload, options.fetch ?? safeFetch, row.workspace_id);
    } catch (err) {
      return fromError(err);
    }
  },

  async settle(tx: DbOrTx, row, outcome, state) {
    const id = (row.payload as Payload).message_id;
    if (!id) return;
    const ws = row.workspace_id;
    const reply = await findReplyById(tx, ws, id);
    if (!reply) return;
    if (state === "delivered") {
      const sent = outcome.result as ReplySent | null;
      if (!sent) return; // it was already sent
      const at = new Date();
      const touched = await markReplySent(tx, ws, id, { network: reply.network, external_id: sent.externalId, url: sent.url, at });
      await refreshConversations(tx, ws, [...new Set([reply.conversation_id, ...touched])], new Set());
      // Now it is a response: work stops the first-response timers of the conversation's cases.
      await publish(tx, ws, { type: "reply.delivered", messageId: id, conversationId: reply.conversation_id, at });
    } else if (state === "failed") {
      await markReplyAttempt(tx, ws, id, "failed", outcome.error ?? "The reply could not be delivered");
    } else {
      await markReplyAttempt(tx, ws, id, "sending", outcome.error ? `${outcome.error} (Parley tries again)` : null);
    }
  },
};
