import type { Insertable } from "kysely";
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { DbOrTx } from "./db";
import type { ConversationPatch } from "./listening";
import { deleteById, deleteWhere, findById, findByIds, pickByIds, updateById, updateStamped } from "./rows";
import type { ActivityTable } from "./schema";
import type { OutboxAttemptTable, OutboxTable, RuleNotificationTable, RuleRunTable, RuleTable, RuleVersionTable } from "./schema-rules";

// Automation rules (issue #6): every query of src/rules goes through here.

// ---------- Rule sets (one row per workspace: revision for the compile cache, round-robin cursors)

export function findRuleSet(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("rule_sets").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirst();
}

/** Workspaces that have no rule set yet (created before rule sets came with the workspace). */
export async function workspacesWithoutRuleSet(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .selectFrom("workspaces")
    .leftJoin("rule_sets", "rule_sets.workspace_id", "workspaces.id")
    .where("rule_sets.workspace_id", "is", null)
    .select("workspaces.id")
    .execute();
  return rows.map((r) => r.id);
}

/** Creates the row; true when this call created it (the caller then seeds the default rules). */
export async function claimRuleSet(db: DbOrTx, workspaceId: string): Promise<boolean> {
  const rows = await db
    .insertInto("rule_sets")
    .values({ workspace_id: workspaceId, cursors: "{}", defaults_seeded_at: new Date() })
    .onConflict((oc) => oc.column("workspace_id").doNothing())
    .returning("workspace_id")
    .execute();
  return rows.length > 0;
}

export async function bumpRevision(db: DbOrTx, workspaceId: string) {
  await db.updateTable("rule_sets").set({ revision: sql`revision + 1` }).where("workspace_id", "=", workspaceId).execute();
}

export async function saveCursors(db: DbOrTx, workspaceId: string, cursors: Record<string, number>) {
  await db
    .updateTable("rule_sets")
    .set({ cursors: JSON.stringify(cursors) })
    .where("workspace_id", "=", workspaceId)
    .execute();
}

export async function setTimeZone(db: DbOrTx, workspaceId: string, timeZone: string) {
  await db.updateTable("rule_sets").set({ time_zone: timeZone }).where("workspace_id", "=", workspaceId).execute();
}

// ---------- Rules and versions

export function listRules(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("rules")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("position")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function findRule(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "rules", workspaceId, id);
}

export function findRuleByKey(db: DbOrTx, workspaceId: string, key: string) {
  return db.selectFrom("rules").selectAll().where("workspace_id", "=", workspaceId).where("key", "=", key).executeTakeFirst();
}

