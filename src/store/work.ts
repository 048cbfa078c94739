import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { DbOrTx } from "./db";
import {
  deleteById,
  deleteWhere,
  findById,
  historyOf,
  pageDescending,
  pickById,
  pickByIds,
  updateById,
  updateStamped,
  updateWhere,
} from "./rows";
import type {
  CaseEventTable,
  CaseRow,
  CaseTable,
  DealStageHistoryTable,
  DealTable,
  IdeaTable,
  IdeaVoteTable,
  PipelineStageTable,
  PipelineTable,
  SlaPolicyTable,
} from "./schema-work";

// SQL of cases, SLA policies, pipelines, deals and ideas (issue #6).

/** Next value of a per-workspace counter (case numbers), safe under concurrency. */
export async function nextCounter(db: DbOrTx, workspaceId: string, kind: string, start: number): Promise<number> {
  const row = await db
    .insertInto("work_counters")
    .values({ workspace_id: workspaceId, kind, value: start })
    .onConflict((oc) => oc.columns(["workspace_id", "kind"]).doUpdateSet({ value: sql`work_counters.value + 1` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// ---------- SLA policies and pipelines: per-workspace settings with one default row

type DefaultedTable = "sla_policies" | "pipelines";

/** Inserts a workspace's default row unless it has one (a partial unique index on is_default decides); true if inserted. */
async function insertIfNoDefault(db: DbOrTx, table: DefaultedTable, row: Insertable<SlaPolicyTable> | Insertable<PipelineTable>) {
  const res = await db
    .insertInto(table)
    .values(row as Insertable<SlaPolicyTable> & Insertable<PipelineTable>)
    .onConflict((oc) => oc.column("workspace_id").where("is_default", "=", true).doNothing())
    .returning("workspace_id")
    .executeTakeFirst();
  return !!res;
}

// ---------- SLA policies

export function listSlaPolicies(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("sla_policies")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("is_default", "desc")
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}
export function findSlaPolicy(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "sla_policies", workspaceId, id);
}
export function findSlaPoliciesByIds(db: DbOrTx, workspaceIds: string[], ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("sla_policies").selectAll().where("workspace_id", "in", workspaceIds).where("id", "in", ids).execute();
}
export function insertSlaPolicyIfNoDefault(db: DbOrTx, row: Insertable<SlaPolicyTable>): Promise<boolean> {
  return insertIfNoDefault(db, "sla_policies", row);
}
export async function insertSlaPolicy(db: DbOrTx, row: Insertable<SlaPolicyTable>) {
  await db.insertInto("sla_policies").values(row).execute();
}
export async function updateSlaPolicy(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<SlaPolicyTable>) {
  await updateStamped(db, "sla_policies", workspaceId, id, patch);
}
export async function clearDefaultSlaPolicy(db: DbOrTx, workspaceId: string) {
  await updateWhere(db, "sla_policies", workspaceId, "is_default", true, { is_default: false });
}
export async function deleteSlaPolicy(db: DbOrTx, workspaceId: string, id: string) {
  await updateWhere(db, "cases", workspaceId, "sla_policy_id", id, { sla_policy_id: null });
  await deleteById(db, "sla_policies", workspaceId, id);
}

// ---------- Cases, deals and ideas: the same update of one work item

type WorkItemTables = { cases: CaseTable; deals: DealTable; ideas: IdeaTable };

/** Updates one work item, stamps updated_at, and returns the row as it is now. */
function updateWorkItem<T extends keyof WorkItemTables>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  id: string,
  patch: Updateable<WorkItemTables[T]>,
): Promise<Selectable<WorkItemTables[T]>> {
  return db
    .updateTable(table as keyof WorkItemTables)
    .set({ ...(patch as Updateable<CaseTable & DealTable & IdeaTable>), updated_at: sql`now()` })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<Selectable<WorkItemTables[T]>>;
}

// ---------- Cases

export async function insertCase(db: DbOrTx, row: Insertable<CaseTable>) {
  return db.insertInto("cases").values(row).returningAll().executeTakeFirstOrThrow();
}
export function findCase(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "cases", workspaceId, id);
}
export function findCaseForUpdate(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom("cases").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).forUpdate().executeTakeFirst();
}
export function updateCase(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<CaseTable>): Promise<CaseRow> {
  return updateWorkItem(db, "cases", workspaceId, id, patch);
}
async function caseIdsOfConversation(db: DbOrTx, workspaceId: string, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("case_conversations")
    .select("case_id")
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .execute();
  return rows.map((r) => r.case_id);
}
// Two index lookups rather than a join: most conversations have no case, and the
// planner of an unanalyzed embedded store picks a scan for the join.
/** The newest unsolved case a conversation is linked to. */
export async function findOpenCaseOfConversation(db: DbOrTx, workspaceId: string, conversationId: string) {
  const ids = await caseIdsOfConversation(db, workspaceId, conversationId);
  if (ids.length === 0) return undefined;
  return db
    .selectFrom("cases")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .where("status", "not in", ["solved", "closed"])
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}
export async function casesAwaitingFirstResponse(db: DbOrTx, workspaceId: string, conversationId: string) {
  const ids = await caseIdsOfConversation(db, workspaceId, conversationId);
  if (ids.length === 0) return [];
  return db
    .selectFrom("cases")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .where("first_responded_at", "is", null)
    .where("status", "!=", "closed")
    .execute();
}
export async function linkCaseConversation(
  db: DbOrTx,
  workspaceId: string,
  caseId: string,
  conversationId: string,
  linkedBy: string | null,
) {
  const res = await db
    .insertInto("case_conversations")
    .values({ workspace_id: workspaceId, case_id: caseId, conversation_id: conversationId, linked_by: linkedBy })
    .onConflict((oc) => oc.columns(["workspace_id", "case_id", "conversation_id"]).doNothing())
    .returning("workspace_id")
    .executeTakeFirst();
  return !!res;
}
export function caseConversations(db: DbOrTx, workspaceId: string, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("case_conversations as cc")
    .leftJoin("conversations as cv", (j) => j.onRef("cv.workspace_id", "=", "cc.workspace_id").onRef("cv.id", "=", "cc.conversation_id"))
    .select(["cc.case_id", "cc.conversation_id", "cv.subject", "cv.network", "cv.status", "cv.last_message_at"])
    .where("cc.workspace_id", "=", workspaceId)
    .where("cc.case_id", "in", caseIds)
    .orderBy("cc.created_at")
    .execute();
}
export function findConversation(db: DbOrTx, workspaceId: string, id: string) {
  return pickById(db, "conversations", workspaceId, id, ["id", "subject", "network"]);
}
/** The contact behind a conversation's first author, if linked. */
export async function conversationContact(db: DbOrTx, workspaceId: string, conversationId: string) {
  const row = await db
    .selectFrom("messages as m")
    .innerJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "m.workspace_id").onRef("p.id", "=", "m.profile_id"))
    .select(["p.contact_id"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.conversation_id", "=", conversationId)
    .where("m.direction", "=", "inbound")
    .where("p.contact_id", "is not", null)
    .orderBy("m.posted_at")
    .limit(1)
    .executeTakeFirst();
  return row?.contact_id ?? null;
}
export function conversationMessages(db: DbOrTx, workspaceId: string, conversationIds: string[], limit = 200) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("messages")
    .select([
      "id",
      "conversation_id",
      "network",
      "url",
      "author_handle",
      "author_name",
      "text",
      "posted_at",
      "direction",
      "sentiment",
      "profile_id",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", conversationIds)
    .orderBy("posted_at")
    .limit(limit)
    .execute();
}

export async function insertCaseEvent(db: DbOrTx, row: Insertable<CaseEventTable>) {
  await db.insertInto("case_events").values(row).execute();
}
export function listCaseEvents(db: DbOrTx, workspaceId: string, caseId: string) {
  return historyOf(db, "case_events", workspaceId, "case_id", caseId);
}

export type CaseFilter = {
  status?: string[];
  priority?: string[];
  team_id?: string;
  assignee_id?: string | null;
  contact_id?: string;
  breached?: boolean;
  q?: string;
};
export async function listCases(
  db: DbOrTx,
  workspaceId: string,
  f: CaseFilter,
  after: [string, string] | undefined,
  limit: number,
): Promise<CaseRow[]> {
  let q = db.selectFrom("cases").selectAll().where("workspace_id", "=", workspaceId);
  if (f.status?.length) q = q.where("status", "in", f.status as CaseRow["status"][]);
  if (f.priority?.length) q = q.where("priority", "in", f.priority as CaseRow["priority"][]);
  if (f.team_id) q = q.where("team_id", "=", f.team_id);
  if (f.assignee_id === null) q = q.where("assignee_id", "is", null);
  else if (f.assignee_id) q = q.where("assignee_id", "=", f.assignee_id);
  if (f.contact_id) q = q.where("contact_id", "=", f.contact_id);
  if (f.breached === true) q = q.where((eb) => eb.or([eb("first_response_breached", "=", true), eb("resolution_breached", "=", true)]));
  if (f.breached === false) q = q.where("first_response_breached", "=", false).where("resolution_breached", "=", false);
  if (f.q) {
    const term = f.q.trim();
    const asNumber = /^#?\d+$/.test(term) ? Number(term.replace("#", "")) : null;
    q = q.where((eb) =>
      eb.or([
        eb("subject", "ilike", `%${escapeLike(term)}%`),
        eb("description", "ilike", `%${escapeLike(term)}%`),
        ...(asNumber !== null ? [eb("number", "=", asNumber)] : []),
      ]),
    );
  }
  return pageDescending(q, "created_at", "timestamptz", after, limit);
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Cases whose SLA may need a warning or breach record: any workspace, not paused, not met, not yet flagged. */
export function slaCandidates(db: DbOrTx, now: Date) {
  return db
    .selectFrom("cases")
    .selectAll()
    .where("paused_at", "is", null)
    .where("status", "not in", ["solved", "closed"])
    .where((eb) =>
      eb.or([
        eb.and([eb("first_responded_at", "is", null), eb("first_response_breached", "=", false), eb("first_response_warn_at", "<=", now)]),
        eb.and([eb("resolved_at", "is", null), eb("resolution_breached", "=", false), eb("resolution_warn_at", "<=", now)]),
      ]),
    )
    .limit(5000)
    .execute();
}

/** Sets an SLA flag only if it was not set yet; true when this call set it. */
export async function setSlaFlag(
  db: DbOrTx,
  workspaceId: string,
  caseId: string,
  flag: "first_response_warning_sent" | "first_response_breached" | "resolution_warning_sent" | "resolution_breached",
): Promise<boolean> {
  const patch: Updateable<CaseTable> = { [flag]: true };
  if (flag === "first_response_breached") patch.first_response_warning_sent = true;
  if (flag === "resolution_breached") patch.resolution_warning_sent = true;
  const res = await db
    .updateTable("cases")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", caseId)
    .where(flag, "=", false)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

// ---------- Pipelines

export function listPipelines(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("pipelines")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("is_default", "desc")
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}
export function listStages(db: DbOrTx, workspaceId: string, pipelineIds?: string[]) {
  let q = db.selectFrom("pipeline_stages").selectAll().where("workspace_id", "=", workspaceId);
  if (pipelineIds) {
    if (pipelineIds.length === 0) return Promise.resolve([]);
    q = q.where("pipeline_id", "in", pipelineIds);
  }
  return q.orderBy("pipeline_id").orderBy("position").execute();
}
export function findPipeline(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "pipelines", workspaceId, id);
}
export function findDefaultPipeline(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("pipelines").selectAll().where("workspace_id", "=", workspaceId).where("is_default", "=", true).executeTakeFirst();
}
export function findStage(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom("pipeline_stages").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
}
export function insertPipelineIfNoDefault(db: DbOrTx, row: Insertable<PipelineTable>): Promise<boolean> {
  return insertIfNoDefault(db, "pipelines", row);
}
export async function insertPipeline(db: DbOrTx, row: Insertable<PipelineTable>) {
  await db.insertInto("pipelines").values(row).execute();
}
export async function updatePipeline(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<PipelineTable>) {
  await updateStamped(db, "pipelines", workspaceId, id, patch);
}
export async function insertStages(db: DbOrTx, rows: Insertable<PipelineStageTable>[]) {
  if (rows.length) await db.insertInto("pipeline_stages").values(rows).execute();
}
export async function updateStage(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<PipelineStageTable>) {
  await updateById(db, "pipeline_stages", workspaceId, id, patch);
}
export async function deleteStages(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length) await db.deleteFrom("pipeline_stages").where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();
}
export async function countDealsInStages(db: DbOrTx, workspaceId: string, stageIds: string[]) {
  if (stageIds.length === 0) return 0;
  const row = await db
    .selectFrom("deals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("stage_id", "in", stageIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------- Deals

export async function insertDeal(db: DbOrTx, row: Insertable<DealTable>) {
  return db.insertInto("deals").values(row).returningAll().executeTakeFirstOrThrow();
}
export function findDeal(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "deals", workspaceId, id);
}
export function updateDeal(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<DealTable>) {
  return updateWorkItem(db, "deals", workspaceId, id, patch);
}
export function findOpenDealOfConversation(db: DbOrTx, workspaceId: string, conversationId: string) {
  return db
    .selectFrom("deals")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .where("status", "=", "open")
    .orderBy("created_at", "desc")
    .forUpdate()
    .executeTakeFirst();
}
export async function insertStageHistory(db: DbOrTx, row: Insertable<DealStageHistoryTable>) {
  await db.insertInto("deal_stage_history").values(row).execute();
}
export function listStageHistory(db: DbOrTx, workspaceId: string, dealId: string) {
  return historyOf(db, "deal_stage_history", workspaceId, "deal_id", dealId);
}
export type DealFilter = { pipeline_id?: string; stage_id?: string; status?: string; owner_id?: string; contact_id?: string; q?: string };
export function listDeals(db: DbOrTx, workspaceId: string, f: DealFilter, after: [string, string] | undefined, limit: number) {
  let q = db.selectFrom("deals").selectAll().where("workspace_id", "=", workspaceId);
  if (f.pipeline_id) q = q.where("pipeline_id", "=", f.pipeline_id);
  if (f.stage_id) q = q.where("stage_id", "=", f.stage_id);
  if (f.status) q = q.where("status", "=", f.status as "open");
  if (f.owner_id) q = q.where("owner_id", "=", f.owner_id);
  if (f.contact_id) q = q.where("contact_id", "=", f.contact_id);
  if (f.q) q = q.where("title", "ilike", `%${escapeLike(f.q.trim())}%`);
  return pageDescending(q, "created_at", "timestamptz", after, limit);
}
/** What a work item shows of a message it links to. */
const MESSAGE_BRIEF = [
  "id",
  "conversation_id",
  "network",
  "url",
  "author_handle",
  "author_name",
  "text",
  "posted_at",
  "profile_id",
  "direction",
] as const;
export function findMessage(db: DbOrTx, workspaceId: string, id: string) {
  return pickById(db, "messages", workspaceId, id, MESSAGE_BRIEF);
}
export function findMessages(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "messages", workspaceId, ids, MESSAGE_BRIEF);
}
export function findProfile(db: DbOrTx, workspaceId: string, id: string) {
  return pickById(db, "profiles", workspaceId, id, ["id", "contact_id", "handle", "display_name", "network"]);
}
export function findContactBrief(db: DbOrTx, workspaceId: string, id: string) {
  return pickById(db, "contacts", workspaceId, id, ["id", "name", "lifecycle_stage", "organization_id"]);
}
export { setContactStage as setContactLifecycle } from "./crm";
export function namesOf(db: DbOrTx, workspaceId: string, table: "contacts" | "organizations" | "teams", ids: string[]) {
  return pickByIds(db, table, workspaceId, ids, ["id", "name"]);
}
export function userNames(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as Array<{ id: string; name: string }>);
  return db
    .selectFrom("users as u")
    .innerJoin("memberships as m", "m.user_id", "u.id")
    .select(["u.id", "u.name"])
    .where("m.workspace_id", "=", workspaceId)
    .where("u.id", "in", ids)
    .execute();
}
export async function existsIn(
  db: DbOrTx,
  workspaceId: string,
  table: "contacts" | "organizations" | "teams" | "conversations" | "messages" | "profiles",
  id: string,
) {
  const row = await db.selectFrom(table).select("id").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return !!row;
}

// ---------- Ideas

export async function insertIdea(db: DbOrTx, row: Insertable<IdeaTable>) {
  return db.insertInto("ideas").values(row).returningAll().executeTakeFirstOrThrow();
}
export function findIdea(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "ideas", workspaceId, id);
}
export function updateIdea(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<IdeaTable>) {
  return updateWorkItem(db, "ideas", workspaceId, id, patch);
}
/** Open (not done, declined or merged) ideas, newest first, for similar-title matching. */
export function openIdeaTitles(db: DbOrTx, workspaceId: string, limit = 2000) {
  return db
    .selectFrom("ideas")
    .select(["id", "title", "vote_count"])
    .where("workspace_id", "=", workspaceId)
    .where("merged_into_id", "is", null)
    .where("status", "not in", ["done", "declined"])
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}
export type IdeaFilter = { status?: string[]; contact_id?: string; q?: string; include_merged?: boolean };
export function listIdeas(db: DbOrTx, workspaceId: string, f: IdeaFilter, after: [number, string] | undefined, limit: number) {
  let q = db.selectFrom("ideas").selectAll().where("workspace_id", "=", workspaceId);
  if (!f.include_merged) q = q.where("merged_into_id", "is", null);
  if (f.status?.length) q = q.where("status", "in", f.status as IdeaTable["status"]["__select__"][]);
  if (f.q) q = q.where("title", "ilike", `%${escapeLike(f.q.trim())}%`);
  if (f.contact_id) {
    const contactId = f.contact_id;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("idea_votes as v")
          .select("v.id")
          .whereRef("v.workspace_id", "=", "ideas.workspace_id")
          .whereRef("v.idea_id", "=", "ideas.id")
          .where("v.contact_id", "=", contactId),
      ),
    );
  }
  return pageDescending(q, "vote_count", "integer", after, limit);
}
export async function linkIdeaMessage(db: DbOrTx, workspaceId: string, ideaId: string, messageId: string, addedBy: string | null) {
  const res = await db
    .insertInto("idea_messages")
    .values({ workspace_id: workspaceId, idea_id: ideaId, message_id: messageId, added_by: addedBy })
    .onConflict((oc) => oc.columns(["workspace_id", "idea_id", "message_id"]).doNothing())
    .returning("workspace_id")
    .executeTakeFirst();
  return !!res;
}
export function ideaMessages(db: DbOrTx, workspaceId: string, ideaId: string) {
  return db
    .selectFrom("idea_messages as im")
    .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "im.workspace_id").onRef("m.id", "=", "im.message_id"))
    .select([
      "m.id",
      "m.network",
      "m.url",
      "m.author_handle",
      "m.author_name",
      "m.text",
      "m.posted_at",
      "m.conversation_id",
      "im.added_by",
      "im.created_at as linked_at",
    ])
    .where("im.workspace_id", "=", workspaceId)
    .where("im.idea_id", "=", ideaId)
    .orderBy("im.created_at")
    .execute();
}
export function ideaVotes(db: DbOrTx, workspaceId: string, ideaId: string) {
  return db
    .selectFrom("idea_votes as v")
    .leftJoin("contacts as c", (j) => j.onRef("c.workspace_id", "=", "v.workspace_id").onRef("c.id", "=", "v.contact_id"))
    .leftJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "v.workspace_id").onRef("p.id", "=", "v.profile_id"))
    .select([
      "v.id",
      "v.contact_id",
      "v.profile_id",
      "v.message_id",
      "v.created_at",
      "c.name as contact_name",
      "p.handle",
      "p.display_name",
      "p.network",
    ])
    .where("v.workspace_id", "=", workspaceId)
    .where("v.idea_id", "=", ideaId)
    .orderBy("v.created_at")
    .execute();
}
export function ideaVoteRows(db: DbOrTx, workspaceId: string, ideaId: string) {
  return db.selectFrom("idea_votes").selectAll().where("workspace_id", "=", workspaceId).where("idea_id", "=", ideaId).execute();
}
/**
 * Whether this person already voted on the idea: the same contact, a profile
 * linked to that contact, or the same profile. One indexed query, however many
 * votes the idea has.
 */
