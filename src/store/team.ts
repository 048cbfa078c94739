import { type Insertable, sql, type Updateable } from "kysely";
import type { ConversationStatus } from "../contracts/enums";
import type { DbOrTx } from "./db";
import { orThrow, touchedOrThrow } from "./errors";
import { deleteById, findById, updateStamped } from "./rows";
import type { RuleNotificationTable } from "./schema-rules";
import type { CannedResponseTable, ConversationNoteTable, SavedViewTable } from "./schema-team";

// Working as a team in the inbox: notes, the notification centre, email preferences, canned
// responses, saved views, snooze, bulk changes and read marks (migration 019).

// ---------- Members (mentions and canned responses name them)

export function workspaceMembers(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.name"])
    .where("m.workspace_id", "=", workspaceId)
    .orderBy("u.name")
    .execute();
}

// ---------- Notes

export async function insertNote(db: DbOrTx, row: Insertable<ConversationNoteTable>) {
  await db.insertInto("conversation_notes").values(row).execute();
}

export function notesOf(db: DbOrTx, workspaceId: string, conversationId: string) {
  return db
    .selectFrom("conversation_notes")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .orderBy("created_at")
    .orderBy("id")
    .limit(1000)
    .execute();
}

// ---------- Notifications (the rules' table, now for every kind)

export type NewNotification = Insertable<RuleNotificationTable>;

/** Writes notifications; one with a dedupe key already told to its user is left out. Answers those written. */
export async function insertNotifications(db: DbOrTx, rows: NewNotification[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto("rule_notifications")
    .values(rows)
    .onConflict((oc) => oc.columns(["workspace_id", "user_id", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .returning(["id", "user_id", "kind", "title", "body", "link"])
    .execute();
}

export function notificationsPage(
  db: DbOrTx,
  f: { workspaceId: string; userId: string; unreadOnly: boolean; after?: [string, string]; limit: number },
) {
  let q = db.selectFrom("rule_notifications").selectAll().where("workspace_id", "=", f.workspaceId).where("user_id", "=", f.userId);
  if (f.unreadOnly) q = q.where("read_at", "is", null);
  if (f.after) q = q.where(sql<boolean>`(created_at, id) < (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`);
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(f.limit).execute();
}

export async function unreadNotificationCount(db: DbOrTx, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom("rule_notifications")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks the user's notifications read (all of them when ids is absent); answers how many changed. */
export async function markNotificationsRead(db: DbOrTx, workspaceId: string, userId: string, ids?: string[]) {
  if (ids && ids.length === 0) return 0;
  let q = db
    .updateTable("rule_notifications")
    .set({ read_at: sql`now()` })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("read_at", "is", null);
  if (ids) q = q.where("id", "in", ids);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function emailKindsOf(db: DbOrTx, workspaceId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["user_id", "email_kinds"])
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "in", userIds)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.email_kinds]));
}

export async function setEmailKinds(db: DbOrTx, workspaceId: string, userId: string, kinds: string[]) {
  await db
    .insertInto("notification_preferences")
    .values({ workspace_id: workspaceId, user_id: userId, email_kinds: kinds })
    .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doUpdateSet({ email_kinds: kinds, updated_at: sql`now()` }))
    .execute();
}

export async function digestOf(db: DbOrTx, workspaceId: string, userId: string): Promise<"off" | "daily" | "weekly"> {
  const row = await db
    .selectFrom("notification_preferences")
    .select("digest")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.digest ?? "off";
}

export async function setDigest(db: DbOrTx, workspaceId: string, userId: string, digest: "off" | "daily" | "weekly") {
  await db
    .insertInto("notification_preferences")
    .values({ workspace_id: workspaceId, user_id: userId, digest })
    .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doUpdateSet({ digest, updated_at: sql`now()` }))
    .execute();
}

/** Everyone who asked for a digest and is still a member: their address, name and role. */
export function digestSubscribers(db: DbOrTx) {
  return db
    .selectFrom("notification_preferences as p")
    .innerJoin("memberships as m", (j) => j.onRef("m.workspace_id", "=", "p.workspace_id").onRef("m.user_id", "=", "p.user_id"))
    .innerJoin("users as u", "u.id", "p.user_id")
    .innerJoin("workspaces as w", "w.id", "p.workspace_id")
    .select(["p.workspace_id", "p.user_id", "p.digest", "p.digest_sent_for", "u.email", "u.name", "m.role", "w.name as workspace_name"])
    .where("p.digest", "!=", "off")
    .orderBy("p.workspace_id")
    .execute();
}

export async function markDigestSent(db: DbOrTx, workspaceId: string, userId: string, period: string) {
  await db
    .updateTable("notification_preferences")
    .set({ digest_sent_for: period })
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .execute();
}

// ---------- Canned responses

export function listCanned(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("canned_responses").selectAll().where("workspace_id", "=", workspaceId).orderBy("shortcut").execute();
}
export const findCannedOrThrow = (db: DbOrTx, workspaceId: string, id: string) =>
  orThrow(findById(db, "canned_responses", workspaceId, id), "Canned response");
