import { z } from "zod";
import { type Actor, requirePermission } from "../accounts";
import { type Changes, publish } from "../events";
import { invalid } from "../shared/errors";
import { decodeCursor, encodeCursor, pageLimit, pageOf } from "../shared/pagination";
import { findMembership, findTeam } from "../store/accounts";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/listening";
import { CONVERSATION_STATUSES, NETWORKS } from "../store/schema";
import { INTENTS } from "../understand";
import { attachmentsByMessage } from "./attachments";
import { presentConversation, presentMessage, presentProfile } from "./present";

export const CONVERSATION_SORTS = ["recent", "priority", "waiting"] as const;

/** The filters of the inbox list; a saved view stores these (src/team). */
export const conversationFilterSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  label: z.enum(INTENTS).optional().describe("Conversations with a message labelled so (complaint, question, …)"),
  network: z.enum(NETWORKS).optional(),
  channel_id: z.uuid().optional(),
  q: z.string().max(500).optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  until: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  assignee: z
    .union([z.enum(["me", "none"]), z.uuid()])
    .optional()
    .describe("me, none (unassigned) or a user's id"),
  min_priority: z.coerce.number().int().min(0).max(100).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  issue: z.uuid().optional().describe("Conversations with a message in this emerging issue"),
  snoozed: z.enum(["hide", "include", "only"]).optional().describe("Snoozed conversations are hidden until their time (default hide)"),
});
export type ConversationFilter = z.output<typeof conversationFilterSchema>;

export const conversationListSchema = conversationFilterSchema.extend({
  sort: z.enum(CONVERSATION_SORTS).optional().describe("recent (default), priority (highest first) or waiting (longest waiting first)"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** The store's filter for an actor: "me" is the actor, read marks are the actor's. */
export function conversationStoreFilter(actor: Actor, f: ConversationFilter): store.ConversationListFilter {
  return {
    workspaceId: actor.workspaceId,
    status: f.status,
    network: f.network,
    channelId: f.channel_id,
    label: f.label,
    q: f.q,
    since: f.since,
    until: f.until,
    assignee: f.assignee === "me" ? (actor.userId ?? "none") : f.assignee,
    minPriority: f.min_priority,
    tag: f.tag,
    issueId: f.issue,
    snoozed: f.snoozed,
    readerId: actor.userId ?? undefined,
  };
}

export async function listConversations(db: DbOrTx, actor: Actor, params: z.infer<typeof conversationListSchema>) {
  requirePermission(actor, "crm:read");
  const sort = params.sort ?? "recent";
  const limit = pageLimit(params.limit);
  const rows = await store.listConversations(db, {
    ...conversationStoreFilter(actor, params),
    sort,
    after: decodeCursor(params.cursor, sort),
    limit: limit + 1,
  });
  return pageOf(rows, limit, presentConversation, (r) => encodeCursor(sort, store.conversationSortKey(r, sort), r.id));
}

export async function getConversation(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const conversation = await store.findConversationOrThrow(db, actor.workspaceId, id);
  const messages = await store.messagesOfConversation(db, actor.workspaceId, id);
  const profileIds = [...new Set(messages.map((m) => m.profile_id).filter((p): p is string => Boolean(p)))];
  const profiles = await store.profilesByIds(db, actor.workspaceId, profileIds);
  const outbound = messages.filter((m) => m.direction === "outbound").map((m) => m.id);
  const images = await attachmentsByMessage(db, actor.workspaceId, outbound);
  const present = (m: (typeof messages)[number]) => {
    const attachments = images.get(m.id);
    return attachments ? { ...presentMessage(m), attachments } : presentMessage(m);
  };
  return { ...presentConversation(conversation), messages: messages.map(present), profiles: profiles.map(presentProfile) };
}

export const conversationPatchSchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assignee_id: z.uuid().nullable().optional(),
    team_id: z.uuid().nullable().optional(),
  })
  .strict();
export type ConversationPatch = z.output<typeof conversationPatchSchema>;

export async function updateConversation(db: Db, actor: Actor, id: string, patch: ConversationPatch) {
  requirePermission(actor, "crm:write");
  await store.findConversationOrThrow(db, actor.workspaceId, id);
  if (patch.assignee_id && !(await findMembership(db, actor.workspaceId, patch.assignee_id)))
    throw invalid("assignee_id", "is not a user of this workspace");
  if (patch.team_id && !(await findTeam(db, actor.workspaceId, patch.team_id))) throw invalid("team_id", "is not a team of this workspace");
  await db.transaction().execute(async (tx) => {
    const before = await store.findConversation(tx, actor.workspaceId, id);
    await store.updateConversation(tx, actor.workspaceId, id, patch);
    const after = await store.findConversation(tx, actor.workspaceId, id);
    const changes: Changes = {};
    for (const k of ["status", "assignee_id", "team_id"] as const)
      if (before && after && before[k] !== after[k]) changes[k] = [before[k], after[k]];
    // in the update's transaction: a status change and the rules it fires commit together
    if (Object.keys(changes).length > 0)
      await publish(tx, actor.workspaceId, { type: "conversation.changed", conversationId: id, changes, byUserId: actor.userId });
  });
  return getConversation(db, actor, id);
}
