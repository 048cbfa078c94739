import * as c from "../../contracts";
import * as work from "../../work";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";

// Cases, SLA policies, pipelines, deals and ideas (issue #6).

const { idParams } = c;

export function workRoutes(app: App, { db }: ServerContext) {
  crudRoutes(app, {
    path: "/sla-policies",
    tags: ["sla"],
    write: "rules:manage",
    list: {
      summary: "SLA policies (the default one first)",
      response: c.slaPolicyListSchema,
      run: (actor) => work.listSlaPolicies(db, actor),
    },
    create: {
      summary: "Add an SLA policy",
      body: c.slaPolicyInputSchema,
      response: c.slaPolicySchema,
      run: (actor, body) => work.createSlaPolicy(db, actor, body),
    },
    patch: {
      summary: "Change an SLA policy (new cases use it)",
      body: c.slaPolicyPatchSchema,
      response: c.slaPolicySchema,
      run: (actor, id, body) => work.updateSlaPolicy(db, actor, id, body),
    },
    remove: { summary: "Delete an SLA policy (not the default)", run: (actor, id) => work.deleteSlaPolicy(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/cases",
    tags: ["cases"],
    write: "crm:write",
    list: {
      summary: "List cases, newest first",
      querystring: c.caseListQuerySchema,
      response: c.casePageSchema,
      run: (actor, query) => work.listCases(db, actor, query),
    },
    create: {
      summary: "Open a case",
      body: c.caseInputSchema,
      response: c.caseDetailSchema,
      run: (actor, body) => work.createCaseFor(db, actor, body),
    },
    get: {
      summary: "One case with its SLA, conversations and timeline",
      response: c.caseDetailSchema,
      run: (actor, id) => work.getCase(db, actor, id),
    },
    patch: {
      summary: "Change status, priority, assignee, team, tags or subject",
      body: c.casePatchSchema,
      response: c.caseDetailSchema,
      run: (actor, id, body) => work.updateCaseFor(db, actor, id, body),
    },
  });
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

  crudRoutes(app, {
    path: "/pipelines",
    tags: ["deals"],
    write: "rules:manage",
    list: {
      summary: "Pipelines and their stages (a default Sales pipeline is made on first use)",
      response: c.pipelineListSchema,
      run: (actor) => work.listPipelines(db, actor),
    },
    create: {
      summary: "Add a pipeline",
      body: c.pipelineInputSchema,
      response: c.pipelineSchema,
      run: (actor, body) => work.createPipeline(db, actor, body),
    },
    patch: {
      summary: "Rename a pipeline or replace its stages (stages keep their id; a removed stage must be empty)",
      body: c.pipelinePatchSchema,
      response: c.pipelineSchema,
      run: (actor, id, body) => work.updatePipeline(db, actor, id, body),
    },
  });

  crudRoutes(app, {
    path: "/deals",
    tags: ["deals"],
    write: "crm:write",
    list: {
      summary: "List deals, newest first",
      querystring: c.dealListQuerySchema,
      response: c.dealPageSchema,
      run: (actor, query) => work.listDeals(db, actor, query),
    },
    create: {
      summary: "Create a deal",
      body: c.dealInputSchema,
      response: c.dealDetailSchema,
      run: (actor, body) => work.createDealFor(db, actor, body),
    },
    get: {
      summary: "One deal with the message it came from and its stage history",
      response: c.dealDetailSchema,
      run: (actor, id) => work.getDeal(db, actor, id),
    },
    patch: {
      summary: "Change a deal; a stage or status change is recorded",
      body: c.dealPatchSchema,
      response: c.dealDetailSchema,
      run: (actor, id, body) => work.updateDealFor(db, actor, id, body),
    },
  });

  crudRoutes(app, {
    path: "/ideas",
    tags: ["ideas"],
    write: "crm:write",
    list: {
      summary: "List ideas, most votes first",
      querystring: c.ideaListQuerySchema,
      response: c.ideaPageSchema,
      run: (actor, query) => work.listIdeas(db, actor, query),
    },
    create: {
      summary: "Add an idea",
      body: c.ideaInputSchema,
      response: c.ideaDetailSchema,
      run: (actor, body) => work.createIdeaFor(db, actor, body),
    },
    get: {
      summary: "One idea with its messages, voters and status history",
      response: c.ideaDetailSchema,
      run: (actor, id) => work.getIdea(db, actor, id),
    },
    patch: {
      summary: "Change an idea; a status change notifies every voter",
      body: c.ideaPatchSchema,
      response: c.ideaDetailSchema,
      run: (actor, id, body) => work.updateIdeaFor(db, actor, id, body),
    },
  });
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
