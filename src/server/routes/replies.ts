import { z } from "zod";
import * as c from "../../contracts";
import * as engage from "../../engage";
import { actorOf } from "../auth";
import { errorResponseSchema } from "../errors";
import type { App, ServerContext } from "../types";

// Replies: answer a conversation where the customer spoke (src/engage). The reply is stored at
// once ("sending") and delivered after commit; its status is read back here.

const tags = ["conversations"];
const REPLY_BODY_LIMIT = 4 * 10_000_000 + 1024 * 1024;
const retryBody = z
  .object({ text: z.string().trim().min(1).max(100_000).optional() })
  .strict()
  .optional();

export function replyRoutes(app: App, { db }: ServerContext) {
  app.get(
    "/conversations/:id/composer",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Whether this conversation can be answered from Parley, why not, and the network's length limit",
        params: c.idParams,
        response: { 200: c.replyComposerSchema },
      },
    },
    async (request) => engage.replyComposer(db, actorOf(request), request.params.id),
  );
  app.post(
    "/conversations/:id/replies",
    {
      config: { access: "crm:write" },
      // room for four images of 5 MB in base64
      bodyLimit: REPLY_BODY_LIMIT,
      schema: {
        tags,
        summary: "Reply where the customer spoke: stored at once as an outbound message (sending), then delivered by the channel",
        description:
          "201 with the new reply; 200 with the reply already written when the idempotency_key was used on this conversation before " +
          "(it is never sent twice). 400 names the field (text over the network's limit, private where the network has none); 409 " +
          "when replies are not possible on this conversation's channel, in words. Images (attachments) are recognised from their bytes " +
          "(PNG, JPEG, GIF, WebP): anything else, one too large for the network, or images where the network takes none is a 400 naming " +
          "attachments[i] (or attachments).",
        params: c.idParams,
        body: c.replyCreateSchema,
        response: { 200: c.replySchema, 201: c.replySchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const result = await engage.createReply(db, actorOf(request), request.params.id, request.body);
      return reply.status(result.created ? 201 : 200).send(result.reply);
    },
  );
  app.get(
    "/conversations/:id/replies/:reply_id",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "A reply and its delivery: sending, sent (with the network's id and URL) or failed (why, in words)",
        params: c.replyParams,
        response: { 200: c.replySchema },
      },
    },
    async (request) => engage.getReply(db, actorOf(request), request.params.id, request.params.reply_id),
  );
  app.get(
    "/reply-attachments/:id",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "An image sent with a reply, for members of its workspace (shown inline, never sniffed into another type)",
        params: c.idParams,
        response: { 200: c.fileBody.describe("The image: PNG, JPEG, GIF or WebP") },
      },
    },
    async (request, reply) => {
      const file = await engage.getReplyAttachment(db, actorOf(request), request.params.id);
      const name = (file.filename ?? "image").replace(/[^\w.\- ]+/g, "_");
      return reply
        .type(file.contentType)
        .header("content-disposition", `inline; filename="${name}"`)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header("cache-control", "private, max-age=3600")
        .send(file.bytes);
    },
  );
  app.post(
    "/conversations/:id/replies/:reply_id(^[^:/]+)::retry",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Send a failed reply again, optionally with corrected text",
        params: c.replyParams,
        body: retryBody,
        response: { 200: c.replySchema, 409: errorResponseSchema },
      },
    },
    async (request) => engage.retryReply(db, actorOf(request), request.params.id, request.params.reply_id, request.body ?? {}),
  );
}