export async function nextPosition(db: DbOrTx, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("rules")
    .select(sql<number>`coalesce(max(position), -1) + 1`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertRule(db: DbOrTx, row: Insertable<RuleTable>) {
  await db.insertInto("rules").values(row).execute();
}

export async function updateRule(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  patch: {
    name?: string;
    description?: string | null;
    enabled?: boolean;
    trigger?: string;
    version?: number;
    position?: number;
    definition?: string;
  },
) {
  await updateStamped(db, "rules", workspaceId, id, patch);
}

export async function setPositions(db: DbOrTx, workspaceId: string, ids: string[]) {
  for (const [i, id] of ids.entries()) await updateById(db, "rules", workspaceId, id, { position: i });
}

export async function deleteRule(db: DbOrTx, workspaceId: string, id: string) {
  return (await deleteById(db, "rules", workspaceId, id)) > 0;
}

export async function insertVersion(db: DbOrTx, row: Insertable<RuleVersionTable>) {
  await db.insertInto("rule_versions").values(row).execute();
}

export function listVersions(db: DbOrTx, workspaceId: string, ruleId: string) {
  return db
    .selectFrom("rule_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("rule_id", "=", ruleId)
    .orderBy("version", "desc")
    .execute();
}

export function findVersion(db: DbOrTx, workspaceId: string, ruleId: string, version: number) {
  return db
    .selectFrom("rule_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("rule_id", "=", ruleId)
    .where("version", "=", version)
    .executeTakeFirst();
}

export function scheduledRules(db: DbOrTx) {
  return db.selectFrom("rules").selectAll().where("trigger", "=", "schedule").where("enabled", "=", true).execute();
}

export async function markScheduled(db: DbOrTx, workspaceId: string, id: string, at: Date) {
  await updateById(db, "rules", workspaceId, id, { last_scheduled_at: at });
}

export async function ruleTimeZone(db: DbOrTx, workspaceId: string): Promise<string> {
  return (await findRuleSet(db, workspaceId))?.time_zone ?? "UTC";
}

// ---------- Runs (exactly once per rule and event)

export async function existingRunKeys(db: DbOrTx, workspaceId: string, eventKeys: string[]): Promise<Set<string>> {
  if (eventKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom("rule_runs")
    .select(["rule_id", "event_key"])
    .where("workspace_id", "=", workspaceId)
    .where("event_key", "in", eventKeys)
    .execute();
  return new Set(rows.map((r) => `${r.rule_id}\u0000${r.event_key}`));
}

export async function insertRuns(db: DbOrTx, rows: Insertable<RuleRunTable>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("rule_runs")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(["workspace_id", "rule_id", "event_key"]).doNothing())
      .execute();
  }
}

function runsQuery(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("rule_runs as r")
    .leftJoin("rules as ru", (j) => j.onRef("ru.workspace_id", "=", "r.workspace_id").onRef("ru.id", "=", "r.rule_id"))
    .selectAll("r")
    .select(sql<string | null>`ru.name`.as("rule_name"))
    .where("r.workspace_id", "=", workspaceId);
}

export function runsOfMessage(db: DbOrTx, workspaceId: string, messageId: string) {
  return runsQuery(db, workspaceId).where("r.message_id", "=", messageId).orderBy("r.created_at").execute();
}

export function runsOfConversation(db: DbOrTx, workspaceId: string, conversationId: string) {
  return runsQuery(db, workspaceId).where("r.conversation_id", "=", conversationId).orderBy("r.created_at").limit(500).execute();
}

export function runsOfRule(db: DbOrTx, workspaceId: string, ruleId: string, limit: number) {
  return runsQuery(db, workspaceId).where("r.rule_id", "=", ruleId).orderBy("r.created_at", "desc").limit(limit).execute();
}

// ---------- What conditions read

export function messagesByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "messages", workspaceId, ids, [
    "id",
    "channel_id",
    "network",
    "conversation_id",
    "profile_id",
    "author_handle",
    "author_name",
    "text",
    "subject",
    "language",
    "posted_at",
    "is_public",
    "direction",
    "sentiment",
    "sentiment_score",
    "labels",
    "priority",
    "topics",
    "products",
    "url",
  ]);
}
export type RuleMessage = Awaited<ReturnType<typeof messagesByIds>>[number];

export function recentMessageIds(db: DbOrTx, workspaceId: string, limit: number) {
  return db
    .selectFrom("messages")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .orderBy("posted_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export function conversationsByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "conversations", workspaceId, ids, [
    "id",
    "status",
    "team_id",
    "assignee_id",
    "priority",
    "message_count",
    "subject",
  ]);
}

export function profilesByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "profiles", workspaceId, ids, ["id", "network", "handle", "display_name", "followers", "verified", "contact_id"]);
}

export function contactsByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "contacts", workspaceId, ids, [
    "id",
    "name",
    "lifecycle_stage",
    "tags",
    "custom",
    "organization_id",
    "emails",
    "owner_id",
  ]);
}

