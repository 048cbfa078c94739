import * as c from "../../contracts";
import * as team from "../../team";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

// Working as a team in the inbox (src/team): notes with @mentions, the notification centre,
// presence on a conversation, canned responses, saved views, snooze, bulk changes, read marks.
// Live updates (notifications, presence) travel on the SSE stream (/stream, routes/listening.ts).

export function teamRoutes(app: App, { db }: ServerContext) {
  // Viewers whose heartbeat stopped are announced gone to the others on the conversation.
  const sweep = setInterval(() => team.sweepPresence(), 5_000);
  sweep.unref();
  app.addHook("onClose", async () => clearInterval(sweep));
  const conversations = routeGroup(app, ["conversations"]);
  conversations.get("/conversations/:id/notes", {
    access: "crm:read",
    summary: "The conversation's internal notes, oldest first (never sent to the customer)",
    response: c.noteListSchema,
    run: (actor, { id }) => team.listNotes(db, actor, id),
  });
  conversations.post("/conversations/:id/notes", {
    access: "crm:write",
    summary: "Add an internal note; @name or @email mentions a workspace user, who is notified",
    body: c.noteCreateSchema,
    response: c.noteSchema,
    status: 201,
    run: (actor, { id, body }) => team.createNote(db, actor, id, body),
  });
  conversations.get("/conversations/:id/presence", {
    access: "crm:read",
    summary: "Who else is viewing or typing a reply on this conversation now",
    response: c.presenceSchema,
    run: (actor, { id }) => team.presenceOf(db, actor, id),
  });
  conversations.post("/conversations/:id/presence", {
    access: "crm:read",
    summary: "Heartbeat from an open conversation (viewing, typing, left); answers who else is on it",
    description: `Send every few seconds while the conversation is open: a viewer silent for ${team.PRESENCE_TTL_MS / 1000} s has left. Changes reach the others on the SSE stream as presence.changed.`,
    body: c.presenceInputSchema,
    response: c.presenceSchema,
    run: (actor, { id, body }) => team.notePresence(db, actor, id, body.state),
  });
  conversations.post("/conversations/:id/snooze", {
    access: "crm:write",
    summary: "Snooze: hidden from open lists until the time (null wakes it now)",
    body: c.snoozeSchema,
    response: c.snoozedSchema,
    run: (actor, { id, body }) => team.snoozeConversation(db, actor, id, body.until),
  });
  conversations.post("/conversations/:id/read", {
    access: "crm:read",
    summary: "Mark the conversation read (or unread) for you",
    body: c.readMarkSchema,
    response: c.readMarkedSchema,
    run: (actor, { id, body }) => team.markConversationRead(db, actor, id, body.read),
  });
  conversations.post("/conversations::bulk", {
    access: "crm:write",
    summary: "Change many conversations at once: assign, team, status (close), tags, snooze, read marks",
    description: "One transaction: all of them change or none. 400 names the field (an id of another workspace, an unknown user).",
    body: c.bulkSchema,
    response: c.bulkResultSchema,
    run: (actor, { body }) => team.bulkUpdate(db, actor, body),
  });

  const notifications = routeGroup(app, ["notifications"]);
  notifications.get("/notifications", {
    access: "crm:read",
    summary: "Your notifications, newest first: mentions, assignments, SLA warnings and rule notifications; with the unread count",
    querystring: c.notificationQuerySchema,
    response: c.notificationPageSchema,
    run: (actor, { query }) => team.listNotifications(db, actor, query),
  });
  notifications.get("/notifications/unread-count", {
    access: "crm:read",
    summary: "How many of your notifications are unread (the bell)",
    response: c.unreadCountSchema,
    run: (actor) => team.unreadCount(db, actor),
  });
  notifications.post("/notifications::read", {
    access: "crm:read",
    summary: "Mark notifications read: the ids given, or all of yours",
    body: c.markReadSchema,
    response: c.markedSchema,
    run: (actor, { body }) => team.markNotificationsRead(db, actor, body.ids),
  });
  notifications.get("/notifications/preferences", {
    access: "crm:read",
    summary: "Which kinds of notification you also receive by email",
    response: c.notificationPrefsSchema,
    run: (actor) => team.notificationPrefs(db, actor),
  });
  notifications.put("/notifications/preferences", {
    access: "crm:read",
    summary: "Choose which kinds of notification you also receive by email",
    body: c.notificationPrefsInputSchema,
    response: c.notificationPrefsSchema,
    run: (actor, { body }) => team.setNotificationPrefs(db, actor, body),
  });

  crudRoutes(app, {
    path: "/canned",
    tags: ["canned responses"],
    write: "teams:manage",
    list: {
      summary: "Canned responses (typed after / in the composer)",
      response: c.cannedListSchema,
      run: (actor) => team.listCanned(db, actor),
    },
    create: {
      summary: "Add a canned response with variables ({{contact.first_name}}, {{agent.name}}, {{case.number}})",
      body: c.cannedInputSchema,
      response: c.cannedSchema,
      run: (actor, body) => team.createCanned(db, actor, body),
    },
    get: { summary: "One canned response", response: c.cannedSchema, run: (actor, id) => team.getCanned(db, actor, id) },
    patch: {
      summary: "Change a canned response",
      body: c.cannedPatchSchema,
      response: c.cannedSchema,
      run: (actor, id, body) => team.updateCanned(db, actor, id, body),
    },
    remove: { summary: "Remove a canned response", run: (actor, id) => team.deleteCanned(db, actor, id) },
  });
  routeGroup(app, ["canned responses"]).get("/canned/:id/render", {
    access: "crm:read",
    summary: "The canned response's text for a conversation, its variables filled in (empty ones are listed as missing)",
    querystring: c.cannedRenderQuerySchema,
    response: c.cannedRenderedSchema,
    run: (actor, { id, query }) => team.renderCanned(db, actor, id, query.conversation),
  });

  crudRoutes(app, {
    path: "/views",
    tags: ["saved views"],
    read: "crm:read",
    write: "crm:read",
    list: {
      summary: "Saved inbox views with how many conversations each shows now",
      response: c.viewListSchema,
      run: (actor) => team.listViews(db, actor),
    },
    create: {
      summary: "Save an inbox view (shared with the workspace, or only yours with shared: false)",
      body: c.viewInputSchema,
      response: c.viewSchema,
      run: (actor, body) => team.createView(db, actor, body),
    },
    patch: {
      summary: "Rename a view or change its filters",
      body: c.viewPatchSchema,
      response: c.viewSchema,
      run: (actor, id, body) => team.updateView(db, actor, id, body),
    },
    remove: { summary: "Remove a saved view", run: (actor, id) => team.deleteView(db, actor, id) },
  });
}
