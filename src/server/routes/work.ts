import { z } from "zod";
import { CASE_PRIORITIES, CASE_STATUSES, IDEA_STATUSES, STAGE_KINDS } from "../../contracts";
import * as work from "../../work";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// Cases, SLA policies, pipelines, deals and ideas (issue #6).

const idParams = z.object({ id: z.uuid({ message: "must be an id (UUID)" }) });
const uuid = z.uuid({ message: "must be an id (UUID)" });
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const page = {
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
};
const tags = z.array(z.string().trim().min(1).max(60)).max(50);
const hm = z.string().regex(/^\d{1,2}:\d{2}$/, "must be HH:MM");
const minutes = z.number().int().min(1).max(525_600).nullable();
const target = z.object({ first_response_minutes: minutes, resolution_minutes: minutes });
const targets = z.object({ low: target, normal: target, high: target, urgent: target });
const calendar = z
  .object({
    timezone: z.string().min(1).max(64),
    hours: z.array(z.object({ day: z.number().int().min(0).max(6), start: hm, end: hm })).max(50),
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD"))
      .max(400)
      .default([]),
  })
  .nullable();
const slaPolicyBody = z.object({
  name: z.string().trim().min(1).max(120),
  is_default: z.boolean().optional(),
  priorities: z.array(z.enum(CASE_PRIORITIES)).max(4).optional(),
  team_ids: z.array(uuid).max(50).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  targets,
  calendar: calendar.optional(),
  warn_before_minutes: z.number().int().min(0).max(10_080).optional(),
});
const stage = z.object({
  id: uuid.optional(),
  name: z.string().trim().min(1).max(80),
  probability: z.number().int().min(0).max(100).optional(),
  kind: z.enum(STAGE_KINDS).optional(),
});
const pipelineBody = z.object({
  name: z.string().trim().min(1).max(120),
  is_default: z.boolean().optional(),
  stages: z.array(stage).min(1).max(30).optional(),
});
const caseBody = z.object({
  subject: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).nullish(),
  priority: z.enum(CASE_PRIORITIES).optional(),
  team_id: uuid.nullish(),
  assignee_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  conversation_id: uuid.nullish(),
  tags: tags.optional(),
});
const casePatch = z.object({
  subject: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(20_000).nullish(),
  status: z.enum(CASE_STATUSES).optional(),
  priority: z.enum(CASE_PRIORITIES).optional(),
  team_id: uuid.nullish(),
  assignee_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  tags: tags.optional(),
});
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as EUR")
  .transform((v) => v.toUpperCase());
const dealFields = {
  value: z.number().min(0).max(1e15).nullish(),
  currency: currency.nullish(),
  pipeline_id: uuid.nullish(),
  stage_id: uuid.nullish(),
  expected_close: z.iso.date({ message: "must be a date (YYYY-MM-DD)" }).nullish(),
  owner_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  organization_id: uuid.nullish(),
};
const dealBody = z.object({
  title: z.string().trim().min(1).max(500),
  ...dealFields,
  conversation_id: uuid.nullish(),
  message_id: uuid.nullish(),
});
const dealPatch = z.object({ title: z.string().trim().min(1).max(500).optional(), ...dealFields, status: z.enum(STAGE_KINDS).optional() });
const ideaBody = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).nullish(),
  message_id: uuid.nullish(),
  contact_id: uuid.nullish(),
});
const ideaPatch = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20_000).nullish(),
  status: z.enum(IDEA_STATUSES).optional(),
});
const voter = z.object({ contact_id: uuid.optional(), profile_id: uuid.optional() });

