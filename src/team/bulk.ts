import { type Actor, requirePermission } from "../accounts";
import type { ConversationStatus } from "../contracts/enums";
import { type Changes, publish } from "../events";
import { invalid } from "../shared/errors";
import { findMembership, findTeam } from "../store/accounts";
import type { Db, DbOrTx } from "../store/db";
import { findConversationOrThrow } from "../store/listening";
import * as store from "../store/team";

// Changing many conversations at once from the inbox list (assign, status, tag, close, snooze,
// read), in one transaction; each conversation whose status, assignee or team changed publishes
// conversation.changed like a single change does (rules run, the new assignee is told).
// Snooze hides a conversation from open lists until its time; the list query does the rest.

export type BulkInput = {
  ids: string[];
  status?: ConversationStatus;
  assignee_id?: string | null;
  team_id?: string | null;
  add_tags?: string[];
  remove_tags?: string[];
  snoozed_until?: string | null;
  read?: boolean;
};

async function checkRefs(db: DbOrTx, actor: Actor, input: { assignee_id?: string | null; team_id?: string | null }) {
  if (input.assignee_id && !(await findMembership(db, actor.workspaceId, input.assignee_id)))
    throw invalid("assignee_id", "is not a user of this workspace");
  if (input.team_id && !(await findTeam(db, actor.workspaceId, input.team_id))) throw invalid("team_id", "is not a team of this workspace");
}

function futureOrNull(field: string, value: string | null | undefined): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid(field, "is not a time");
  return at;
}

export async function bulkUpdate(db: Db, actor: Actor, input: BulkInput) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const ids = [...new Set(input.ids)];
  await checkRefs(db, actor, input);
  const snoozedUntil = futureOrNull("snoozed_until", input.snoozed_until);
  if (input.read !== undefined && !actor.userId) throw invalid("read", "read marks belong to a person: sign in");
  return db.transaction().execute(async (tx) => {
    const before = await store.conversationsForBulk(tx, ws, ids);
    const missing = ids.filter((id) => !before.some((b) => b.id === id));
    if (missing.length)
      throw invalid("ids", `${missing.length} of them are not conversations of this workspace (${missing.slice(0, 3).join(", ")})`);
    const patch = {
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.assignee_id !== undefined ? { assignee_id: input.assignee_id } : {}),
      ...(input.team_id !== undefined ? { team_id: input.team_id } : {}),
      ...(snoozedUntil !== undefined ? { snoozed_until: snoozedUntil } : {}),
    };
    await store.bulkSetConversations(tx, ws, ids, patch);
    if (input.add_tags?.length) await store.addConversationTags(tx, ws, ids, [...new Set(input.add_tags)]);
    if (input.remove_tags?.length) await store.removeConversationTags(tx, ws, ids, [...new Set(input.remove_tags)]);
    if (input.read === true && actor.userId) await store.markConversationsRead(tx, ws, actor.userId, ids, new Date());
    if (input.read === false && actor.userId) await store.markConversationsUnread(tx, ws, actor.userId, ids);
    for (const b of before) {
      const changes: Changes = {};
      for (const k of ["status", "assignee_id", "team_id"] as const) {
        if (patch[k] !== undefined && patch[k] !== b[k]) changes[k] = [b[k], patch[k]];
      }
      if (Object.keys(changes).length > 0)
        await publish(tx, ws, { type: "conversation.changed", conversationId: b.id, changes, byUserId: actor.userId });
    }
    return { updated: ids.length, ids };
  });
}

/** Hides the conversation from open lists until `until` (null wakes it now). */
export async function snoozeConversation(db: Db, actor: Actor, id: string, until: string | null) {
  requirePermission(actor, "crm:write");
  const at = futureOrNull("until", until) ?? null;
  if (at && at.getTime() <= Date.now()) throw invalid("until", "must be in the future");
  await findConversationOrThrow(db, actor.workspaceId, id);
  await store.bulkSetConversations(db, actor.workspaceId, [id], { snoozed_until: at });
  return { id, snoozed_until: at };
}

/** The actor has read the conversation as it is now (opening it in the app does this). */
export async function markConversationRead(db: DbOrTx, actor: Actor, id: string, read: boolean) {
  requirePermission(actor, "crm:read");
  await findConversationOrThrow(db, actor.workspaceId, id);
  if (!actor.userId) throw invalid("read", "read marks belong to a person: sign in");
  if (read) await store.markConversationsRead(db, actor.workspaceId, actor.userId, [id], new Date());
  else await store.markConversationsUnread(db, actor.workspaceId, actor.userId, [id]);
  return { id, unread: !read };
}
