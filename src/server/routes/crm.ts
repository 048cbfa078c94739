import { z } from "zod";
import * as c from "../../contracts";
import * as crm from "../../crm";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

export function crmRoutes(app: App, { db }: ServerContext) {
  // A contact's and an organization's timeline and activities: the same two routes on their own subject.
  const activities = routeGroup(app, ["activities"]);
  const timelineRoutes = (
    record: "contacts" | "organizations",
    subject: (id: string) => crm.ActivitySubject,
    summaries: { timeline: string; activity: string },
  ) => {
    routeGroup(app, [record]).get(`/${record}/:id/timeline`, {
      access: "crm:read",
      summary: summaries.timeline,
      response: c.activityListSchema,
      run: (actor, { id }) => crm.timeline(db, actor, subject(id)),
    });
    activities.post(`/${record}/:id/activities`, {
      access: "crm:write",
      summary: summaries.activity,
      body: c.activityInputSchema,
      status: 201,
      response: c.activitySchema,
      run: (actor, { id, body }) => crm.addActivity(db, actor, subject(id), body),
    });
  };

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
  timelineRoutes("contacts", (id) => ({ contactId: id }), {
    timeline: "The contact's timeline, newest first",
    activity: "Record a note, call, meeting, email or task on a contact",
  });

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
  timelineRoutes("organizations", (id) => ({ organizationId: id }), {
    timeline: "The organization's timeline, its people's included",
    activity: "Record an activity on an organization",
  });

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
