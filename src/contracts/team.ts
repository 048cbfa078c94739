import { z } from "zod";
import { pageOf, type Response, timestamp, uuid } from "./common";
import { CONVERSATION_STATUSES, INTENTS, NETWORKS } from "./enums";

// Working as a team in the inbox (issue 14): internal notes with @mentions, the notification
// centre, presence on a conversation, canned responses, saved views, snooze, bulk changes and
// read marks. Pure Zod: the web app imports these too.

// ---------- Notes

export const noteCreateSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, { message: "must not be empty" })
      .max(10_000)
      .describe("Internal: never sent to the customer. @name or @email mentions a workspace user"),
  })
  .strict();
export const noteSchema = z.looseObject({
  id: z.string(),
  conversation_id: z.string(),
  author_id: z.string().nullable(),
  author_name: z.string(),
  text: z.string(),
  mentions: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  created_at: timestamp,
});
export const noteListSchema = z.object({ data: z.array(noteSchema) });

// ---------- Notifications

export const NOTIFICATION_KINDS = ["mention", "assignment", "sla", "rule"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationQuerySchema = z.object({
  unread: z.enum(["true", "false"]).optional().describe("true: only unread ones"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const teamNotificationSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string().nullable(),
  /** Where it points in the app (a conversation or a case). */
  link: z.string().nullable(),
  conversation_id: z.string().nullable(),
  rule_id: z.string().nullable(),
  read_at: timestamp.nullable(),
  created_at: timestamp,
});
export const notificationPageSchema = pageOf(teamNotificationSchema).extend({ unread: z.number() });
export const unreadCountSchema = z.object({ unread: z.number() });
export const markReadSchema = z
  .object({ ids: z.array(uuid).min(1).max(500).optional().describe("Leave out to mark every notification read") })
  .strict();
export const markedSchema = z.object({ marked: z.number(), unread: z.number() });
export const DIGEST_FREQUENCIES = ["off", "daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
export const notificationPrefsSchema = z.object({
  email: z.array(z.enum(NOTIFICATION_KINDS)).describe("The kinds of notification also sent to you by email"),
  digest: z
    .enum(DIGEST_FREQUENCIES)
    .describe("An email with the workspace's headline figures, new issues and bursts: daily (after 08:00) or weekly (Mondays)"),
});
export const notificationPrefsInputSchema = z
  .object({ email: notificationPrefsSchema.shape.email.optional(), digest: notificationPrefsSchema.shape.digest.optional() })
  .strict();

// ---------- Presence (collision detection)

export const presenceInputSchema = z
  .object({
    state: z.enum(["viewing", "typing", "left"]).default("viewing").describe("left: you closed the conversation"),
  })
  .strict();
export const presenceSchema = z.object({
  conversation_id: z.string(),
  /** Everyone else on this conversation now; a heartbeat older than 30 s has left. */
  others: z.array(z.object({ user_id: z.string(), name: z.string(), state: z.enum(["viewing", "typing"]), since: timestamp })),
});

// ---------- Canned responses

export const cannedInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    shortcut: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: "use lower-case letters, digits, - and _ (typed after / in the composer)" }),
    body: z
      .string()
      .trim()
      .min(1)
      .max(10_000)
      .describe("Text with variables: {{contact.first_name}}, {{contact.name}}, {{agent.name}}, {{agent.first_name}}, {{case.number}}"),
  })
  .strict();
export const cannedPatchSchema = cannedInputSchema.partial().strict();
export const cannedSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  shortcut: z.string(),
  body: z.string(),
  variables: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export const cannedListSchema = z.object({ data: z.array(cannedSchema) });
export const cannedRenderQuerySchema = z.object({
  conversation: uuid.optional().describe("The conversation the text is for (without it, only the agent's variables are filled)"),
});
export const cannedRenderedSchema = z.object({
  text: z.string(),
  /** Variables with nothing to fill them on this conversation (left empty). */
  missing: z.array(z.string()),
});
export const CANNED_VARIABLES = [
  "contact.first_name",
  "contact.last_name",
  "contact.name",
  "agent.name",
  "agent.first_name",
  "case.number",
] as const;

// ---------- Saved views

export const viewFiltersSchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    label: z.enum(INTENTS).optional(),
    network: z.enum(NETWORKS).optional(),
    assignee: z.union([z.enum(["me", "none"]), uuid]).optional(),
    min_priority: z.number().int().min(0).max(100).optional(),
    tag: z.string().trim().min(1).max(100).optional(),
    q: z.string().max(500).optional(),
    sort: z.enum(["recent", "priority", "waiting"]).optional(),
  })
  .strict();
export type ViewFilters = z.output<typeof viewFiltersSchema>;
export const viewInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    filters: viewFiltersSchema,
    shared: z.boolean().default(true).describe("false: only you see it"),
  })
  .strict();
export const viewPatchSchema = z
  .object({ name: z.string().trim().min(1).max(200).optional(), filters: viewFiltersSchema.optional() })
  .strict();
export const viewSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  filters: viewFiltersSchema,
  shared: z.boolean(),
  /** Conversations the view shows now (snoozed ones excluded). */
  count: z.number(),
  created_at: timestamp,
});
export const viewListSchema = z.object({ data: z.array(viewSchema) });

// ---------- Bulk changes, snooze, read marks

export const bulkSchema = z
  .object({
    ids: z.array(uuid).min(1, { message: "name at least one conversation" }).max(500),
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assignee_id: uuid.nullable().optional(),
    team_id: uuid.nullable().optional(),
    add_tags: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
    remove_tags: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
    snoozed_until: z.iso.datetime({ offset: true }).nullable().optional().describe("null wakes them"),
    read: z.boolean().optional().describe("Mark read or unread for you"),
  })
  .strict();
export const bulkResultSchema = z.object({ updated: z.number(), ids: z.array(z.string()) });
export const snoozeSchema = z
  .object({ until: z.iso.datetime({ offset: true }).nullable().describe("When it comes back to open lists; null wakes it now") })
  .strict();
export const snoozedSchema = z.object({ id: z.string(), snoozed_until: timestamp.nullable() });

export type Note = Response<typeof noteSchema>;
export type TeamNotification = Response<typeof teamNotificationSchema>;
export type NotificationPage = Response<typeof notificationPageSchema>;
export type Presence = Response<typeof presenceSchema>;
export type CannedResponse = Response<typeof cannedSchema>;
export type SavedView = Response<typeof viewSchema>;
export type BulkInput = z.input<typeof bulkSchema>;
export const readMarkSchema = z.object({ read: z.boolean().default(true) }).strict();
export const readMarkedSchema = z.object({ id: z.string(), unread: z.boolean() });
