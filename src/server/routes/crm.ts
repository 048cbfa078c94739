import { z } from "zod";
import * as c from "../../contracts";
import * as crm from "../../crm";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

const { idParams } = c;

export function crmRoutes(app: App, { db }: ServerContext) {
  // Custom fields
  app.get(
    "/custom-fields",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["custom fields"],
        summary: "List custom fields",
        querystring: z.object({ entity: z.enum(c.ENTITIES).optional() }),
        response: { 200: c.customFieldListSchema },
      },
    },
    async (request) => crm.listCustomFields(db, actorOf(request), request.query.entity),
  );
  app.post(
    "/custom-fields",
    {
      config: { access: "fields:manage" },
      schema: {
        tags: ["custom fields"],
        summary: "Add a custom field",
        body: c.customFieldInputSchema,
        response: { 201: c.customFieldSchema },
      },
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
        body: c.customFieldPatchSchema,
        response: { 200: c.customFieldSchema },
      },
    },
    async (request) => crm.updateCustomField(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/custom-fields/:id",
    {
      config: { access: "fields:manage" },
      schema: {
        tags: ["custom fields"],
        summary: "Delete a custom field and its values",
        params: idParams,
        response: { 204: c.noContent },
      },
    },
    async (request, reply) => {
      await crm.deleteCustomField(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Contacts
  app.get(
    "/contacts",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["contacts"],
        summary: "List, search, filter and sort contacts",
        querystring: c.contactListQuerySchema,
        response: { 200: c.contactPageSchema },
      },
    },
    async (request) => crm.listContacts(db, actorOf(request), request.query),
  );
  app.post(
    "/contacts",
    {
      config: { access: "crm:write" },
      schema: { tags: ["contacts"], summary: "Create a contact", body: c.contactInputSchema, response: { 201: c.contactSchema } },
    },
    async (request, reply) => reply.status(201).send(await crm.createContact(db, actorOf(request), request.body)),
  );
  app.get(
    "/contacts/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["contacts"], summary: "One contact", params: idParams, response: { 200: c.contactSchema } },
    },
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
        body: c.contactInputSchema,
        response: { 200: c.contactSchema },
      },
    },
    async (request) => crm.updateContact(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/contacts/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["contacts"], summary: "Delete a contact and its timeline", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await crm.deleteContact(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    "/contacts/:id/timeline",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["contacts"],
        summary: "The contact's timeline, newest first",
        params: idParams,
        response: { 200: c.activityListSchema },
      },
    },
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
        body: c.activityInputSchema,
        response: { 201: c.activitySchema },
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
      schema: {
        tags: ["organizations"],
        summary: "List organizations",
        querystring: c.organizationListQuerySchema,
        response: { 200: c.organizationPageSchema },
      },
    },
    async (request) => crm.listOrganizations(db, actorOf(request), request.query),
  );
  app.post(
    "/organizations",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["organizations"],
        summary: "Create an organization",
        body: c.organizationInputSchema,
        response: { 201: c.organizationSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await crm.createOrganization(db, actorOf(request), request.body)),
  );
  app.get(
    "/organizations/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["organizations"], summary: "One organization", params: idParams, response: { 200: c.organizationSchema } },
    },
    async (request) => crm.getOrganization(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/organizations/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["organizations"],
        summary: "Change an organization",
        params: idParams,
        body: c.organizationPatchSchema,
        response: { 200: c.organizationSchema },
      },
    },
    async (request) => crm.updateOrganization(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/organizations/:id",
    {
      config: { access: "crm:write" },
      schema: {
        tags: ["organizations"],
        summary: "Delete an organization (its contacts stay)",
        params: idParams,
        response: { 204: c.noContent },
      },
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
      schema: {
        tags: ["organizations"],
        summary: "The organization's timeline, its people's included",
        params: idParams,
        response: { 200: c.activityListSchema },
      },
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
        body: c.activityInputSchema,
        response: { 201: c.activitySchema },
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
        querystring: c.activityListQuerySchema,
        response: { 200: c.activityPageSchema },
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
        body: c.activityPatchSchema,
        response: { 200: c.activitySchema },
      },
    },
    async (request) => crm.updateActivity(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/activities/:id",
    {
      config: { access: "crm:write" },
      schema: { tags: ["activities"], summary: "Delete an activity", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await crm.deleteActivity(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Segments
  app.get(
    "/segments",
    { config: { access: "crm:read" }, schema: { tags: ["segments"], summary: "Saved segments", response: { 200: c.segmentListSchema } } },
    async (request) => crm.listSegments(db, actorOf(request)),
  );
  app.post(
    "/segments",
    {
      config: { access: "segments:write" },
      schema: {
        tags: ["segments"],
        summary: "Save a segment (a named filter)",
        body: c.segmentInputSchema,
        response: { 201: c.segmentSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await crm.createSegment(db, actorOf(request), request.body)),
  );
  app.get(
    "/segments/:id",
    {
      config: { access: "crm:read" },
      schema: { tags: ["segments"], summary: "One segment", params: idParams, response: { 200: c.segmentSchema } },
    },
    async (request) => crm.getSegment(db, actorOf(request), request.params.id),
  );
  app.patch(
    "/segments/:id",
    {
      config: { access: "segments:write" },
      schema: {
        tags: ["segments"],
        summary: "Rename or refilter a segment",
        params: idParams,
        body: c.segmentPatchSchema,
        response: { 200: c.segmentSchema },
      },
    },
    async (request) => crm.updateSegment(db, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    "/segments/:id",
    {
      config: { access: "segments:write" },
      schema: { tags: ["segments"], summary: "Delete a segment", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await crm.deleteSegment(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