export function workRoutes(app: App, { db }: ServerContext) {
  // SLA policies
  app.get(
    "/sla-policies",
    { config: { access: "crm:read" }, schema: { tags: ["sla"], summary: "SLA policies (the default one first)" } },
    async (request) => work.listSlaPolicies(db, actorOf(request)),
  );
  app.post(
    "/sla-policies",
    { config: { access: "rules:manage" }, schema: { tags: ["sla"], summary: "Add an SLA policy", body: slaPolicyBody } },
    async (request, reply) => reply.status(201).send(await work.createSlaPolicy(db, actorOf(request), request.body)),
  );
  app.patch(
    "/sla-policies/:id",
    {
      config: { access: "rules:manage" },
      schema: { tags: ["sla"], summary: "Change an SLA policy (new cases use it)", params: idParams, body: slaPolicyBody.partial() },
    },
    async (request) => work.updateSlaPolicy(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/sla-policies/:id",
    { config: { access: "rules:manage" }, schema: { tags: ["sla"], summary: "Delete an SLA policy (not the default)", params: idParams } },
    async (request, reply) => {
      await work.deleteSlaPolicy(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Cases
  app.get(
    "/cases",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["cases"],
        summary: "List cases, newest first",
        querystring: z.object({
          ...page,
          status: z.string().max(200).optional().describe("Comma-separated statuses"),
          priority: z.string().max(100).optional().describe("Comma-separated priorities"),
          team_id: uuid.optional(),
          assignee_id: z.union([uuid, z.enum(["me", "none"])]).optional(),
          contact_id: uuid.optional(),
          breached: bool.optional(),
          q: z.string().max(200).optional(),
        }),
      },
    },
    async (request) => work.listCases(db, actorOf(request), request.query),
  );
  app.post(
    "/cases",
    { config: { access: "crm:write" }, schema: { tags: ["cases"], summary: "Open a case", body: caseBody } },
    async (request, reply) => reply.status(201).send(await work.createCaseFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/cases/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["cases"], summary: "One case with its SLA, conversations and timeline", params: idParams },
    },
    async (request) => work.getCase(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/cases/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["cases"], summary: "Change status, priority, assignee, team, tags or subject", params: idParams, body: casePatch },
    },
    async (request) => work.updateCaseFor(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/cases/:id/comments",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["cases"],
        summary: "Add an internal note, or a public reply (the first one is the first response)",
        params: idParams,
        body: z.object({ body: z.string().trim().min(1).max(20_000), public: z.boolean().optional() }),
      },
    },
    async (request, reply) => reply.status(201).send(await work.addCaseComment(db, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    "/cases/:id/satisfaction",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["cases"],
        summary: "Record the customer's satisfaction (1–5) after solve or close",
        params: idParams,
        body: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(5000).nullish() }),
      },
    },
    async (request) => work.rateCase(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/cases/:id/conversations",
    {
      config: { access: "crm:write" },
      schema: { tags: ["cases"], summary: "Link a conversation to the case", params: idParams, body: z.object({ conversation_id: uuid }) },
    },
    async (request, reply) =>
      reply.status(201).send(await work.linkCaseConversationFor(db, actorOf(request), request.params.id, request.body)),
  );

  // Pipelines
  app.get(
    "/pipelines",
    {
      config: { access: "crm:read" },
      schema: { tags: ["deals"], summary: "Pipelines and their stages (a default Sales pipeline is made on first use)" },
    },
    async (request) => work.listPipelines(db, actorOf(request)),
  );
  app.post(
    "/pipelines",
    { config: { access: "rules:manage" }, schema: { tags: ["deals"], summary: "Add a pipeline", body: pipelineBody } },
    async (request, reply) => reply.status(201).send(await work.createPipeline(db, actorOf(request), request.body)),
  );
  app.patch(
    "/pipelines/:id",
    {
      config: { access: "rules:manage" },
      schema: {
        tags: ["deals"],
        summary: "Rename a pipeline or replace its stages (stages keep their id; a removed stage must be empty)",
        params: idParams,
        body: pipelineBody.partial(),
      },
    },
    async (request) => work.updatePipeline(db, actorOf(request), request.params.id, request.body),
  );

  // Deals
  app.get(
    "/deals",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["deals"],
        summary: "List deals, newest first",
        querystring: z.object({
          ...page,
          pipeline_id: uuid.optional(),
          stage_id: uuid.optional(),
          status: z.enum(STAGE_KINDS).optional(),
          owner_id: z.union([uuid, z.literal("me")]).optional(),
          contact_id: uuid.optional(),
          q: z.string().max(200).optional(),
        }),
      },
    },
    async (request) => work.listDeals(db, actorOf(request), request.query),
  );
  app.post(
    "/deals",
    { config: { access: "crm:write" }, schema: { tags: ["deals"], summary: "Create a deal", body: dealBody } },
    async (request, reply) => reply.status(201).send(await work.createDealFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/deals/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["deals"], summary: "One deal with the message it came from and its stage history", params: idParams },
    },
    async (request) => work.getDeal(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/deals/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["deals"], summary: "Change a deal; a stage or status change is recorded", params: idParams, body: dealPatch },
    },
    async (request) => work.updateDealFor(db, actorOf(request), request.params.id, request.body),
  );

  // Ideas
  app.get(
    "/ideas",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["ideas"],
        summary: "List ideas, most votes first",
        querystring: z.object({
          ...page,
          status: z.string().max(200).optional().describe("Comma-separated statuses"),
          contact_id: uuid.optional().describe("Ideas this contact voted for"),
          q: z.string().max(200).optional(),
          include_merged: bool.optional(),
        }),
      },
    },
    async (request) => work.listIdeas(db, actorOf(request), request.query),
  );
  app.post(
    "/ideas",
    { config: { access: "crm:write" }, schema: { tags: ["ideas"], summary: "Add an idea", body: ideaBody } },
    async (request, reply) => reply.status(201).send(await work.createIdeaFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/ideas/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["ideas"], summary: "One idea with its messages, voters and status history", params: idParams },
    },
    async (request) => work.getIdea(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/ideas/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["ideas"], summary: "Change an idea; a status change notifies every voter", params: idParams, body: ideaPatch },
    },
    async (request) => work.updateIdeaFor(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/ideas/:id/votes",
    {
      config: { access: "crm:write" },
      schema: { tags: ["ideas"], summary: "Vote for an idea on behalf of a contact or profile", params: idParams, body: voter },
    },
    async (request) => work.voteIdea(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/ideas/:id/votes",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["ideas"],
        summary: "Remove a voter's vote (contact_id or profile_id in the query)",
        params: idParams,
        querystring: voter,
      },
    },
    async (request) => work.unvoteIdea(db, actorOf(request), request.params.id, request.query),
  );
  app.post(
    "/ideas/:id/messages",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["ideas"],
        summary: "Link a message to the idea; its author's vote counts",
        params: idParams,
        body: z.object({ message_id: uuid }),
      },
    },
    async (request) => work.linkIdeaMessageFor(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/ideas/:id/merge",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["ideas"],
        summary: "Merge this duplicate into another idea (votes move, counted once)",
        params: idParams,
        body: z.object({ into_id: uuid }),
      },
    },
    async (request) => work.mergeIdea(db, actorOf(request), request.params.id, request.body),
  );
}