export async function hasVoted(
  db: DbOrTx,
  workspaceId: string,
  ideaId: string,
  voter: { contact_id: string | null; profile_id: string | null },
) {
  const row = await db
    .selectFrom("idea_votes as v")
    .leftJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "v.workspace_id").onRef("p.id", "=", "v.profile_id"))
    .select("v.id")
    .where("v.workspace_id", "=", workspaceId)
    .where("v.idea_id", "=", ideaId)
    .where((eb) =>
      eb.or([
        ...(voter.contact_id ? [eb("v.contact_id", "=", voter.contact_id), eb("p.contact_id", "=", voter.contact_id)] : []),
        ...(voter.profile_id ? [eb("v.profile_id", "=", voter.profile_id)] : []),
        eb.val(false),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}
/** Adds a vote; false when this person already voted (a concurrent insert included). */
export async function insertIdeaVote(db: DbOrTx, row: Insertable<IdeaVoteTable>): Promise<boolean> {
  const res = await db
    .insertInto("idea_votes")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return !!res;
}
export async function deleteIdeaVotes(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length) await db.deleteFrom("idea_votes").where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();
}
/** Unlinks messages from an idea. */
export async function unlinkIdeaMessages(db: DbOrTx, workspaceId: string, ideaId: string, messageIds: string[]) {
  if (messageIds.length === 0) return;
  await db
    .deleteFrom("idea_messages")
    .where("workspace_id", "=", workspaceId)
    .where("idea_id", "=", ideaId)
    .where("message_id", "in", messageIds)
    .execute();
}
export async function moveIdeaMessages(db: DbOrTx, workspaceId: string, fromId: string, toId: string) {
  await sql`insert into idea_messages (workspace_id, idea_id, message_id, added_by, created_at)
    select workspace_id, ${toId}::uuid, message_id, added_by, created_at from idea_messages
    where workspace_id = ${workspaceId} and idea_id = ${fromId}
    on conflict do nothing`.execute(db);
  await deleteWhere(db, "idea_messages", workspaceId, "idea_id", fromId);
}
/** Recounts an idea's votes: one per voter, a contact counting once however many of its profiles voted. */
export async function recountIdeaVotes(db: DbOrTx, workspaceId: string, ideaId: string): Promise<number> {
  const row = await sql<{ n: number }>`
    select count(distinct coalesce('c:' || v.contact_id::text, 'c:' || p.contact_id::text, 'p:' || v.profile_id::text))::int as n
    from idea_votes v
    left join profiles p on p.workspace_id = v.workspace_id and p.id = v.profile_id
    where v.workspace_id = ${workspaceId} and v.idea_id = ${ideaId}`.execute(db);
  const n = Number(row.rows[0]?.n ?? 0);
  await updateById(db, "ideas", workspaceId, ideaId, { vote_count: n });
  return n;
}
export async function insertIdeaStatusHistory(
  db: DbOrTx,
  row: { workspace_id: string; id: string; idea_id: string; from_status: string | null; to_status: string; actor: string | null },
) {
  await db.insertInto("idea_status_history").values(row).execute();
}
export function ideaStatusHistory(db: DbOrTx, workspaceId: string, ideaId: string) {
  return historyOf(db, "idea_status_history", workspaceId, "idea_id", ideaId);
}
export async function insertIdeaNotifications(
  db: DbOrTx,
  rows: Array<{ workspace_id: string; id: string; idea_id: string; contact_id: string | null; profile_id: string | null; status: string }>,
) {
  if (rows.length) await db.insertInto("idea_notifications").values(rows).execute();
}
export function ideaNotifications(db: DbOrTx, workspaceId: string, ideaId: string) {
  return historyOf(db, "idea_notifications", workspaceId, "idea_id", ideaId);
}
export async function ideasOfMessage(db: DbOrTx, workspaceId: string, messageId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("idea_messages")
    .select("idea_id")
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "=", messageId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.idea_id);
}

