import { type Insertable, sql } from "kysely";
import type { DbOrTx } from "./db";
import { findById, pageDescending } from "./rows";
import type { IssueRow, IssueTable, IssueTopTerm } from "./schema-issues";

// SQL of emerging issues (issue #16): centroids as top terms, document frequencies,
// members, hourly counts, and the figures of an issue card.

/** Messages the clusterer reads: inbound, with their labels and text. */
export function clusterInputs(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("messages")
    .select(["id", "text", "subject", "labels", "direction", "posted_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", messageIds)
    .execute();
}

/** Document frequencies of `terms` and the number of documents (the empty term). */
export async function documentFrequencies(db: DbOrTx, workspaceId: string, terms: string[]) {
  const rows = await db
    .selectFrom("issue_term_df")
    .select(["term", "df"])
    .where("workspace_id", "=", workspaceId)
    .where("term", "in", ["", ...terms])
    .execute();
  return new Map(rows.map((r) => [r.term, Number(r.df)]));
}

export async function addDocumentFrequencies(db: DbOrTx, workspaceId: string, counts: Map<string, number>) {
  const rows = [...counts].map(([term, df]) => ({ workspace_id: workspaceId, term, df }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto("issue_term_df")
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(["workspace_id", "term"]).doUpdateSet({ df: sql`issue_term_df.df + excluded.df` }))
      .execute();
  }
}

/** Takes documents out of the frequencies (erased messages); terms no document holds any more are deleted. */
export async function subtractDocumentFrequencies(db: DbOrTx, workspaceId: string, counts: Map<string, number>) {
  const entries = [...counts].filter(([, n]) => n > 0);
  if (entries.length === 0) return;
  await sql`update issue_term_df d set df = greatest(d.df - x.n, 0)
    from unnest(${entries.map(([t]) => t)}::text[], ${entries.map(([, n]) => n)}::int[]) as x(term, n)
    where d.workspace_id = ${workspaceId} and d.term = x.term`.execute(db);
  await db.deleteFrom("issue_term_df").where("workspace_id", "=", workspaceId).where("df", "<=", 0).where("term", "<>", "").execute();
}

/** Texts of an issue's messages that are not erased, oldest first (to rebuild its centroid). */
export function issueMemberTexts(db: DbOrTx, workspaceId: string, issueId: string) {
  return db
    .selectFrom("issue_messages as im")
    .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "im.workspace_id").onRef("m.id", "=", "im.message_id"))
    .select(["m.text", "m.subject"])
    .where("im.workspace_id", "=", workspaceId)
    .where("im.issue_id", "=", issueId)
    .where("m.erased_at", "is", null)
    .orderBy("im.posted_at")
    .orderBy("im.message_id")
    .execute();
}

/** Issues a batch is compared with, at most. */
export const MAX_CANDIDATE_ISSUES = 2000;

/** Every term of the recent issues that hold any of `terms` (the candidates a batch is compared with). */
export async function candidateIssueTerms(db: DbOrTx, workspaceId: string, terms: string[], since: Date) {
  if (terms.length === 0) return [];
  return db
    .selectFrom("issue_terms as t")
    .innerJoin("issues as i", (j) => j.onRef("i.workspace_id", "=", "t.workspace_id").onRef("i.id", "=", "t.issue_id"))
    .select(["t.issue_id", "t.term", "t.word", "t.mass", "i.message_count"])
    .where("t.workspace_id", "=", workspaceId)
    .where("i.last_message_at", ">=", since)
    .where((eb) =>
      eb(
        "t.issue_id",
        "in",
        // the most recently active issues sharing a term: a common word cannot pull in every issue
        eb
          .selectFrom("issue_terms as c")
          .innerJoin("issues as ci", (j) => j.onRef("ci.workspace_id", "=", "c.workspace_id").onRef("ci.id", "=", "c.issue_id"))
          .select("c.issue_id")
          .where("c.workspace_id", "=", workspaceId)
          .where("c.term", "in", terms)
          .where("ci.last_message_at", ">=", since)
          .groupBy(["c.issue_id", "ci.last_message_at"])
          .orderBy("ci.last_message_at", "desc")
          .limit(MAX_CANDIDATE_ISSUES),
      ),
    )
    .execute();
}

