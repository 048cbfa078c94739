import * as community from "../../community";
import * as c from "../../contracts";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// Staff side of the community portal: its settings (address, theme), the moderation queue and
// decisions, a member's trust level or suspension, and accepting an answer from Parley.

export function communityRoutes(app: App, { db, ingestor, now, portalHosts }: ServerContext) {
  const deps = community.communityDeps(db, ingestor, { now });
  const r = routeGroup(app, ["community"]);
  r.get("/community/settings", {
    access: "crm:read",
    summary: "The community portal's address and theme (made with a slug from the workspace's name on first use)",
    response: c.communitySettingsSchema,
    run: (actor) => community.getPortalSettings(db, actor),
  });
  r.patch("/community/settings", {
    access: "workspace:manage",
    summary: "Change the portal's slug, title, logo, colour or custom domain",
    description:
      "custom_domain: a public host name (no IP address, localhost or port) that serves the portal at / to requests with that Host; one workspace per domain (409 naming custom_domain).",
    body: c.communitySettingsPatchSchema,
    response: c.communitySettingsSchema,
    run: async (actor, { body }) => {
      const settings = await community.updatePortalSettings(db, actor, body);
      // a new custom domain (or a new slug behind one) serves the portal from the next request on
      if (body.custom_domain !== undefined || body.slug !== undefined) await portalHosts.refresh();
      return settings;
    },
  });
  r.get("/community/moderation", {
    access: "crm:read",
    summary: "Posts waiting for a moderator: reported by members or labelled spam by the pipeline",
    response: c.moderationQueueResponseSchema,
    run: (actor) => community.moderationQueue(db, actor),
  });
  r.post("/community/moderation", {
    access: "crm:write",
    summary: "Decide on a post: hide it, restore it, or dismiss its reports",
    body: c.moderationDecisionSchema,
    response: c.moderationDecisionResponseSchema,
    run: (actor, { body }) => community.moderatePost(db, actor, body),
  });
  r.post("/community/member-standing", {
    access: "crm:write",
    summary: "Set a member's trust level by hand (null: earned by activity again) or suspend them",
    body: c.memberStandingSchema,
    response: c.memberStandingResponseSchema,
    run: (actor, { body }) => community.setMemberStanding(db, actor, body),
  });
  r.post("/community/accepted-answers", {
    access: "crm:write",
    summary: "Accept an answer to a community question as staff",
    body: c.acceptAnswerSchema,
    response: c.acceptAnswerResponseSchema,
    run: (actor, { body }) => community.acceptAnswerAsStaff(deps, actor, body.answer_id),
  });
  r.post("/community/promoted-answers", {
    access: "crm:write",
    summary: "Turn a community answer into a draft help-centre article (the question's title, the answer's text)",
    body: c.acceptAnswerSchema,
    status: 201,
    response: c.promotedAnswerResponseSchema,
    run: (actor, { body }) => community.promoteAnswer(deps, actor, body.answer_id),
  });
}