// ---------- Rule actions of one ingest batch, written set-based (src/work/rule-batch.ts)

/** Rows per INSERT: a batch of 1,000 messages fits one statement per table, far from the 65,535-parameter limit. */
const CHUNK = 1000;
async function insertChunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * `n` consecutive values of a per-workspace counter in one statement (the row stays locked until
 * commit, so concurrent batches get disjoint ranges); returns the first.
 */
export async function nextCounters(db: DbOrTx, workspaceId: string, kind: string, n: number, start: number): Promise<number> {
  const row = await db
    .insertInto("work_counters")
    .values({ workspace_id: workspaceId, kind, value: start + n - 1 })
    .onConflict((oc) => oc.columns(["workspace_id", "kind"]).doUpdateSet({ value: sql`work_counters.value + ${n}` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value) - n + 1;
}

/** The unsolved cases linked to these conversations, newest first (findOpenCaseOfConversation for many). */
export function openCasesOfConversations(db: DbOrTx, workspaceId: string, conversationIds: string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("case_conversations as cc")
    .innerJoin("cases as c", (j) => j.onRef("c.workspace_id", "=", "cc.workspace_id").onRef("c.id", "=", "cc.case_id"))
    .select(["cc.conversation_id", "c.id", "c.number"])
    .where("cc.workspace_id", "=", workspaceId)
    .where("cc.conversation_id", "in", conversationIds)
    .where("c.status", "not in", ["solved", "closed"])
    .orderBy("c.created_at", "desc")
    .execute();
}

/** The contact behind each conversation's first linked inbound author (conversationContact for many). */
export async function conversationContacts(db: DbOrTx, workspaceId: string, conversationIds: string[]): Promise<Map<string, string>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("messages as m")
    .innerJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "m.workspace_id").onRef("p.id", "=", "m.profile_id"))
    .select(["m.conversation_id", "p.contact_id"])
    .distinctOn("m.conversation_id")
    .where("m.workspace_id", "=", workspaceId)
    .where("m.conversation_id", "in", conversationIds)
    .where("m.direction", "=", "inbound")
    .where("p.contact_id", "is not", null)
    .orderBy("m.conversation_id")
    .orderBy("m.posted_at")
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, r.contact_id as string]));
}