export async function messagesAlreadyClustered(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  if (messageIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom("issue_messages")
    .select("message_id")
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .execute();
  return new Set(rows.map((r) => r.message_id));
}

export async function insertIssues(db: DbOrTx, rows: Insertable<IssueTable>[]) {
  if (rows.length) await db.insertInto("issues").values(rows).execute();
}

/** Sets an issue's name and top terms and recounts its messages and their first and last times. */
export async function refreshIssue(db: DbOrTx, workspaceId: string, id: string, patch: { label: string; top_terms: IssueTopTerm[] }) {
  await sql`update issues set label = ${patch.label}, top_terms = ${JSON.stringify(patch.top_terms)}::jsonb, updated_at = now(),
      message_count = s.n, first_message_at = s.first_at, last_message_at = s.last_at
    from (select count(*)::int as n, min(posted_at) as first_at, max(posted_at) as last_at from issue_messages
          where workspace_id = ${workspaceId} and issue_id = ${id}) s
    where issues.workspace_id = ${workspaceId} and issues.id = ${id} and s.n > 0`.execute(db);
}

/** Replaces an issue's centroid terms. */
export async function replaceIssueTerms(
  db: DbOrTx,
  workspaceId: string,
  issueId: string,
  terms: Array<{ term: string; word: string; mass: number }>,
) {
  await db.deleteFrom("issue_terms").where("workspace_id", "=", workspaceId).where("issue_id", "=", issueId).execute();
  if (terms.length)
    await db
      .insertInto("issue_terms")
      .values(terms.map((t) => ({ workspace_id: workspaceId, issue_id: issueId, ...t })))
      .execute();
}

export async function insertIssueMessages(
  db: DbOrTx,
  rows: Array<{ workspace_id: string; message_id: string; issue_id: string; similarity: number; posted_at: Date }>,
) {
  if (rows.length === 0) return;
  await db
    .insertInto("issue_messages")
    .values(rows)
    .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
    .execute();
}

export async function addHourlyCounts(db: DbOrTx, workspaceId: string, rows: Array<{ issue_id: string; hour: Date; count: number }>) {
  if (rows.length === 0) return;
  await db
    .insertInto("issue_hourly")
    .values(rows.map((r) => ({ workspace_id: workspaceId, ...r })))
    .onConflict((oc) => oc.columns(["workspace_id", "issue_id", "hour"]).doUpdateSet({ count: sql`issue_hourly.count + excluded.count` }))
    .execute();
}

/** Hourly counts of an issue in [from, to). */
export function hourlyCounts(db: DbOrTx, workspaceId: string, issueId: string, from: Date, to: Date) {
  return db
    .selectFrom("issue_hourly")
    .select(["hour", "count"])
    .where("workspace_id", "=", workspaceId)
    .where("issue_id", "=", issueId)
    .where("hour", ">=", from)
    .where("hour", "<", to)
    .orderBy("hour")
    .execute();
}

export async function setIssueBurst(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  patch: { burst_started_at?: Date | null; burst_ended_at?: Date | null; burst_count?: number },
) {
  await db.updateTable("issues").set(patch).where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
}

export const findIssue = (db: DbOrTx, workspaceId: string, id: string) => findById(db, "issues", workspaceId, id);

export function issuesByIds(db: DbOrTx, workspaceId: string, ids: string[]): Promise<IssueRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("issues").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();
}

