import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { acknowledge, type IngestOutcome } from "../../ingest";
import { channelWebhookSecret, INGEST_ANSWERS, ingestOptions, ingestSummarySchema } from "../../listen";
import { fromActivityStreams, isActivityStreams } from "../../listen/formats";
import { AppError } from "../../shared/errors";
import { findUnstorable, UNSTORABLE_MESSAGES } from "../../shared/json-guard";
import { findChannelForHook, forgetHookDelivery, recordHookDelivery } from "../../store/listening";
import { INGEST_BODY_LIMIT } from "../edge";
import { errorResponseSchema } from "../errors";
import type { App, ServerContext } from "../types";

// Generic inbound webhook: POST /hooks/{channelId}, signed with the channel's
// secret. Signature header: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of
// "<timestamp>.<raw body>">`, timestamp (unix seconds) in `X-Parley-Timestamp`.
// Deliveries older than five minutes, and exact replays (remembered in the
// store: hook_deliveries), are refused.

export const HOOK_TOLERANCE_SECONDS = 300;

export function signHook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function hookRoutes(app: App, { db, ingestor }: ServerContext) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post(
    "/hooks/:channelId",
    {
      config: { access: "public" },
      schema: {
        tags: ["webhooks"],
        summary:
          "Push messages: Parley's normalized JSON (one, an array, or {messages}) or ActivityStreams 2.0 (Note, Create, collections)",
        description:
          "Answers 200 with the summary when at least one message was accepted (rejected ones are listed with their index and " +
          "reasons), 422 when every message was rejected (nothing stored; details name each message's fields), 409 for a replay.",
        params: z.object({ channelId: z.uuid({ message: "must be a channel id" }) }),
        response: {
          200: ingestSummarySchema.describe(INGEST_ANSWERS.accepted),
          422: errorResponseSchema.describe(INGEST_ANSWERS.allRejected),
        },
      },
    },
    async (request) => {
      const body = typeof request.body === "string" ? request.body : "";
      const channel = await findChannelForHook(db, request.params.channelId);
      const secret = channel && channel.network === "webhook" && channel.enabled ? channelWebhookSecret(channel) : null;
      if (!channel || !secret) throw new AppError("not_found", "No enabled webhook channel with this id");
      const signature = String(request.headers["x-parley-signature"] ?? "");
      const timestamp = Number(request.headers["x-parley-timestamp"]);
      const now = Math.floor(Date.now() / 1000);
      if (!signature || !Number.isInteger(timestamp)) {
        throw new AppError("unauthorized", "Sign the delivery: X-Parley-Timestamp and X-Parley-Signature headers are required");
      }
      if (Math.abs(now - timestamp) > HOOK_TOLERANCE_SECONDS) {
        throw new AppError("unauthorized", "X-Parley-Timestamp is more than five minutes away from now: refused as a possible replay");
      }
      const expected = Buffer.from(signHook(secret, timestamp, body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new AppError("unauthorized", "X-Parley-Signature does not match the body");
      }

      const items = parseDelivery(body);
      if (items.length > 1000) throw new AppError("payload_too_large", "At most 1,000 messages per delivery");

      // Replays are refused across restarts and processes: the signature is recorded in the
      // store, and kept while its timestamp could still pass the check above.
      const delivery = { workspaceId: channel.workspace_id, channelId: channel.id, signature, signedAt: new Date(timestamp * 1000) };
      const fresh = await recordHookDelivery(db, delivery, new Date((now - HOOK_TOLERANCE_SECONDS) * 1000));
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
    },
  );
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
