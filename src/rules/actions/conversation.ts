import { z } from "zod";
import { ASSIGN_STRATEGIES } from "../../contracts/enums";
import * as store from "../../store/rules";
import { CONVERSATION_STATUSES } from "../../store/schema";
import { defineAction, done, skipped, tagList, teamRef } from "../action-kit";

// Actions on the subject's conversation: who has it, its status, priority and tags.
// Changes are collected and written once per batch, except tag removal.

export const assign = defineAction({
  schema: z
    .object({
      type: z.literal("assign"),
      team: teamRef.optional(),
      user_id: z.uuid().optional(),
      strategy: z.enum(ASSIGN_STRATEGIES).default("round_robin"),
      skill: z.string().min(1).max(60).optional(),
    })
    .strict()
    .refine((a) => a.team || a.user_id, { message: "name a team or a user", path: ["team"] }),
  async run(ctx, a, s) {
    const team = a.team ? await ctx.team(a.team) : null;
    let userId = a.user_id ?? null;
    // checked on save, but the user may have been deleted or removed from the workspace since
    if (userId && (await ctx.members([userId])).length === 0) throw new Error(`user ${userId} is not a member of this workspace`);
    let why = userId ? "named user" : "";
    if (!userId && team) ({ userId, why } = await ctx.pick(team.id, a.strategy, a.skill));
    ctx.patchConversation(s, { ...(team ? { team_id: team.id } : {}), ...(userId ? { assignee_id: userId } : {}) });
    return done(`${team ? `team ${team.name}` : ""}${userId ? `${team ? ", " : ""}user ${userId}` : ""} (${why})`);
  },
});

export const setStatus = defineAction({
  schema: z.object({ type: z.literal("set_status"), status: z.enum(CONVERSATION_STATUSES) }).strict(),
  run(ctx, a, s) {
    ctx.patchConversation(s, { status: a.status });
    return done(`status ${a.status}`);
  },
});

export const setPriority = defineAction({
  schema: z.object({ type: z.literal("set_priority"), priority: z.number().int().min(0).max(100) }).strict(),
  run(ctx, a, s) {
    ctx.patchConversation(s, { priority: a.priority });
    return done(`priority ${a.priority}`);
  },
});

const tagsOf = (values: Record<string, unknown>) => (values["conversation.tags"] as string[]) ?? [];

export const addTags = defineAction({
  schema: z.object({ type: z.literal("add_tags"), tags: tagList }).strict(),
  run(ctx, a, s) {
    if (!s.conversationId) return skipped("no conversation");
    ctx.addConversationTags(s.conversationId, a.tags);
    s.values["conversation.tags"] = [...new Set([...tagsOf(s.values), ...a.tags])];
    return done(`tags ${a.tags.join(", ")}`);
  },
});

export const removeTags = defineAction({
  schema: z.object({ type: z.literal("remove_tags"), tags: tagList }).strict(),
  writesNow: true,
  async run(ctx, a, s) {
    if (!s.conversationId) return skipped("no conversation");
    ctx.dropPendingTags(s.conversationId, a.tags);
    if (!ctx.dryRun) await store.removeConversationTags(ctx.db, ctx.workspaceId, s.conversationId, a.tags);
    s.values["conversation.tags"] = tagsOf(s.values).filter((t) => !a.tags.includes(t));
    return done(`removed tags ${a.tags.join(", ")}`);
  },
});
