import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { channelWebhookSecret, loadDictionary, summarize } from "../../listen";
import { fromActivityStreams, isActivityStreams } from "../../listen/formats";
import { AppError } from "../../shared/errors";
import { findChannelForHook } from "../../store/listening";
import type { App, ServerContext } from "../types";

// Generic inbound webhook: POST /hooks/{channelId}, signed with the channel's
// secret. Signature header: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of
// "<timestamp>.<raw body>">`, timestamp (unix seconds) in `X-Parley-Timestamp`.
// Deliveries older than five minutes, and exact replays, are refused.

export const HOOK_TOLERANCE_SECONDS = 300;

export function signHook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function hookRoutes(app: App, { db, ingestor }: ServerContext) {
  const seen = new Map<string, number>();
  const remember = (signature: string, now: number) => {
    for (const [sig, at] of seen) if (at < now - HOOK_TOLERANCE_SECONDS) seen.delete(sig);
    seen.set(signature, now);
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    "/hooks/:channelId",
    {
      config: { access: "public" },
      schema: {
        tags: ["webhooks"],
        summary:
          "Push messages: Parley's normalized JSON (one, an array, or {messages}) or ActivityStreams 2.0 (Note, Create, collections)",
        params: z.object({ channelId: z.uuid({ message: "must be a channel id" }) }),
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
      if (seen.has(signature)) throw new AppError("conflict", "This delivery was already received (replay)");
      remember(signature, now);

      let doc: unknown;
      try {
        doc = JSON.parse(body);
      } catch {
        throw new AppError("bad_request", "The body is not valid JSON", [{ field: "body", message: "is not valid JSON" }]);
      }
      const items = Array.isArray(doc)
        ? doc
        : typeof doc === "object" && doc !== null && Array.isArray((doc as { messages?: unknown }).messages)
          ? (doc as { messages: unknown[] }).messages
          : [doc];
      const normalized = items.flatMap((item) =>
        isActivityStreams(item) && !(typeof item === "object" && item !== null && "external_id" in item)
          ? fromActivityStreams(item, "webhook")
          : [item],
      );
      if (normalized.length > 1000) throw new AppError("payload_too_large", "At most 1,000 messages per delivery");
      const outcomes = await ingestor.submit(channel.workspace_id, normalized, {
        channel,
        dictionary: await loadDictionary(db, channel.workspace_id),
      });
      return { ...summarize(outcomes), results: outcomes };
    },
  );
}
