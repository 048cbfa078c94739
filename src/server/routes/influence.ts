import * as c from "../../contracts";
import * as insight from "../../insight";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// People and influence (issue #16): the ranked list (all, advocates, detractors), a contact's
// figures for the person view, and a recomputation on demand (the scheduler runs it hourly).

export function influenceRoutes(app: App, { db }: ServerContext) {
  const influence = routeGroup(app, ["influence"]);
  influence.get("/people/influence", {
    access: "crm:read",
    summary: "People by influence (PageRank over who replies to, mentions and quotes whom), with why; or only advocates or detractors",
    description:
      "Advocates and detractors are people of at least average influence whose messages are mostly (2 of 3 with a clear sentiment) positive or negative.",
    querystring: c.influenceQuerySchema,
    response: c.influenceListSchema,
    run: (actor, { query }) => insight.listInfluence(db, actor, query),
  });
  influence.post("/people/influence::run", {
    access: "reports:read",
    summary: "Recompute the workspace's influence figures now from the last 90 days of interactions",
    response: c.influenceRunSchema,
    run: (actor) => insight.runInfluence(db, actor),
  });
  influence.get("/contacts/:id/influence", {
    access: "crm:read",
    summary: "A contact's influence for the person view: rank, score, why, stance and the others of their community",
    response: c.contactInfluenceSchema,
    run: (actor, { id }) => insight.contactInfluence(db, actor, id),
  });
}
