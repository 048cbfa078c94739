import { z } from "zod";
import * as c from "../../contracts";
import {
  contactInsights,
  contactProfiles,
  contactTimeline,
  dismissDuplicate,
  dismissProfileSuggestion,
  dismissSuggestionSchema,
  getIdentitySettings,
  getProfile,
  identitySettingsSchema,
  linkBodySchema,
  linkProfileTo,
  listDuplicates,
  listMerges,
  listProfiles,
  mergeContacts,
  mergeInputSchema,
  profileListSchema,
  scanForActor,
  timelineParamsSchema,
  undoMerge,
  unlinkProfile,
  updateIdentitySettings,
} from "../../identity";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// Identity resolution (#5): profiles and their links, the person view's
// timeline and scores, possible duplicates, merge and undo.
// The unified timeline is /contacts/{id}/history ({items, next_cursor}); the older
// /contacts/{id}/timeline stays what it was: the contact's activities.
// Lists answer { data, next_cursor } like every Parley list.

export function identityRoutes(app: App, { db }: ServerContext) {
  const identity = routeGroup(app, ["identity"]);
  identity.get("/contacts/:id/profiles", {
    access: "crm:read",
    summary: "A contact's linked social profiles, with how each was linked",
    response: c.profileListSchema,
    run: (actor, { id }) => contactProfiles(db, actor, id),
  });
  identity.get("/contacts/:id/history", {
    access: "crm:read",
    summary: "One timeline across channels: messages, activities, cases, deals, ideas, merges (newest first)",
    querystring: timelineParamsSchema,
    response: c.timelinePageSchema,
    run: (actor, { id, query }) => contactTimeline(db, actor, id, query),
  });
  identity.get("/contacts/:id/insights", {
    access: "crm:read",
    summary: "Influence, sentiment and health scores with reasons; sentiment over time; networks",
    response: c.contactInsightsSchema,
    run: (actor, { id }) => contactInsights(db, actor, id),
  });

  identity.get("/profiles", {
    access: "crm:read",
    summary: "Profiles (message authors); linked=false lists people talking about us we don't know yet",
    querystring: profileListSchema,
    response: c.profileListSchema,
    run: (actor, { query }) => listProfiles(db, actor, query),
  });
  identity.get("/profiles/:id", {
    access: "crm:read",
    summary: "A profile with its contact, suggestions and recent messages",
    response: c.profileDetailSchema,
    run: (actor, { id }) => getProfile(db, actor, id),
  });
  identity.post("/profiles/:id/link", {
    access: "crm:write",
    summary: "Link a profile to a contact (confirmed by you), or create a contact from it",
    body: linkBodySchema,
    response: c.profileDetailSchema,
    run: (actor, { id, body }) => linkProfileTo(db, actor, id, body),
  });
  identity.post("/profiles/:id/unlink", {
    access: "crm:write",
    summary: "Unlink a profile from its contact (and never suggest that pair again)",
    response: c.profileDetailSchema,
    run: (actor, { id }) => unlinkProfile(db, actor, id),
  });
  identity.post("/profiles/:id/dismiss", {
    access: "crm:write",
    summary: "Reject a suggested contact for this profile",
    body: dismissSuggestionSchema,
    response: c.okSchema,
    run: (actor, { id, body }) => dismissProfileSuggestion(db, actor, id, body),
  });

  identity.get("/duplicates", {
    access: "crm:read",
    summary: "Possible duplicate contacts, most likely first, with evidence",
    querystring: z
      .object({
        min_score: z.coerce.number().min(0).max(1).optional(),
        contact_id: z.uuid().optional(),
        cursor: z.string().max(500).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
      })
      .strict(),
    response: c.duplicatePageSchema,
    run: (actor, { query }) => listDuplicates(db, actor, query),
  });
  identity.post("/duplicates::scan", {
    access: "crm:write",
    summary: "Look for duplicate contacts now (replaces the pending queue)",
    response: c.duplicateScanSchema,
    run: (actor) => scanForActor(db, actor),
  });
  identity.post("/duplicates/:id/dismiss", {
    access: "crm:write",
    summary: "Not the same person: remembered, never suggested again",
    response: c.okSchema,
    run: (actor, { id }) => dismissDuplicate(db, actor, id),
  });

  identity.post("/contacts::merge", {
    access: "crm:write",
    summary: "Merge two contacts, choosing which value survives per field",
    description:
      "`fields` picks per single-valued field (name, title, city, … or custom.<key>) whether the kept (`keep`) or merged (`merge`) contact's value survives; " +
      "unset fields keep the kept contact's value unless it is empty. Emails, phones and tags are unioned. Profiles, activities, cases, deals and ideas move over. " +
      "Undo with POST /merges/{id}:undo.",
    body: mergeInputSchema,
    response: c.mergeOutcomeSchema,
    run: (actor, { body }) => mergeContacts(db, actor, body),
  });
  identity.get("/merges", {
    access: "crm:read",
    summary: "Merges, newest first (of one contact with contact_id)",
    querystring: z.object({ contact_id: z.uuid().optional() }).strict(),
    response: c.mergeListSchema,
    run: (actor, { query }) => listMerges(db, actor, query.contact_id),
  });
  identity.post("/merges/:id(^[^:/]+)::undo", {
    access: "crm:write",
    summary: "Undo a merge: both contacts and every moved row back exactly as before",
    response: c.undoOutcomeSchema,
    run: (actor, { id }) => undoMerge(db, actor, id),
  });

  identity.get("/identity/settings", {
    access: "crm:read",
    summary: "When Parley links profiles to contacts by itself, and the thresholds",
    response: c.identitySettingsSchema,
    run: (actor) => getIdentitySettings(db, actor),
  });
  identity.patch("/identity/settings", {
    access: "workspace:manage",
    summary: "Change auto-linking (strong | authenticated | off) and thresholds",
    body: identitySettingsSchema,
    response: c.identitySettingsSchema,
    run: (actor, { body }) => updateIdentitySettings(db, actor, body),
  });
}
