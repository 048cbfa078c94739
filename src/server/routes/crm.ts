import { z } from "zod";
import * as c from "../../contracts";
import * as crm from "../../crm";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";

const { idParams } = c;

export function crmRoutes(app: App, { db }: ServerContext) {
  crudRoutes(app, {
    path: "/custom-fields",
    tags: ["custom fields"],
    write: "fields:manage",
    list: {
      summary: "List custom fields",
      querystring: z.object({ entity: z.enum(c.ENTITIES).optional() }),
      response: c.customFieldListSchema,
      run: (actor, query) => crm.listCustomFields(db, actor, query.entity),
    },
    create: {
      summary: "Add a custom field",
      body: c.customFieldInputSchema,
      response: c.customFieldSchema,
      run: (actor, body) => crm.createCustomField(db, actor, body),
    },
    patch: {
      summary: "Change a custom field's label, options or position",
      body: c.customFieldPatchSchema,
      response: c.customFieldSchema,
      run: (actor, id, body) => crm.updateCustomField(db, actor, id, body),
    },
    remove: { summary: "Delete a custom field and its values", run: (actor, id) => crm.deleteCustomField(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/contacts",
    tags: ["contacts"],
    write: "crm:write",
    list: {
      summary: "List, search, filter and sort contacts",
      querystring: c.contactListQuerySchema,
      response: c.contactPageSchema,
      run: (actor, query) => crm.listContacts(db, actor, query),
    },
    create: {
      summary: "Create a contact",
      body: c.contactInputSchema,
      response: c.contactSchema,
      run: (actor, body) => crm.createContact(db, actor, body),
    },
    get: { summary: "One contact", response: c.contactSchema, run: (actor, id) => crm.getContact(db, actor, id) },
    patch: {
      summary: "Change a contact (partial; custom values merge, null clears)",
      body: c.contactInputSchema,
      response: c.contactSchema,
      run: (actor, id, body) => crm.updateContact(db, actor, id, body),
    },
    remove: { summary: "Delete a contact and its timeline", run: (actor, id) => crm.deleteContact(db, actor, id) },
  });
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

  crudRoutes(app, {
    path: "/organizations",
    tags: ["organizations"],
    write: "crm:write",
    list: {
      summary: "List organizations",
      querystring: c.organizationListQuerySchema,
      response: c.organizationPageSchema,
      run: (actor, query) => crm.listOrganizations(db, actor, query),
    },
    create: {
      summary: "Create an organization",
      body: c.organizationInputSchema,
      response: c.organizationSchema,
      run: (actor, body) => crm.createOrganization(db, actor, body),
    },
    get: { summary: "One organization", response: c.organizationSchema, run: (actor, id) => crm.getOrganization(db, actor, id) },
    patch: {
      summary: "Change an organization",
      body: c.organizationPatchSchema,
      response: c.organizationSchema,
      run: (actor, id, body) => crm.updateOrganization(db, actor, id, body),
    },
    remove: { summary: "Delete an organization (its contacts stay)", run: (actor, id) => crm.deleteOrganization(db, actor, id) },
  });
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

  crudRoutes(app, {
    path: "/activities",
    tags: ["activities"],
    write: "crm:write",
    list: {
      summary: "List activities, e.g. open tasks of a user",
      querystring: c.activityListQuerySchema,
      response: c.activityPageSchema,
      run: (actor, query) => crm.listActivities(db, actor, query),
    },
    patch: {
      summary: "Change an activity; completed=true closes a task",
      body: c.activityPatchSchema,
      response: c.activitySchema,
      run: (actor, id, body) => crm.updateActivity(db, actor, id, body),
    },
    remove: { summary: "Delete an activity", run: (actor, id) => crm.deleteActivity(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/segments",
    tags: ["segments"],
    write: "segments:write",
    list: { summary: "Saved segments", response: c.segmentListSchema, run: (actor) => crm.listSegments(db, actor) },
    create: {
      summary: "Save a segment (a named filter)",
      body: c.segmentInputSchema,
      response: c.segmentSchema,
      run: (actor, body) => crm.createSegment(db, actor, body),
    },
    get: { summary: "One segment", response: c.segmentSchema, run: (actor, id) => crm.getSegment(db, actor, id) },
    patch: {
      summary: "Rename or refilter a segment",
      body: c.segmentPatchSchema,
      response: c.segmentSchema,
      run: (actor, id, body) => crm.updateSegment(db, actor, id, body),
    },
    remove: { summary: "Delete a segment", run: (actor, id) => crm.deleteSegment(db, actor, id) },
  });
}
