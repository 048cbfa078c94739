import type { Insertable } from "kysely";
import { z } from "zod";
import { newId } from "../../shared/ids";
import * as store from "../../store/rules";
import { type ActivityTable, LIFECYCLE_STAGES } from "../../store/schema";
import { type ActionContext, assigneeOf, defineAction, done, render, skipped, tagList, template } from "../action-kit";

// Actions on the message's author when they are a known contact: tags, lifecycle stage,
// and notes and tasks on their timeline.

const NOT_A_CONTACT = "the author is not a known contact";

export const tagContact = defineAction({
  schema: z.object({ type: z.literal("tag_contact"), tags: tagList }).strict(),
  writesNow: true,
  async run(ctx, a, s) {
    if (!s.contactId) return skipped(NOT_A_CONTACT);
    if (!ctx.dryRun) await store.addContactTags(ctx.db, ctx.workspaceId, s.contactId, a.tags);
    return done(`contact tagged ${a.tags.join(", ")}`);
  },
});

export const setLifecycleStage = defineAction({
  schema: z.object({ type: z.literal("set_lifecycle_stage"), stage: z.enum(LIFECYCLE_STAGES) }).strict(),
  writesNow: true,
  async run(ctx, a, s) {
    if (!s.contactId) return skipped(NOT_A_CONTACT);
    if (!ctx.dryRun) await store.setContactStage(ctx.db, ctx.workspaceId, s.contactId, a.stage);
    return done(`contact is now ${a.stage}`);
  },
});

type ActivityFields = Pick<Insertable<ActivityTable>, "type" | "subject" | "body" | "due_at" | "assignee_id">;

/** An activity on the contact's timeline, written with the batch. */
function addToContact(ctx: ActionContext, contactId: string, fields: ActivityFields) {
  ctx.addActivity({
    workspace_id: ctx.workspaceId,
    id: newId(),
    contact_id: contactId,
    organization_id: null,
    ...fields,
    occurred_at: new Date(),
    created_by: null,
  });
}

export const addNote = defineAction({
  schema: z.object({ type: z.literal("add_note"), body: template.min(1) }).strict(),
  run(ctx, a, s, rule) {
    if (!s.contactId) return skipped(NOT_A_CONTACT);
    addToContact(ctx, s.contactId, {
      type: "note",
      subject: `Rule: ${rule.name}`,
      body: render(a.body, s.values),
      due_at: null,
      assignee_id: null,
    });
    return done("note added to the contact");
  },
});

export const addTask = defineAction({
  schema: z
    .object({
      type: z.literal("add_task"),
      subject: template.min(1),
      due_in_hours: z
        .number()
        .min(0)
        .max(24 * 365)
        .optional(),
    })
    .strict(),
  run(ctx, a, s) {
    if (!s.contactId) return skipped(NOT_A_CONTACT);
    addToContact(ctx, s.contactId, {
      type: "task",
      subject: render(a.subject, s.values),
      body: render("{{message.text}}", s.values),
      due_at: a.due_in_hours !== undefined ? new Date(Date.now() + a.due_in_hours * 3_600_000) : null,
      assignee_id: assigneeOf(s),
    });
    return done("task added to the contact");
  },
});
