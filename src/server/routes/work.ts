import * as c from "../../contracts";
import * as work from "../../work";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// Cases, SLA policies, pipelines, deals and ideas (issue #6).

const { idParams } = c;

export function workRoutes(app: App, { db }: ServerContext) {
  // SLA policies
  app.get(
    "/sla-policies",
    {
      config: { access: "crm:read" },
      schema: { tags: ["sla"], summary: "SLA policies (the default one first)", response: { 200: c.slaPolicyListSchema } },
    },
    async (request) => work.listSlaPolicies(db, actorOf(request)),
  );
  app.post(
    "/sla-policies",
    {
      config: { access: "rules:manage" },
      schema: { tags: ["sla"], summary: "Add an SLA policy", body: c.slaPolicyInputSchema, response: { 201: c.slaPolicySchema } },
    },
    async (request, reply) => reply.status(201).send(await work.createSlaPolicy(db, actorOf(request), request.body)),
  );
  app.patch(
    "/sla-policies/:id",
    {
      config: { access: "rules:manage" },
      schema: {
        tags: ["sla"],
        summary: "Change an SLA policy (new cases use it)",
        params: idParams,
        body: c.slaPolicyPatchSchema,
        response: { 200: c.slaPolicySchema },
      },
    },
    async (request) => work.updateSlaPolicy(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/sla-policies/:id",
    {
      config: { access: "rules:manage" },
      schema: { tags: ["sla"], summary: "Delete an SLA policy (not the default)", params: idParams, response: { 204: c.noContent } },
    },
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
        querystring: c.caseListQuerySchema,
        response: { 200: c.casePageSchema },
      },
    },
    async (request) => work.listCases(db, actorOf(request), request.query),
  );
  app.post(
    "/cases",
    {
      config: { access: "crm:write" },
      schema: { tags: ["cases"], summary: "Open a case", body: c.caseInputSchema, response: { 201: c.caseDetailSchema } },
    },
    async (request, reply) => reply.status(201).send(await work.createCaseFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/cases/:id",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["cases"],
        summary: "One case with its SLA, conversations and timeline",
        params: idParams,
        response: { 200: c.caseDetailSchema },
      },
    },
    async (request) => work.getCase(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/cases/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["cases"],
        summary: "Change status, priority, assignee, team, tags or subject",
        params: idParams,
        body: c.casePatchSchema,
        response: { 200: c.caseDetailSchema },
      },
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
        body: c.caseCommentSchema,
        response: { 201: c.caseDetailSchema },
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
        body: c.caseSatisfactionSchema,
        response: { 200: c.caseDetailSchema },
      },
    },
    async (request) => work.rateCase(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/cases/:id/conversations",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["cases"],
        summary: "Link a conversation to the case",
        params: idParams,
        body: c.caseConversationLinkSchema,
        response: { 201: c.caseDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await work.linkCaseConversationFor(db, actorOf(request), request.params.id, request.body)),
  );

  // Pipelines
  app.get(
    "/pipelines",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["deals"],
        summary: "Pipelines and their stages (a default Sales pipeline is made on first use)",
        response: { 200: c.pipelineListSchema },
      },
    },
    async (request) => work.listPipelines(db, actorOf(request)),
  );
  app.post(
    "/pipelines",
    {
      config: { access: "rules:manage" },
      schema: { tags: ["deals"], summary: "Add a pipeline", body: c.pipelineInputSchema, response: { 201: c.pipelineSchema } },
    },
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
        body: c.pipelinePatchSchema,
        response: { 200: c.pipelineSchema },
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
        querystring: c.dealListQuerySchema,
        response: { 200: c.dealPageSchema },
      },
    },
    async (request) => work.listDeals(db, actorOf(request), request.query),
  );
  app.post(
    "/deals",
    {
      config: { access: "crm:write" },
      schema: { tags: ["deals"], summary: "Create a deal", body: c.dealInputSchema, response: { 201: c.dealDetailSchema } },
    },
    async (request, reply) => reply.status(201).send(await work.createDealFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/deals/:id",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["deals"],
        summary: "One deal with the message it came from and its stage history",
        params: idParams,
        response: { 200: c.dealDetailSchema },
      },
    },
    async (request) => work.getDeal(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/deals/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["deals"],
        summary: "Change a deal; a stage or status change is recorded",
        params: idParams,
        body: c.dealPatchSchema,
        response: { 200: c.dealDetailSchema },
      },
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
        querystring: c.ideaListQuerySchema,
        response: { 200: c.ideaPageSchema },
      },
    },
    async (request) => work.listIdeas(db, actorOf(request), request.query),
  );
  app.post(
    "/ideas",
    {
      config: { access: "crm:write" },
      schema: { tags: ["ideas"], summary: "Add an idea", body: c.ideaInputSchema, response: { 201: c.ideaDetailSchema } },
    },
    async (request, reply) => reply.status(201).send(await work.createIdeaFor(db, actorOf(request), request.body)),
  );
  app.get(
    "/ideas/:id",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["ideas"],
        summary: "One idea with its messages, voters and status history",
        params: idParams,
        response: { 200: c.ideaDetailSchema },
      },
    },
    async (request) => work.getIdea(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/ideas/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["ideas"],
        summary: "Change an idea; a status change notifies every voter",
        params: idParams,
        body: c.ideaPatchSchema,
        response: { 200: c.ideaDetailSchema },
      },
    },
    async (request) => work.updateIdeaFor(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/ideas/:id/votes",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["ideas"],
        summary: "Vote for an idea on behalf of a contact or profile",
        params: idParams,
        body: c.ideaVoterSchema,
        response: { 200: c.ideaVoteResultSchema },
      },
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
        querystring: c.ideaVoterSchema,
        response: { 200: c.ideaDetailSchema },
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
        body: c.ideaMessageLinkSchema,
        response: { 200: c.ideaVoteResultSchema },
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
        body: c.ideaMergeSchema,
        response: { 200: c.ideaDetailSchema },
      },
    },
    async (request) => work.mergeIdea(db, actorOf(request), request.params.id, request.body),
  );
}
