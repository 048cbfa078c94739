import { acknowledge, type IngestOutcome, type Ingestor } from "../ingest";
import { AppError } from "../shared/errors";
import { findUnstorable, UNSTORABLE_MESSAGES } from "../shared/json-guard";
import { decryptSecret } from "../shared/secrets";
import { signatureMatches } from "../shared/signing";
import type { Db } from "../store/db";
import { findChannelForHook, forgetHookDelivery, recordHookDelivery } from "../store/listening";
import type { ChannelRow } from "../store/schema";
import { fromActivityStreams, isActivityStreams } from "./formats";
import { ingestOptions } from "./ingest-options";

// The generic inbound webhook: POST /hooks/{channelId}, signed with the channel's
// secret. Signature header: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of
// "<timestamp>.<raw body>">` (src/shared/signing.ts), timestamp (unix seconds) in
// `X-Parley-Timestamp`. Deliveries older than five minutes, and exact replays
// (remembered in the store: hook_deliveries), are refused.

export const HOOK_TOLERANCE_SECONDS = 300;
const MAX_MESSAGES = 1000;

export function channelWebhookSecret(row: ChannelRow): string | null {
  return row.webhook_secret ? decryptSecret(row.webhook_secret) : null;
}

/** A delivery as it arrived: the raw body and the two headers, unchecked. */
export type WebhookDelivery = {
  channelId: string;
  body: string;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
};

/**
 * Checks a delivery (channel, signature, age, replay), unwraps its messages and
 * ingests them; the answer is the ingest acknowledgement (a 422 when every message
 * was rejected).
 */
export async function receiveWebhook(db: Db, ingestor: Ingestor, delivery: WebhookDelivery) {
  const { body } = delivery;
  const channel = await findChannelForHook(db, delivery.channelId);
  const secret = channel && channel.network === "webhook" && channel.enabled ? channelWebhookSecret(channel) : null;
  if (!channel || !secret) throw new AppError("not_found", "No enabled webhook channel with this id");
  const signature = String(delivery.signature ?? "");
  const timestamp = Number(delivery.timestamp);
  const now = Math.floor(Date.now() / 1000);
  verifySignature(secret, body, signature, timestamp, now);

  const items = parseDelivery(body);
  if (items.length > MAX_MESSAGES) throw new AppError("payload_too_large", "At most 1,000 messages per delivery");

  // Replays are refused across restarts and processes: the signature is recorded in the
  // store, and kept while its timestamp could still pass the check above.
  const remembered = { workspaceId: channel.workspace_id, channelId: channel.id, signature, signedAt: new Date(timestamp * 1000) };
  const fresh = await recordHookDelivery(db, remembered, new Date((now - HOOK_TOLERANCE_SECONDS) * 1000));
  if (!fresh) throw new AppError("conflict", "This delivery was already received (replay)");
  let outcomes: IngestOutcome[];
  try {
    outcomes = await ingestor.submit(channel.workspace_id, items, await ingestOptions(db, channel.workspace_id, channel));
  } catch (err) {
    // nothing was stored: the sender's retry of this delivery must not count as a replay
    await forgetHookDelivery(db, channel.workspace_id, channel.id, signature);
    throw err;
  }
  return acknowledge(outcomes);
}

function verifySignature(secret: string, body: string, signature: string, timestamp: number, now: number) {
  if (!signature || !Number.isInteger(timestamp)) {
    throw new AppError("unauthorized", "Sign the delivery: X-Parley-Timestamp and X-Parley-Signature headers are required");
  }
  if (Math.abs(now - timestamp) > HOOK_TOLERANCE_SECONDS) {
    throw new AppError("unauthorized", "X-Parley-Timestamp is more than five minutes away from now: refused as a possible replay");
  }
  if (!signatureMatches(secret, timestamp, body, signature)) {
    throw new AppError("unauthorized", "X-Parley-Signature does not match the body");
  }
}

/**
 * The delivery's messages: Parley's normalized JSON (one, an array, or {messages}) or
 * ActivityStreams. Nesting deeper than 64 levels is refused before anything walks it
 * recursively, naming the message's field (`messages.3.raw`).
 */
function parseDelivery(body: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON", [{ field: "body", message: "is not valid JSON" }]);
  }
  const wrapped = typeof doc === "object" && doc !== null && Array.isArray((doc as { messages?: unknown }).messages);
  // only the depth is checked here: strings are content, cleaned by the pipeline (NUL dropped, the message kept)
  const tooDeep = findUnstorable(doc, { isContent: () => true });
  if (tooDeep) {
    const path = tooDeep.path;
    const [prefix, rest] = Array.isArray(doc)
      ? [["messages", ...path.slice(0, 1)], path.slice(1)]
      : wrapped
        ? [path.slice(0, 2), path.slice(2)]
        : [[], path];
    const field = [...prefix, ...rest.slice(0, 1)].join(".") || "body";
    throw new AppError("validation_error", `${field}: ${UNSTORABLE_MESSAGES.depth}`, [{ field, message: UNSTORABLE_MESSAGES.depth }]);
  }
  const items = Array.isArray(doc) ? doc : wrapped ? (doc as { messages: unknown[] }).messages : [doc];
  return items.flatMap((item) =>
    isActivityStreams(item) && !(typeof item === "object" && item !== null && "external_id" in item)
      ? fromActivityStreams(item, "webhook")
      : [item],
  );
}