export function contactBriefs(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "contacts", workspaceId, ids, ["id", "organization_id"]);
}

export async function insertCases(db: DbOrTx, rows: Insertable<CaseTable>[]) {
  await insertChunked(rows, (chunk) => db.insertInto("cases").values(chunk).execute());
}
export async function linkCaseConversations(
  db: DbOrTx,
  rows: Array<{ workspace_id: string; case_id: string; conversation_id: string; linked_by: string | null }>,
) {
  await insertChunked(rows, (chunk) =>
    db
      .insertInto("case_conversations")
      .values(chunk)
      .onConflict((oc) => oc.columns(["workspace_id", "case_id", "conversation_id"]).doNothing())
      .execute(),
  );
}
export async function insertCaseEvents(db: DbOrTx, rows: Insertable<CaseEventTable>[]) {
  await insertChunked(rows, (chunk) => db.insertInto("case_events").values(chunk).execute());
}

/** The ideas each message already supports, oldest link first (ideasOfMessage for many). */
export async function ideasOfMessages(db: DbOrTx, workspaceId: string, messageIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom("idea_messages")
    .select(["message_id", "idea_id"])
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .orderBy("created_at")
    .execute();
  for (const r of rows) out.set(r.message_id, [...(out.get(r.message_id) ?? []), r.idea_id]);
  return out;
}

