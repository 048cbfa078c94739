import * as c from "../../contracts";
import * as engage from "../../engage";
import * as work from "../../work";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

// Cases, SLA policies, pipelines, deals and ideas (issue #6).

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
  const cases = routeGroup(app, ["cases"]);
  cases.post("/cases/:id/comments", {
    access: "crm:write",
    summary: "Add an internal note, or a public reply: sent on the case's conversation, the first response once delivered",
    description:
      "A public reply goes through the case's newest conversation that can be answered, as POST /conversations/{id}/replies does; " +
      "409 in words when there is none.",
    body: c.caseCommentSchema,
    status: 201,
    response: c.caseDetailSchema,
    run: (actor, { id, body }) => engage.commentOnCase(db, actor, id, body),
  });
  cases.post("/cases/:id/satisfaction", {
    access: "crm:write",
    summary: "Record the customer's satisfaction (1–5) after solve or close",
    body: c.caseSatisfactionSchema,
    response: c.caseDetailSchema,
    run: (actor, { id, body }) => work.rateCase(db, actor, id, body),
  });
  cases.post("/cases/:id/conversations", {
    access: "crm:write",
    summary: "Link a conversation to the case",
    body: c.caseConversationLinkSchema,
    status: 201,
    response: c.caseDetailSchema,
    run: (actor, { id, body }) => work.linkCaseConversationFor(db, actor, id, body),
  });

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
  const ideas = routeGroup(app, ["ideas"]);
  ideas.post("/ideas/:id/votes", {
    access: "crm:write",
    summary: "Vote for an idea on behalf of a contact or profile",
    body: c.ideaVoterSchema,
    response: c.ideaVoteResultSchema,
    run: (actor, { id, body }) => work.voteIdea(db, actor, id, body),
  });
  ideas.delete("/ideas/:id/votes", {
    access: "crm:write",
    summary: "Remove a voter's vote (contact_id or profile_id in the query)",
    querystring: c.ideaVoterSchema,
    response: c.ideaDetailSchema,
    run: (actor, { id, query }) => work.unvoteIdea(db, actor, id, query),
  });
  ideas.post("/ideas/:id/messages", {
    access: "crm:write",
    summary: "Link a message to the idea; its author's vote counts",
    body: c.ideaMessageLinkSchema,
    response: c.ideaVoteResultSchema,
    run: (actor, { id, body }) => work.linkIdeaMessageFor(db, actor, id, body),
  });
  ideas.post("/ideas/:id/merge", {
    access: "crm:write",
    summary: "Merge this duplicate into another idea (votes move, counted once)",
    body: c.ideaMergeSchema,
    response: c.ideaDetailSchema,
    run: (actor, { id, body }) => work.mergeIdea(db, actor, id, body),
  });
  ideas.post("/ideas/:id/split", {
    access: "crm:write",
    summary: "Split messages that ask for something else off into a new idea (their authors' votes move with them)",
    body: c.ideaSplitSchema,
    status: 201,
    response: c.ideaDetailSchema,
    run: (actor, { id, body }) => work.splitIdea(db, actor, id, body),
  });
}
