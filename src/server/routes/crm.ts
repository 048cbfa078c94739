import { z } from "zod";
import * as crm from "../../crm";
import { ACTIVITY_TYPES, ENTITIES, LIFECYCLE_STAGES } from "../../store/schema";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

const { schemas } = crm;
const idParams = z.object({ id: z.uuid({ message: "must be an id (UUID)" }) });
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const listQuery = {
  q: z.string().max(200).optional(),
  filter: z.string().max(20_000).optional().describe("Filter JSON: {match: all|any, conditions: [{field, op, value}]}"),
  sort: z.string().max(100).optional().describe("Field to sort by; prefix - for descending"),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  include_total: bool.optional(),
};

export function crmRoutes(app: App, { db }: ServerContext) {
  // Custom fields
  app.get(
    "/custom-fields",
    {
      config: { access: "crm:read" },
      schema: { tags: ["custom fields"], summary: "List custom fields", querystring: z.object({ entity: z.enum(ENTITIES).optional() }) },
    },
    async (request) => crm.listCustomFields(db, actorOf(request), request.query.entity),
  );
  app.post(
    "/custom-fields",
    {
      config: { access: "fields:manage" },
      schema: { tags: ["custom fields"], summary: "Add a custom field", body: schemas.customFieldInputSchema },
    },
    async (request, reply) => reply.status(201).send(await crm.createCustomField(db, actorOf(request), request.body)),
  );
  app.patch(
    "/custom-fields/:id",
    {
      config: { access: "fields:manage" },
      schema: {
        tags: ["custom fields"],
        summary: "Change a custom field's label, options or position",
        params: idParams,
        body: schemas.customFieldPatchSchema,
      },
    },
    async (request) => crm.updateCustomField(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/custom-fields/:id",
    {
      config: { access: "fields:manage" },
      schema: { tags: ["custom fields"], summary: "Delete a custom field and its values", params: idParams },
    },
    async (request, reply) => {
      await crm.deleteCustomField(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Contacts
  const contactListQuery = z.object({
    ...listQuery,
    segment: z.uuid().optional(),
    lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional(),
    tag: z.string().max(60).optional(),
    country: z.string().max(80).optional(),
    owner_id: z.uuid().optional(),
    organization_id: z.uuid().optional(),
  });
  app.get(
    "/contacts",
    {
      config: { access: "crm:read" },
      schema: { tags: ["contacts"], summary: "List, search, filter and sort contacts", querystring: contactListQuery },
    },
    async (request) => crm.listContacts(db, actorOf(request), request.query),
  );
  app.post(
    "/contacts",
    { config: { access: "crm:write" }, schema: { tags: ["contacts"], summary: "Create a contact", body: schemas.contactInputSchema } },
    async (request, reply) => reply.status(201).send(await crm.createContact(db, actorOf(request), request.body)),
  );
  app.get(
    "/contacts/:id",
    { config: { access: "crm:read" }, schema: { tags: ["contacts"], summary: "One contact", params: idParams } },
    async (request) => crm.getContact(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/contacts/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["contacts"],
        summary: "Change a contact (partial; custom values merge, null clears)",
        params: idParams,
        body: schemas.contactInputSchema,
      },
    },
    async (request) => crm.updateContact(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/contacts/:id",
    { config: { access: "crm:write" }, schema: { tags: ["contacts"], summary: "Delete a contact and its timeline", params: idParams } },
    async (request, reply) => {
      await crm.deleteContact(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    "/contacts/:id/timeline",
    { config: { access: "crm:read" }, schema: { tags: ["contacts"], summary: "The contact's timeline, newest first", params: idParams } },
    async (request) => crm.timeline(db, actorOf(request), { contactId: request.params.id }),
  );
  app.post(
    "/contacts/:id/activities",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["activities"],
        summary: "Record a note, call, meeting, email or task on a contact",
        params: idParams,
        body: schemas.activityInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await crm.addActivity(db, actorOf(request), { contactId: request.params.id }, request.body)),
  );

  // Organizations
  app.get(
    "/organizations",
    {
      config: { access: "crm:read" },
      schema: { tags: ["organizations"], summary: "List organizations", querystring: z.object(listQuery) },
    },
    async (request) => crm.listOrganizations(db, actorOf(request), request.query),
  );
  app.post(
    "/organizations",
    {
      config: { access: "crm:write" },
      schema: { tags: ["organizations"], summary: "Create an organization", body: schemas.organizationInputSchema },
    },
    async (request, reply) => reply.status(201).send(await crm.createOrganization(db, actorOf(request), request.body)),
  );
  app.get(
    "/organizations/:id",
    { config: { access: "crm:read" }, schema: { tags: ["organizations"], summary: "One organization", params: idParams } },
    async (request) => crm.getOrganization(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/organizations/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["organizations"], summary: "Change an organization", params: idParams, body: schemas.organizationPatchSchema },
    },
    async (request) => crm.updateOrganization(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/organizations/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["organizations"], summary: "Delete an organization (its contacts stay)", params: idParams },
    },
    async (request, reply) => {
      await crm.deleteOrganization(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    "/organizations/:id/timeline",
    {
      config: { access: "crm:read" },
      schema: { tags: ["organizations"], summary: "The organization's timeline, its people's included", params: idParams },
    },
    async (request) => crm.timeline(db, actorOf(request), { organizationId: request.params.id }),
  );
  app.post(
    "/organizations/:id/activities",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["activities"],
        summary: "Record an activity on an organization",
        params: idParams,
        body: schemas.activityInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await crm.addActivity(db, actorOf(request), { organizationId: request.params.id }, request.body)),
  );

  // Activities
  app.get(
    "/activities",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["activities"],
        summary: "List activities, e.g. open tasks of a user",
        querystring: z.object({
          type: z.enum(ACTIVITY_TYPES).optional(),
          open: bool.optional(),
          assignee_id: z.uuid().optional(),
          cursor: z.string().max(2000).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
    },
    async (request) => crm.listActivities(db, actorOf(request), request.query),
  );
  app.patch(
    "/activities/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["activities"],
        summary: "Change an activity; completed=true closes a task",
        params: idParams,
        body: schemas.activityPatchSchema,
      },
    },
    async (request) => crm.updateActivity(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/activities/:id",
    { config: { access: "crm:write" }, schema: { tags: ["activities"], summary: "Delete an activity", params: idParams } },
    async (request, reply) => {
      await crm.deleteActivity(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Segments
  app.get("/segments", { config: { access: "crm:read" }, schema: { tags: ["segments"], summary: "Saved segments" } }, async (request) =>
    crm.listSegments(db, actorOf(request)),
  );
  app.post(
    "/segments",
    {
      config: { access: "segments:write" },
      schema: { tags: ["segments"], summary: "Save a segment (a named filter)", body: schemas.segmentInputSchema },
    },
    async (request, reply) => reply.status(201).send(await crm.createSegment(db, actorOf(request), request.body)),
  );
  app.get(
    "/segments/:id",
    { config: { access: "crm:read" }, schema: { tags: ["segments"], summary: "One segment", params: idParams } },
    async (request) => crm.getSegment(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/segments/:id",
    {
      config: { access: "segments:write" },
      schema: { tags: ["segments"], summary: "Rename or refilter a segment", params: idParams, body: schemas.segmentPatchSchema },
    },
    async (request) => crm.updateSegment(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/segments/:id",
    { config: { access: "segments:write" }, schema: { tags: ["segments"], summary: "Delete a segment", params: idParams } },
    async (request, reply) => {
      await crm.deleteSegment(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