/** Issues, most recently active first. */
export function listIssues(
  db: DbOrTx,
  workspaceId: string,
  filter: { bursting?: boolean; q?: string; since?: Date },
  after: [string, string] | undefined,
  limit: number,
) {
  let q = db.selectFrom("issues").selectAll().where("workspace_id", "=", workspaceId);
  if (filter.bursting) q = q.where("burst_started_at", "is not", null).where("burst_ended_at", "is", null);
  if (filter.q) q = q.where("label", "ilike", `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.since) q = q.where("last_message_at", ">=", filter.since);
  return pageDescending(q, "last_message_at", "timestamptz", after, limit);
}

/** Messages per issue since a time (the recent volume column of the list). */
export async function recentCounts(db: DbOrTx, workspaceId: string, issueIds: string[], since: Date) {
  if (issueIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom("issue_hourly")
    .select(["issue_id", sql<number>`sum(count)::int`.as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("issue_id", "in", issueIds)
    .where("hour", ">=", since)
    .groupBy("issue_id")
    .execute();
  return new Map(rows.map((r) => [r.issue_id, Number(r.n)]));
}

/** Issue of each message (those clustered). */
export async function issuesOfMessages(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  if (messageIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom("issue_messages")
    .select(["message_id", "issue_id"])
    .where("workspace_id", "=", workspaceId)
    .where("message_id", "in", messageIds)
    .execute();
  return new Map(rows.map((r) => [r.message_id, r.issue_id]));
}

/** Open (not merged, not done or declined) ideas that messages of this message's issue support, most voted first. */
export async function openIdeasOfMessageIssue(db: DbOrTx, workspaceId: string, messageId: string) {
  return db
    .selectFrom("issue_messages as mine")
    .innerJoin("issue_messages as peer", (j) =>
      j.onRef("peer.workspace_id", "=", "mine.workspace_id").onRef("peer.issue_id", "=", "mine.issue_id"),
    )
    .innerJoin("idea_messages as im", (j) =>
      j.onRef("im.workspace_id", "=", "peer.workspace_id").onRef("im.message_id", "=", "peer.message_id"),
    )
    .innerJoin("ideas as i", (j) => j.onRef("i.workspace_id", "=", "im.workspace_id").onRef("i.id", "=", "im.idea_id"))
    .select(["i.id", "i.title", "i.vote_count"])
    .distinct()
    .where("mine.workspace_id", "=", workspaceId)
    .where("mine.message_id", "=", messageId)
    .where("i.merged_into_id", "is", null)
    .where("i.status", "not in", ["done", "declined"])
    .orderBy("i.vote_count", "desc")
    .orderBy("i.id")
    .execute();
}

// ---------- The issue card

/** The issue's newest messages with their authors. */
export function issueMessages(db: DbOrTx, workspaceId: string, issueId: string, limit: number) {
  return db
    .selectFrom("issue_messages as im")
    .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "im.workspace_id").onRef("m.id", "=", "im.message_id"))
    .leftJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "m.workspace_id").onRef("p.id", "=", "m.profile_id"))
    .select([
      "m.id",
      "m.text",
      "m.network",
      "m.url",
      "m.labels",
      "m.sentiment",
      "m.conversation_id",
      "m.posted_at",
      "m.author_handle",
      "m.author_name",
      "p.contact_id",
      "im.similarity",
    ])
    .where("im.workspace_id", "=", workspaceId)
    .where("im.issue_id", "=", issueId)
    .orderBy("im.posted_at", "desc")
    .limit(limit)
    .execute();
}

const members = (issueId: string, workspaceId: string) => sql`
  select m.id as message_id, m.conversation_id, m.profile_id, p.contact_id, p.followers
  from issue_messages im
  join messages m on m.workspace_id = im.workspace_id and m.id = im.message_id
  left join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
  where im.workspace_id = ${workspaceId} and im.issue_id = ${issueId}`;

/** People, lifecycle stages, open cases and open deal value of the people and conversations in an issue. */
export async function issueReach(db: DbOrTx, workspaceId: string, issueId: string) {
  const m = members(issueId, workspaceId);
  const [people, stages, influencers, cases, deals] = await Promise.all([
    sql<{ people: number; contacts: number }>`with m as (${m})
      select count(distinct coalesce('c:' || m.contact_id::text, 'p:' || m.profile_id::text))::int as people,
             count(distinct m.contact_id)::int as contacts from m`.execute(db),
    sql<{ stage: string; n: number }>`with m as (${m})
      select c.lifecycle_stage as stage, count(*)::int as n
      from contacts c where c.workspace_id = ${workspaceId} and c.id in (select contact_id from m where contact_id is not null)
      group by c.lifecycle_stage order by n desc`.execute(db),
    sql<{
      profile_id: string;
      contact_id: string | null;
      network: string;
      handle: string | null;
      display_name: string | null;
      followers: number;
    }>`with m as (${m})
      select p.id as profile_id, p.contact_id, p.network, p.handle, p.display_name, p.followers
      from profiles p where p.workspace_id = ${workspaceId} and p.id in (select profile_id from m where profile_id is not null)
        and coalesce(p.followers, 0) > 0
      order by p.followers desc, p.id limit 5`.execute(db),
    sql<{ id: string; number: number; subject: string; status: string; priority: string }>`with m as (${m})
      select distinct c.id, c.number, c.subject, c.status, c.priority
      from cases c
      where c.workspace_id = ${workspaceId} and c.status not in ('solved', 'closed')
        and (c.contact_id in (select contact_id from m where contact_id is not null)
          or exists (select 1 from case_conversations cc where cc.workspace_id = c.workspace_id and cc.case_id = c.id
                     and cc.conversation_id in (select conversation_id from m)))
      order by c.number desc limit 50`.execute(db),
    sql<{ count: number; value: string | null; currency: string | null }>`with m as (${m})
      select count(*)::int as count, sum(d.value)::text as value, min(d.currency) as currency
      from deals d where d.workspace_id = ${workspaceId} and d.status = 'open'
        and d.contact_id in (select contact_id from m where contact_id is not null)`.execute(db),
  ]);
  return {
    people: people.rows[0] ?? { people: 0, contacts: 0 },
    stages: stages.rows,
    influencers: influencers.rows,
    cases: cases.rows,
    deals: deals.rows[0] ?? { count: 0, value: null, currency: null },
  };
}

/** Ideas that messages of an issue support. */
export function issueIdeas(db: DbOrTx, workspaceId: string, issueId: string) {
  return db
    .selectFrom("issue_messages as im")
    .innerJoin("idea_messages as x", (j) => j.onRef("x.workspace_id", "=", "im.workspace_id").onRef("x.message_id", "=", "im.message_id"))
    .innerJoin("ideas as i", (j) => j.onRef("i.workspace_id", "=", "x.workspace_id").onRef("i.id", "=", "x.idea_id"))
    .select(["i.id", "i.title", "i.status", "i.vote_count"])
    .distinct()
    .where("im.workspace_id", "=", workspaceId)
    .where("im.issue_id", "=", issueId)
    .where("i.merged_into_id", "is", null)
    .orderBy("i.vote_count", "desc")
    .execute();
}

/** Daily message counts of an issue since a time. */
export async function dailyCounts(db: DbOrTx, workspaceId: string, issueId: string, since: Date) {
  const rows = await db
    .selectFrom("issue_hourly")
    .select([
      sql<string>`to_char(date_trunc('day', hour at time zone 'UTC'), 'YYYY-MM-DD')`.as("day"),
      sql<number>`sum(count)::int`.as("n"),
    ])
    .where("workspace_id", "=", workspaceId)
    .where("issue_id", "=", issueId)
    .where("hour", ">=", since)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}