export async function tagsOfConversations(db: DbOrTx, workspaceId: string, ids: string[]) {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("conversation_tags")
    .select(["conversation_id", "tag"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", ids)
    .execute();
  for (const r of rows) out.set(r.conversation_id, [...(out.get(r.conversation_id) ?? []), r.tag]);
  return out;
}

/** The contacts among `contactIds` that a segment's filter (already compiled over alias t) selects. */
export async function contactsMatching(db: DbOrTx, workspaceId: string, contactIds: string[], where: RawBuilder<SqlBool>) {
  if (contactIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom("contacts as t")
    .select("t.id")
    .where("t.workspace_id", "=", workspaceId)
    .where("t.id", "in", contactIds)
    .where(where)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export function segmentsByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return findByIds(db, "segments", workspaceId, ids);
}

// ---------- What actions write

export { updateConversation as patchConversation } from "./listening";

/** The same change on many conversations, in one statement per 1,000. */
export async function patchConversations(db: DbOrTx, workspaceId: string, ids: string[], patch: ConversationPatch) {
  if (Object.keys(patch).length === 0) return;
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .updateTable("conversations")
      .set({ ...patch, updated_at: sql`now()` })
      .where("workspace_id", "=", workspaceId)
      .where("id", "in", ids.slice(i, i + 1000))
      .execute();
  }
}

export async function addConversationTags(db: DbOrTx, rows: Array<{ workspace_id: string; conversation_id: string; tag: string }>) {
  if (rows.length === 0) return;
  await db
    .insertInto("conversation_tags")
    .values(rows)
    .onConflict((oc) => oc.columns(["workspace_id", "conversation_id", "tag"]).doNothing())
    .execute();
}

export async function removeConversationTags(db: DbOrTx, workspaceId: string, conversationId: string, tags: string[]) {
  if (tags.length === 0) return;
  await db
    .deleteFrom("conversation_tags")
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("tag", "in", tags)
    .execute();
}

export async function addContactTags(db: DbOrTx, workspaceId: string, contactId: string, tags: string[]) {
  await db
    .updateTable("contacts")
    .set({
      tags: sql`(select coalesce(array_agg(distinct t), '{}') from unnest(tags || ${sql.val(tags)}::text[]) t)`,
      updated_at: sql`now()`,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contactId)
    .execute();
}

export { setContactStage } from "./crm";

export async function insertActivities(db: DbOrTx, rows: Insertable<ActivityTable>[]) {
  if (rows.length) await db.insertInto("activities").values(rows).execute();
}

export async function insertNotifications(db: DbOrTx, rows: Insertable<RuleNotificationTable>[]) {
  if (rows.length) await db.insertInto("rule_notifications").values(rows).execute();
}

// ---------- Teams, members, presence, load

export function teamsOf(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("teams").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute();
}

export async function insertTeamIfMissing(db: DbOrTx, row: { workspace_id: string; id: string; name: string; description: string }) {
  await db
    .insertInto("teams")
    .values(row)
    .onConflict((oc) => oc.expression(sql`workspace_id, lower(name)`).doNothing())
    .execute();
}

/** Members of a team with their skills, whether they were active in the last 15 minutes, and their open conversations. */
export async function teamRoster(db: DbOrTx, workspaceId: string, teamId: string) {
  return db
    .selectFrom("team_members as tm")
    .select([
      "tm.user_id",
      sql<string[]>`coalesce((select array_agg(s.skill) from member_skills s
        where s.workspace_id = tm.workspace_id and s.user_id = tm.user_id), '{}')`.as("skills"),
      sql<boolean>`exists (select 1 from sessions se where se.workspace_id = tm.workspace_id and se.user_id = tm.user_id
        and se.expires_at > now() and se.created_at > now() - interval '15 minutes')
        or exists (select 1 from audit_events ae where ae.workspace_id = tm.workspace_id
        and ae.actor = 'user:' || tm.user_id::text and ae.created_at > now() - interval '15 minutes')`.as("online"),
      sql<number>`(select count(*)::int from conversations c where c.workspace_id = tm.workspace_id
        and c.assignee_id = tm.user_id and c.status in ('new', 'open', 'pending'))`.as("load"),
    ])
    .where("tm.workspace_id", "=", workspaceId)
    .where("tm.team_id", "=", teamId)
    .orderBy("tm.user_id")
    .execute();
}

export { membersByIds, membersWithRoles } from "./accounts";

export function skillsOf(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("member_skills").select(["user_id", "skill"]).where("workspace_id", "=", workspaceId).orderBy("user_id").execute();
}

export async function setSkills(db: DbOrTx, workspaceId: string, userId: string, skills: string[]) {
  await deleteWhere(db, "member_skills", workspaceId, "user_id", userId);
  if (skills.length) {
    await db
      .insertInto("member_skills")
      .values(skills.map((skill) => ({ workspace_id: workspaceId, user_id: userId, skill })))
      .execute();
  }
}

// ---------- Outbox

export async function insertOutbox(db: DbOrTx, rows: Insertable<OutboxTable>[]) {
  if (rows.length) await db.insertInto("outbox").values(rows).execute();
}

/** Rows whose ids are derived from what they are about: one already there is left alone (no duplicate). */
export async function insertOutboxOnce(db: DbOrTx, rows: Insertable<OutboxTable>[]) {
  if (rows.length)
    await db
      .insertInto("outbox")
      .values(rows)
      .onConflict((oc) => oc.columns(["workspace_id", "id"]).doNothing())
      .execute();
}

/** Due deliveries, claimed by pushing their next attempt out (a crashed worker's claim expires). */
export async function claimDueOutbox(db: DbOrTx, limit: number, leaseSeconds: number) {
  const rows = await db
    .selectFrom("outbox")
    .selectAll()
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", sql<Date>`now()`)
    .orderBy("next_attempt_at")
    .limit(limit)
    .execute();
  const claimed = [];
  for (const r of rows) {
    const u = await db
      .updateTable("outbox")
      .set({ next_attempt_at: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where("workspace_id", "=", r.workspace_id)
      .where("id", "=", r.id)
      .where("status", "=", "pending")
      .where("attempts", "=", r.attempts)
      .where("next_attempt_at", "<=", sql<Date>`now()`)
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) > 0) claimed.push(r);
  }
  return claimed;
}

export async function recordAttempt(
  db: DbOrTx,
  attempt: Insertable<OutboxAttemptTable>,
  outcome: { status: "pending" | "delivered" | "failed"; retryInSeconds?: number; error?: string | null },
) {
  await db.insertInto("outbox_attempts").values(attempt).execute();
  await db
    .updateTable("outbox")
    .set({
      status: outcome.status,
      attempts: attempt.attempt,
      last_error: outcome.error ?? null,
      delivered_at: outcome.status === "delivered" ? new Date() : null,
      next_attempt_at: sql`now() + make_interval(secs => ${outcome.retryInSeconds ?? 0})`,
    })
    .where("workspace_id", "=", attempt.workspace_id)
    .where("id", "=", attempt.outbox_id)
    .execute();
}

export function listOutbox(db: DbOrTx, workspaceId: string, limit: number) {
  return (
    db
      .selectFrom("outbox")
      .selectAll()
      .select(
        sql<unknown>`coalesce((select json_agg(json_build_object('attempt', a.attempt, 'ok', a.ok, 'status_code', a.status_code,
        'error', a.error, 'duration_ms', a.duration_ms, 'at', a.created_at) order by a.attempt) from outbox_attempts a
        where a.workspace_id = outbox.workspace_id and a.outbox_id = outbox.id), '[]'::json)`.as("deliveries"),
      )
      .where("workspace_id", "=", workspaceId)
      // the rules' own deliveries; replies (engage) are shown on their conversation
      .where("kind", "in", ["webhook", "email"])
      .$narrowType<{ kind: "webhook" | "email" }>()
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute()
  );
}

// ---------- Webhook secrets stored in plaintext before they were sealed (src/rules/secrets.ts)

const plainSecret = sql<SqlBool>`jsonb_path_exists(definition, '$.actions[*].secret')`;

export function rulesWithPlainSecrets(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("rules")
    .select(["id", "version", "definition"])
    .where("workspace_id", "=", workspaceId)
    .where(plainSecret)
    .execute();
}

export function versionsWithPlainSecrets(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("rule_versions")
    .select(["rule_id", "version", "definition"])
    .where("workspace_id", "=", workspaceId)
    .where(plainSecret)
    .execute();
}

export function outboxWithPlainSecrets(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("outbox")
    .select(["id", "payload"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "webhook")
    .where(sql<SqlBool>`payload ->> 'secret' is not null`)
    .execute();
}

/** Rewrites a rule's definition in place (same version: only its storage changes). */
export async function replaceRuleDefinition(db: DbOrTx, workspaceId: string, id: string, version: number, definition: string) {
  const r = await db
    .updateTable("rules")
    .set({ definition })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function replaceVersionDefinition(db: DbOrTx, workspaceId: string, ruleId: string, version: number, definition: string) {
  const r = await db
    .updateTable("rule_versions")
    .set({ definition })
    .where("workspace_id", "=", workspaceId)
    .where("rule_id", "=", ruleId)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function replaceOutboxPayload(db: DbOrTx, workspaceId: string, id: string, payload: string) {
  return updateById(db, "outbox", workspaceId, id, { payload });
}
