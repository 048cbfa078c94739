import * as c from "../../contracts";
import * as engage from "../../engage";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// Closing the loop on ideas (issue 14): the workspace's switch for public replies to the posts that
// asked for an idea, and the preview of what a status change would post and to whom.

export function ideaReplyRoutes(app: App, { db }: ServerContext) {
  const ideas = routeGroup(app, ["ideas"]);
  ideas.get("/ideas/status-replies", {
    access: "crm:read",
    summary: "Whether Parley answers the public posts that asked for an idea when its status changes (off by default)",
    response: c.ideaStatusRepliesSchema,
    run: (actor) => engage.getIdeaStatusReplies(db, actor),
  });
  ideas.patch("/ideas/status-replies", {
    access: "workspace:manage",
    summary: "Turn public replies to the posts that asked for an idea on or off (audited)",
    body: c.ideaStatusRepliesPatchSchema,
    response: c.ideaStatusRepliesSchema,
    run: (actor, { body }) => engage.setIdeaStatusRepliesFor(db, actor, body.enabled),
  });
  ideas.get("/ideas/:id/status-replies", {
    access: "crm:read",
    summary: "Preview: the public reply a change to ?status= would post to each person who asked for the idea in a post, or why not",
    querystring: c.ideaStatusRepliesPreviewQuery,
    response: c.ideaStatusRepliesPreviewSchema,
    run: (actor, { id, query }) => engage.ideaStatusRepliesPreview(db, actor, id, query.status),
  });
}