/** The emerging issues each message was grouped into. */
export async function issuesOfMessages(db: DbOrTx, workspaceId: string, messageIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom("issue_messages")
    .select(["message_id", "issue_id"])
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .execute();
  for (const r of rows) out.set(r.message_id, [...(out.get(r.message_id) ?? []), r.issue_id]);
  return out;
}

/** Open, unmerged ideas supported by a message of these issues (openIdeasOfMessageIssue for many). */
export function openIdeasOfIssues(db: DbOrTx, workspaceId: string, issueIds: string[]) {
  if (issueIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("issue_messages as peer")
    .innerJoin("idea_messages as im", (j) =>
      j.onRef("im.workspace_id", "=", "peer.workspace_id").onRef("im.message_id", "=", "peer.message_id"),
    )
    .innerJoin("ideas as i", (j) => j.onRef("i.workspace_id", "=", "im.workspace_id").onRef("i.id", "=", "im.idea_id"))
    .select(["peer.issue_id", "i.id", "i.title", "i.vote_count"])
    .distinct()
    .where("peer.workspace_id", "=", workspaceId)
    .where("peer.issue_id", "in", issueIds)
    .where("i.merged_into_id", "is", null)
    .where("i.status", "not in", ["done", "declined"])
    .execute();
}

export function messageBriefs(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "messages", workspaceId, ids, ["id", "direction", "profile_id"]);
}
export function profileContacts(db: DbOrTx, workspaceId: string, ids: string[]) {
  return pickByIds(db, "profiles", workspaceId, ids, ["id", "contact_id"]);
}