export async function insertCanned(db: DbOrTx, row: Insertable<CannedResponseTable>) {
  await db.insertInto("canned_responses").values(row).execute();
}
export const updateCanned = (db: DbOrTx, workspaceId: string, id: string, patch: Updateable<CannedResponseTable>) =>
  updateStamped(db, "canned_responses", workspaceId, id, patch);
export const deleteCannedOrThrow = (db: DbOrTx, workspaceId: string, id: string) =>
  touchedOrThrow(deleteById(db, "canned_responses", workspaceId, id), "Canned response");

/** What a canned response's variables read on a conversation: its customer's contact and its newest case. */
export async function cannedContext(db: DbOrTx, workspaceId: string, conversationId: string) {
  const contact = await db
    .selectFrom("messages as m")
    .innerJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "m.workspace_id").onRef("p.id", "=", "m.profile_id"))
    .innerJoin("contacts as c", (j) => j.onRef("c.workspace_id", "=", "p.workspace_id").onRef("c.id", "=", "p.contact_id"))
    .select(["c.first_name", "c.last_name", "c.name", "p.display_name", "p.handle"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.conversation_id", "=", conversationId)
    .where("m.direction", "=", "inbound")
    .orderBy("m.posted_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const author = contact
    ? undefined
    : await db
        .selectFrom("messages")
        .select(["author_name", "author_handle"])
        .where("workspace_id", "=", workspaceId)
        .where("conversation_id", "=", conversationId)
        .where("direction", "=", "inbound")
        .orderBy("posted_at", "desc")
        .limit(1)
        .executeTakeFirst();
  const kase = await db
    .selectFrom("case_conversations as cc")
    .innerJoin("cases as k", (j) => j.onRef("k.workspace_id", "=", "cc.workspace_id").onRef("k.id", "=", "cc.case_id"))
    .select(["k.number", "k.subject"])
    .where("cc.workspace_id", "=", workspaceId)
    .where("cc.conversation_id", "=", conversationId)
    .orderBy("k.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return { contact, author, kase };
}

// ---------- Saved views

export function listViews(db: DbOrTx, workspaceId: string, userId: string | null) {
  return db
    .selectFrom("saved_views")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => (userId ? eb.or([eb("owner_id", "is", null), eb("owner_id", "=", userId)]) : eb("owner_id", "is", null)))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}
export const findViewOrThrow = (db: DbOrTx, workspaceId: string, id: string) =>
  orThrow(findById(db, "saved_views", workspaceId, id), "Saved view");
export async function insertView(db: DbOrTx, row: Insertable<SavedViewTable>) {
  await db.insertInto("saved_views").values(row).execute();
}
export const updateView = (db: DbOrTx, workspaceId: string, id: string, patch: Updateable<SavedViewTable>) =>
  updateStamped(db, "saved_views", workspaceId, id, patch);
export const deleteViewOrThrow = (db: DbOrTx, workspaceId: string, id: string) =>
  touchedOrThrow(deleteById(db, "saved_views", workspaceId, id), "Saved view");

// ---------- Bulk changes, snooze and read marks

/** The conversations of this workspace among ids, with the fields a bulk change may touch. */
export function conversationsForBulk(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("conversations")
    .select(["id", "status", "assignee_id", "team_id", "snoozed_until"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
}

export async function bulkSetConversations(
  db: DbOrTx,
  workspaceId: string,
  ids: string[],
  patch: { status?: ConversationStatus; assignee_id?: string | null; team_id?: string | null; snoozed_until?: Date | null },
) {
  if (ids.length === 0 || Object.keys(patch).length === 0) return;
  await db
    .updateTable("conversations")
    .set({ ...patch, updated_at: sql`now()` })
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
}

export async function addConversationTags(db: DbOrTx, workspaceId: string, ids: string[], tags: string[]) {
  const rows = ids.flatMap((id) => tags.map((tag) => ({ workspace_id: workspaceId, conversation_id: id, tag })));
  if (rows.length)
    await db
      .insertInto("conversation_tags")
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function removeConversationTags(db: DbOrTx, workspaceId: string, ids: string[], tags: string[]) {
  if (ids.length === 0 || tags.length === 0) return;
  await db
    .deleteFrom("conversation_tags")
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", ids)
    .where("tag", "in", tags)
    .execute();
}

export async function markConversationsRead(db: DbOrTx, workspaceId: string, userId: string, ids: string[], at: Date) {
  if (ids.length === 0) return;
  await db
    .insertInto("conversation_reads")
    .values(ids.map((id) => ({ workspace_id: workspaceId, user_id: userId, conversation_id: id, read_at: at })))
    .onConflict((oc) => oc.columns(["workspace_id", "user_id", "conversation_id"]).doUpdateSet({ read_at: at }))
    .execute();
}

export async function markConversationsUnread(db: DbOrTx, workspaceId: string, userId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .deleteFrom("conversation_reads")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("conversation_id", "in", ids)
    .execute();
}

/** The newest case on a conversation (an assignment's link names it). */
export function caseById(db: DbOrTx, workspaceId: string, id: string) {
  return db
    .selectFrom("cases")
    .select(["id", "number", "subject", "assignee_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
}
