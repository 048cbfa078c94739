import { graphemeCount, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, REPLY_LIMITS, type ReplyVisibility } from "../contracts/replies";
import { type Connector, channelCredentials, connectorFor, type ReplyTarget } from "../listen";
import { AppError, invalid } from "../shared/errors";
import type { DbOrTx } from "../store/db";
import { findChannel, findMessage } from "../store/listening";
import { latestInbound } from "../store/replies";
import type { ChannelRow, ConversationRow, MessageRow } from "../store/schema";

// Whether and how a conversation can be answered: through which channel, to which message,
// within which length. The composer shows the same answer the API enforces.

const NETWORK_NAMES: Record<string, string> = {
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  x: "X",
  reddit: "Reddit",
  email: "email",
  webhook: "the webhook channel",
  rss: "RSS feeds",
  review: "review sites",
  community: "the community",
  file: "imported files",
};
export const networkName = (network: string) => NETWORK_NAMES[network] ?? network;

/** Networks Parley cannot write to: they have no write API. */
const READ_ONLY = new Set(["rss", "review", "file"]);

export type ReplyPlan =
  | { ok: false; reason: string; network: string }
  | {
      ok: true;
      network: string;
      channel: ChannelRow;
      /** The network's connector; absent for the webhook channel (Parley posts to its reply_url). */
      connector: Connector | null;
      target: MessageRow;
      limit: number | null;
      privateAllowed: boolean;
      /** The text as the network will receive it. */
      textFor: (text: string, visibility: ReplyVisibility) => string;
      /** Images the network takes with a reply (how many, how large); null: none. */
      attachments: { max: number; maxBytes: number } | null;
    };

export function replyTargetOf(target: MessageRow, reply: { id: string; writtenAt: Date }): ReplyTarget {
  return {
    externalId: target.external_id,
    raw: target.raw,
    authorHandle: target.author_handle,
    subject: target.subject,
    references: target.thread_refs,
    idempotencyKey: reply.id,
    writtenAt: reply.writtenAt,
  };
}

/** The channel of Parley's own community portal (src/community): its threads read replies from the conversation. */
export const isPortalChannel = (channel: ChannelRow) => channel.network === "community" && channel.config.portal === true;

/** The webhook channel's reply_url: where replies to its senders are posted, signed. */
export function webhookReplyUrl(channel: ChannelRow): string | null {
  const url = (channel.config as { reply_url?: unknown }).reply_url;
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

export async function replyPlan(
  db: DbOrTx,
  workspaceId: string,
  conversation: ConversationRow,
  inReplyToMessageId?: string,
): Promise<ReplyPlan> {
  const network = conversation.network;
  const no = (reason: string): ReplyPlan => ({ ok: false, reason, network });
  if (READ_ONLY.has(network)) {
    return no(`Replies are not possible on ${networkName(network)}: there is no write API. Answer on the site itself.`);
  }
  const channel = conversation.channel_id ? await findChannel(db, workspaceId, conversation.channel_id) : undefined;
  if (!channel) {
    return no(
      "Replies are not possible here: this conversation did not arrive through a channel Parley can write to (it was imported or sent through the API).",
    );
  }
  if (READ_ONLY.has(channel.network)) {
    return no(`Replies are not possible on ${networkName(channel.network)}: there is no write API. Answer on the site itself.`);
  }
  let target: MessageRow | undefined;
  if (inReplyToMessageId) {
    target = await findMessage(db, workspaceId, inReplyToMessageId);
    if (!target || target.conversation_id !== conversation.id)
      throw invalid("in_reply_to_message_id", "is not a message of this conversation");
  } else target = await latestInbound(db, workspaceId, conversation.id);
  if (!target) return no("There is no received message in this conversation to answer.");
  const limit = REPLY_LIMITS[channel.network as keyof typeof REPLY_LIMITS] ?? null;

  if (isPortalChannel(channel)) {
    // Parley's own portal: the reply is shown in the thread from the conversation itself (src/community).
    return {
      ok: true,
      network,
      channel,
      connector: null,
      target,
      limit,
      privateAllowed: false,
      textFor: (text) => text,
      attachments: null,
    };
  }
  if (channel.network === "webhook") {
    if (!webhookReplyUrl(channel)) {
      return no("This webhook channel has no reply_url in its config: set one (Settings → Channels) and replies are posted there, signed.");
    }
    // The receiver gets the images in the signed JSON body, base64 with their content type.
    const attachments = { max: MAX_ATTACHMENTS, maxBytes: MAX_ATTACHMENT_BYTES };
    return { ok: true, network, channel, connector: null, target, limit, privateAllowed: true, textFor: (text) => text, attachments };
  }
  const connector = connectorFor(channel.network, channel.config);
  if (!connector?.reply) return no(`Replying on ${networkName(channel.network)} from Parley is not available yet.`);
  let config: unknown;
  try {
    config = connector.validateConfig(channel.config);
  } catch (err) {
    return no(`The channel's settings are not valid (${err instanceof Error ? err.message : String(err)}), so it cannot send replies.`);
  }
  const blocker = connector.replyBlocker?.({ config: config as Record<string, unknown>, credentials: channelCredentials(channel) }) ?? null;
  if (blocker) return no(blocker);
  const handle = replyTargetOf(target, { id: "", writtenAt: new Date() });
  return {
    ok: true,
    network,
    channel,
    connector,
    target,
    limit,
    privateAllowed: connector.privateReplies === true,
    textFor: (text, visibility) => connector.replyText?.(handle, text, visibility) ?? text,
    attachments: connector.replyAttachments ?? null,
  };
}

/** The reply's text as sent, or a 400 naming the field that is wrong. */
export function checkedText(plan: Extract<ReplyPlan, { ok: true }>, text: string, visibility: ReplyVisibility): string {
  if (visibility === "private" && !plan.privateAllowed) {
    throw invalid("visibility", `${networkName(plan.channel.network)} has no private replies from Parley; reply in public`);
  }
  const full = plan.textFor(text, visibility);
  const length = graphemeCount(full);
  if (plan.limit !== null && length > plan.limit) {
    const extra = full !== text ? ` (with "${full.slice(0, full.length - text.length).trim()}" put first)` : "";
    throw invalid("text", `is ${length} characters${extra}; ${networkName(plan.channel.network)} allows ${plan.limit}`);
  }
  return full;
}

export function cannotReply(plan: Extract<ReplyPlan, { ok: false }>): AppError {
  return new AppError("conflict", plan.reason, [{ field: "conversation", message: plan.reason }]);
}
