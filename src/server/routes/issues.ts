import * as c from "../../contracts";
import * as insight from "../../insight";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// Emerging issues (issue #16): the list and an issue's card.

export function issueRoutes(app: App, { db }: ServerContext) {
  const issues = routeGroup(app, ["issues"]);
  issues.get("/issues", {
    access: "crm:read",
    summary: "Emerging issues: inbound complaints, questions and suggestions grouped by what they say, most recently active first",
    description: "Each issue is named by its top terms; bursting=true keeps the issues in a burst now (a rate well above their baseline).",
    querystring: c.issueListQuerySchema,
    response: c.issuePageSchema,
    run: (actor, { query }) => insight.listIssues(db, actor, query),
  });
  issues.get("/issues/:id", {
    access: "crm:read",
    summary: "An issue's card: its messages, people, customers by lifecycle stage, influencers, open cases, open deal value, ideas, trend",
    response: c.issueCardSchema,
    run: (actor, { id }) => insight.getIssue(db, actor, id),
  });
}
