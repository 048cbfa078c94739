import * as c from "../../contracts";
import * as inbox from "../../inbox";
import * as listen from "../../listen";
import { withRuleRuns } from "../../rules";
import { teamHub } from "../../team";
import { actorOf } from "../auth";
import { INGEST_BODY_LIMIT } from "../edge";
import { errorResponseSchema } from "../errors";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

export function listeningRoutes(app: App, { db, ingestor, notifier }: ServerContext) {
  app.post(
    "/messages::batch",
    {
      config: { access: "crm:write", contentFields: ["messages"] },
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ["messages"],
        summary: "Ingest up to 1,000 normalized messages; answers once they are stored (idempotent on network + external_id)",
        description:
          "Answers 200 with the summary when at least one message was accepted (rejected ones are listed with their index and " +
          "reasons), 422 when every message was rejected (nothing stored; details name each message's fields).",
        body: listen.batchSchema,
        response: {
          200: listen.ingestSummarySchema.describe(listen.INGEST_ANSWERS.accepted),
          422: errorResponseSchema.describe(listen.INGEST_ANSWERS.allRejected),
        },
      },
    },
    async (request) => listen.ingestMessages(db, ingestor, actorOf(request), request.body),
  );
  const messages = routeGroup(app, ["messages"]);
  messages.get("/messages", {
    access: "crm:read",
    summary: "Full-text search over messages",
    querystring: inbox.messageSearchSchema,
    response: c.messagePageSchema,
    run: (actor, { query }) => inbox.searchMessages(db, actor, query),
  });
  messages.post("/messages/:id/corrections", {
    access: "crm:write",
    summary: "Correct a message's sentiment, labels or language; who, when and old → new are kept as training data",
    body: inbox.correctionSchema,
    response: c.correctedMessageSchema,
    run: (actor, { id, body }) => inbox.correctMessage(db, actor, id, body),
  });
  messages.get("/messages/:id/corrections", {
    access: "crm:read",
    summary: "The corrections made to a message",
    response: c.correctionListSchema,
    run: (actor, { id }) => inbox.listCorrections(db, actor, id),
  });
  app.get(
    "/corrections/export",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["messages"],
        summary: "Corrected messages as JSON lines of training data ({text, sentiment, labels, language})",
        response: { 200: c.textBody.describe("JSON lines (application/x-ndjson)") },
      },
    },
    async (request, reply) => {
      const rows = await inbox.correctionsAsTrainingData(db, actorOf(request));
      return reply
        .type("application/x-ndjson; charset=utf-8")
        .header("content-disposition", 'attachment; filename="parley-corrections.jsonl"')
        .send(rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : ""));
    },
  );
  const conversations = routeGroup(app, ["conversations"]);
  conversations.get("/conversations", {
    access: "crm:read",
    summary: "The inbox: conversations, newest activity first",
    querystring: inbox.conversationListSchema,
    response: c.conversationPageSchema,
    run: (actor, { query }) => inbox.listConversations(db, actor, query),
  });
  conversations.get("/conversations/:id", {
    access: "crm:read",
    summary: "A conversation with its messages in order and their authors",
    response: c.conversationDetailSchema,
    run: async (actor, { id }) => withRuleRuns(db, actor.workspaceId, await inbox.getConversation(db, actor, id)),
  });
  conversations.patch("/conversations/:id", {
    access: "crm:write",
    summary: "Change status, assignee or team",
    body: inbox.conversationPatchSchema,
    response: c.conversationDetailSchema,
    run: async (actor, { id, body }) => {
      await inbox.updateConversation(db, actor, id, body);
      return withRuleRuns(db, actor.workspaceId, await inbox.getConversation(db, actor, id));
    },
  });

  // Live stream of new messages (Server-Sent Events) for the inbox.
  app.get(
    "/stream",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["messages"],
        summary: "Server-Sent Events: message.created as they are stored; notification.created (yours) and presence.changed (src/team)",
        response: { 200: c.textBody.describe("text/event-stream") },
      },
    },
    (request, reply) => {
      const actor = actorOf(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write(": connected\n\n");
      const unsubscribe = notifier.subscribe(actor.workspaceId, (event) => {
        res.write(`event: ${event.type}\nid: ${event.message_id}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      // the team's live events: notifications for this user, presence on conversations (src/team)
      const unsubscribeTeam = teamHub.subscribe(actor.workspaceId, actor.userId, (event) => {
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const keepAlive = setInterval(() => res.write(": ping\n\n"), 15_000);
      request.raw.on("close", () => {
        clearInterval(keepAlive);
        unsubscribe();
        unsubscribeTeam();
      });
    },
  );

  crudRoutes(app, {
    path: "/channels",
    tags: ["channels"],
    write: "channels:manage",
    list: { summary: "Channels and their status", response: c.channelListSchema, run: (actor) => listen.listChannels(db, actor) },
    create: {
      summary: "Add a channel (webhook channels return their signing secret once)",
      body: listen.channelInputSchema,
      response: c.channelCreatedSchema,
      run: (actor, body) => listen.createChannel(db, actor, body),
    },
    get: { summary: "One channel", response: c.channelSchema, run: (actor, id) => listen.getChannel(db, actor, id) },
    patch: {
      summary: "Change a channel",
      body: listen.channelPatchSchema,
      response: c.channelSchema,
      run: (actor, id, body) => listen.updateChannel(db, actor, id, body),
    },
    remove: { summary: "Remove a channel (its messages stay)", run: (actor, id) => listen.deleteChannel(db, actor, id) },
  });

  // Own accounts and dictionaries
  crudRoutes(app, {
    path: "/own-accounts",
    tags: ["channels"],
    write: "channels:manage",
    list: {
      summary: "The workspace's own accounts (their posts are outbound)",
      response: c.ownAccountListSchema,
      run: (actor) => listen.listOwnAccounts(db, actor),
    },
    create: {
      summary: "Add an own account",
      body: listen.ownAccountSchema,
      response: c.ownAccountRecordSchema,
      run: (actor, body) => listen.addOwnAccount(db, actor, body),
    },
    remove: { summary: "Remove an own account", run: (actor, id) => listen.removeOwnAccount(db, actor, id) },
  });
  crudRoutes(app, {
    path: "/dictionary",
    tags: ["channels"],
    write: "channels:manage",
    list: { summary: "Brand and product dictionary", response: c.dictionaryListSchema, run: (actor) => listen.listDictionary(db, actor) },
    create: {
      summary: "Add a brand or product with its aliases",
      body: listen.dictionaryTermSchema,
      response: c.dictionaryTermRecordSchema,
      run: (actor, body) => listen.addDictionaryTerm(db, actor, body),
    },
    remove: { summary: "Remove a dictionary term", run: (actor, id) => listen.removeDictionaryTerm(db, actor, id) },
  });
}
