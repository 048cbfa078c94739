import { z } from "zod";
import * as c from "../../contracts";
import {
  contactInsights,
  contactProfiles,
  contactTimeline,
  dismissDuplicate,
  dismissProfileSuggestion,
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
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// Identity resolution (#5): profiles and their links, the person view's
// timeline and scores, possible duplicates, merge and undo.
// The unified timeline is /contacts/{id}/history ({items, next_cursor}); the older
// /contacts/{id}/timeline stays what it was: the contact's activities.
// Lists answer { data, next_cursor } like every Parley list.

const idParams = z.object({ id: z.uuid({ message: "must be an id (UUID)" }) });
const tags = ["identity"];

export function identityRoutes(app: App, { db }: ServerContext) {
  app.get(
    "/contacts/:id/profiles",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "A contact's linked social profiles, with how each was linked",
        params: idParams,
        response: { 200: c.profileListSchema },
      },
    },
    async (request) => contactProfiles(db, actorOf(request), request.params.id),
  );
  app.get(
    "/contacts/:id/history",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "One timeline across channels: messages, activities, cases, deals, ideas, merges (newest first)",
        params: idParams,
        querystring: timelineParamsSchema,
        response: { 200: c.timelinePageSchema },
      },
    },
    async (request) => contactTimeline(db, actorOf(request), request.params.id, request.query),
  );
  app.get(
    "/contacts/:id/insights",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Influence, sentiment and health scores with reasons; sentiment over time; networks",
        params: idParams,
        response: { 200: c.contactInsightsSchema },
      },
    },
    async (request) => contactInsights(db, actorOf(request), request.params.id),
  );

  app.get(
    "/profiles",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Profiles (message authors); linked=false lists people talking about us we don't know yet",
        querystring: profileListSchema,
        response: { 200: c.profileListSchema },
      },
    },
    async (request) => listProfiles(db, actorOf(request), request.query),
  );
  app.get(
    "/profiles/:id",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "A profile with its contact, suggestions and recent messages",
        params: idParams,
        response: { 200: c.profileDetailSchema },
      },
    },
    async (request) => getProfile(db, actorOf(request), request.params.id),
  );
  app.post(
    "/profiles/:id/link",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Link a profile to a contact (confirmed by you), or create a contact from it",
        params: idParams,
        body: linkBodySchema,
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => linkProfileTo(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/profiles/:id/unlink",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Unlink a profile from its contact (and never suggest that pair again)",
        params: idParams,
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => unlinkProfile(db, actorOf(request), request.params.id),
  );
  app.post(
    "/profiles/:id/dismiss",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Reject a suggested contact for this profile",
        params: idParams,
        body: z.object({ contact_id: z.uuid() }).strict(),
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => dismissProfileSuggestion(db, actorOf(request), request.params.id, request.body),
  );

  app.get(
    "/duplicates",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Possible duplicate contacts, most likely first, with evidence",
        querystring: z
          .object({
            min_score: z.coerce.number().min(0).max(1).optional(),
            contact_id: z.uuid().optional(),
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
          })
          .strict(),
        response: { 200: c.duplicatePageSchema },
      },
    },
    async (request) => listDuplicates(db, actorOf(request), request.query),
  );
  app.post(
    "/duplicates::scan",
    {
      config: { access: "crm:write" },
      schema: { tags, summary: "Look for duplicate contacts now (replaces the pending queue)", response: { 200: c.outcomeSchema } },
    },
    async (request) => scanForActor(db, actorOf(request)),
  );
  app.post(
    "/duplicates/:id/dismiss",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Not the same person: remembered, never suggested again",
        params: idParams,
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => dismissDuplicate(db, actorOf(request), request.params.id),
  );

  app.post(
    "/contacts::merge",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Merge two contacts, choosing which value survives per field",
        description:
          "`fields` picks per single-valued field (name, title, city, … or custom.<key>) whether the kept (`keep`) or merged (`merge`) contact's value survives; " +
          "unset fields keep the kept contact's value unless it is empty. Emails, phones and tags are unioned. Profiles, activities, cases, deals and ideas move over. " +
          "Undo with POST /merges/{id}:undo.",
        body: mergeInputSchema,
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => mergeContacts(db, actorOf(request), request.body),
  );
  app.get(
    "/merges",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Merges, newest first (of one contact with contact_id)",
        querystring: z.object({ contact_id: z.uuid().optional() }).strict(),
        response: { 200: c.mergeListSchema },
      },
    },
    async (request) => listMerges(db, actorOf(request), request.query.contact_id),
  );
  app.post(
    "/merges/:id(^[^:/]+)::undo",
    {
      config: { access: "crm:write" },
      schema: {
        tags,
        summary: "Undo a merge: both contacts and every moved row back exactly as before",
        params: idParams,
        response: { 200: c.outcomeSchema },
      },
    },
    async (request) => undoMerge(db, actorOf(request), request.params.id),
  );

  app.get(
    "/identity/settings",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "When Parley links profiles to contacts by itself, and the thresholds",
        response: { 200: c.identitySettingsSchema },
      },
    },
    async (request) => getIdentitySettings(db, actorOf(request)),
  );
  app.patch(
    "/identity/settings",
    {
      config: { access: "workspace:manage" },
      schema: {
        tags,
        summary: "Change auto-linking (strong | authenticated | off) and thresholds",
        body: identitySettingsSchema,
        response: { 200: c.identitySettingsSchema },
      },
    },
    async (request) => updateIdentitySettings(db, actorOf(request), request.body),
  );
}