/** Who voted on these ideas: the vote's contact, its profile's contact and its profile (hasVoted for many). */
export function votersOfIdeas(db: DbOrTx, workspaceId: string, ideaIds: string[]) {
  if (ideaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("idea_votes as v")
    .leftJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "v.workspace_id").onRef("p.id", "=", "v.profile_id"))
    .select(["v.idea_id", "v.contact_id", "p.contact_id as profile_contact_id", "v.profile_id"])
    .where("v.workspace_id", "=", workspaceId)
    .where("v.idea_id", "in", ideaIds)
    .execute();
}

export async function insertIdeas(db: DbOrTx, rows: Insertable<IdeaTable>[]) {
  await insertChunked(rows, (chunk) => db.insertInto("ideas").values(chunk).execute());
}
export async function insertIdeaStatusHistories(
  db: DbOrTx,
  rows: Array<{ workspace_id: string; id: string; idea_id: string; from_status: string | null; to_status: string; actor: string | null }>,
) {
  await insertChunked(rows, (chunk) => db.insertInto("idea_status_history").values(chunk).execute());
}
export async function linkIdeaMessages(
  db: DbOrTx,
  rows: Array<{ workspace_id: string; idea_id: string; message_id: string; added_by: string | null }>,
) {
  await insertChunked(rows, (chunk) =>
    db
      .insertInto("idea_messages")
      .values(chunk)
      .onConflict((oc) => oc.columns(["workspace_id", "idea_id", "message_id"]).doNothing())
      .execute(),
  );
}
/** Adds votes, skipping any a concurrent writer already added; returns the ids inserted. */
export async function insertIdeaVotes(db: DbOrTx, rows: Insertable<IdeaVoteTable>[]): Promise<Set<string>> {
  const ids = new Set<string>();
  await insertChunked(rows, async (chunk) => {
    for (const r of await db
      .insertInto("idea_votes")
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .execute())
      ids.add(r.id);
  });
  return ids;
}
/** recountIdeaVotes for many ideas in one statement; returns the new counts. */
export async function recountIdeasVotes(db: DbOrTx, workspaceId: string, ideaIds: string[]): Promise<Map<string, number>> {
  if (ideaIds.length === 0) return new Map();
  const res = await sql<{ id: string; vote_count: number }>`
    update ideas i set vote_count = s.n
    from (
      select v.idea_id, count(distinct coalesce('c:' || v.contact_id::text, 'c:' || p.contact_id::text, 'p:' || v.profile_id::text))::int as n
      from idea_votes v
      left join profiles p on p.workspace_id = v.workspace_id and p.id = v.profile_id
      where v.workspace_id = ${workspaceId} and v.idea_id in (${sql.join(ideaIds)})
      group by v.idea_id
    ) s
    where i.workspace_id = ${workspaceId} and i.id = s.idea_id
    returning i.id, i.vote_count`.execute(db);
  return new Map(res.rows.map((r) => [r.id, Number(r.vote_count)]));
}
