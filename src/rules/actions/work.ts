import { z } from "zod";
import { ASSIGN_STRATEGIES, CASE_PRIORITIES } from "../../contracts/enums";
import * as store from "../../store/rules";
import { LIFECYCLE_STAGES } from "../../store/schema";
import { summarizeRequest } from "../../understand";
import { assigneeOf, defineAction, done, render, skipped, teamRef, template } from "../action-kit";
import { workActions } from "../work-actions";

// Actions that create work: a case, a deal, an idea (through the WorkActions that work
// provides). Cases and ideas are decided at once and written with the rest of the batch
// (ctx.work(): one INSERT per table); a deal is written at once in its own savepoint.

/**
 * A case with no subject, or with the post-as-subject templates the default rules used to
 * have ("{{message.text:80}}", "Escalation: {{message.text:80}}"), is titled for people
 * instead: a summary of the request (greetings, @handles and links dropped, cut at a word),
 * not the post's first 80 characters. A subject a user wrote is rendered as written.
 */
const OLD_DEFAULT_SUBJECTS = new Set(["{{message.text:80}}", "Escalation: {{message.text:80}}"]);

function caseSubject(template: string | undefined, values: Record<string, unknown>): string {
  if (template !== undefined && !OLD_DEFAULT_SUBJECTS.has(template)) return render(template, values);
  const text = String(values["message.text"] ?? "");
  return text.trim() ? summarizeRequest(text, 80) : "";
}

export const createCase = defineAction({
  schema: z
    .object({
      type: z.literal("create_case"),
      subject: template.optional(),
      priority: z.enum(CASE_PRIORITIES).optional(),
      team: teamRef.optional(),
      strategy: z.enum(ASSIGN_STRATEGIES).optional(),
      tags: z.array(z.string().min(1).max(60)).max(20).optional(),
    })
    .strict(),
  async run(ctx, a, s, rule) {
    const v = s.values;
    const team = a.team ? await ctx.team(a.team) : null;
    let assignee = assigneeOf(s) ?? undefined;
    if (team && a.strategy) assignee = (await ctx.pick(team.id, a.strategy)).userId ?? assignee;
    const subject = caseSubject(a.subject, v) || "Case from a rule";
    if (ctx.dryRun) return done(`would create a case "${subject}"${team ? ` for ${team.name}` : ""}`);
    const pending = await ctx.work().createCase({
      subject,
      description: String(v["message.text"] ?? "") || undefined,
      priority: a.priority,
      team_id: team?.id ?? (v["conversation.team_id"] as string | null) ?? undefined,
      assignee_id: assignee,
      contact_id: s.contactId ?? undefined,
      conversation_id: s.conversationId ?? undefined,
      source: "rule",
      rule_id: rule.id,
      tags: a.tags,
      at: s.postedAt,
    });
    v["case.id"] = pending.id;
    const settle = () => {
      const r = pending.settled();
      return r.ok ? done(`case ${r.value.number}${team ? ` for ${team.name}` : ""}`) : skipped(r.error);
    };
    return { ...done(`case ${pending.id}`), settle };
  },
});

export const createDeal = defineAction({
  schema: z
    .object({
      type: z.literal("create_deal"),
      title: template.optional(),
      value: z.number().min(0).optional(),
      currency: z.string().length(3).optional(),
      pipeline_id: z.uuid().optional(),
      stage_id: z.uuid().optional(),
      lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional().describe("Set on the contact (e.g. lead)"),
    })
    .strict(),
  writesNow: true,
  async run(ctx, a, s, rule) {
    const title = render(a.title ?? "Lead: {{message.text:60}}", s.values);
    if (a.lifecycle_stage && s.contactId && !ctx.dryRun)
      await store.setContactStage(ctx.db, ctx.workspaceId, s.contactId, a.lifecycle_stage);
    if (ctx.dryRun) return done(`would create a deal "${title}"`);
    const deal = await workActions().createDeal(ctx.db, ctx.workspaceId, {
      title,
      contact_id: s.contactId ?? undefined,
      conversation_id: s.conversationId ?? undefined,
      message_id: s.messageId ?? undefined,
      value: a.value,
      currency: a.currency,
      pipeline_id: a.pipeline_id,
      stage_id: a.stage_id,
      owner_id: assigneeOf(s) ?? undefined,
      source: "rule",
      rule_id: rule.id,
    });
    return done(`deal ${deal.id}${a.lifecycle_stage && s.contactId ? `, contact is now ${a.lifecycle_stage}` : ""}`);
  },
});

export const createIdea = defineAction({
  schema: z.object({ type: z.literal("create_idea"), title: template.optional(), match_similar: z.boolean().default(true) }).strict(),
  async run(ctx, a, s, rule) {
    // the raw post as a title ("{{message.text}}", the old default) becomes a short summary of the request
    const raw = !a.title || /^\{\{\s*message\.text(:\d+)?\s*\}\}$/.test(a.title);
    const title = raw ? summarizeRequest(String(s.values["message.text"] ?? "")) : render(a.title as string, s.values);
    if (ctx.dryRun) return done(`would create or vote for an idea "${title}"`);
    const pending = await ctx.work().createOrAttachIdea({
      title,
      description: String(s.values["message.text"] ?? ""),
      message_id: s.messageId ?? undefined,
      profile_id: s.profileId ?? undefined,
      contact_id: s.contactId ?? undefined,
      match_similar: a.match_similar,
      rule_id: rule.id,
    });
    const settle = () => {
      const r = pending.settled();
      return r.ok
        ? done(`${r.value.created ? "new idea" : "attached to idea"} ${pending.id}${r.value.voted ? " (+1 vote)" : ""}`)
        : skipped(r.error);
    };
    return { ...done(`idea ${pending.id}`), settle };
  },
});
