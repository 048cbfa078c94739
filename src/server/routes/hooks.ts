import { z } from "zod";
import { INGEST_ANSWERS, ingestSummarySchema, receiveWebhook } from "../../listen";
import { INGEST_BODY_LIMIT } from "../edge";
import { errorResponseSchema } from "../errors";
import type { App, ServerContext } from "../types";

// Generic inbound webhook: POST /hooks/{channelId}; the checks (signature, age,
// replay) and the unwrapping of the delivery are listen's (src/listen/webhook.ts).

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
    async (request) =>
      receiveWebhook(db, ingestor, {
        channelId: request.params.channelId,
        body: typeof request.body === "string" ? request.body : "",
        signature: request.headers["x-parley-signature"],
        timestamp: request.headers["x-parley-timestamp"],
      }),
  );
}
