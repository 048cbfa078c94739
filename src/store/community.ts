import { type Insertable, sql, type Updateable } from "kysely";
import type { DbOrTx } from "./db";
import { findById } from "./rows";
import type {
  CommunityMemberTable,
  CommunityPortalTable,
  CommunityPostKind,
  CommunityPostRow,
  CommunityPostTable,
} from "./schema-community";
import type { IdeaStatus } from "./schema-work";

// The community portal's SQL: portals by slug, members and their sessions, posts with their
// votes, follows and reports, and the reads the portal pages need (lists are keyed by indexes
// of migration 015; every query names its workspace).

// ---------- portals

export const portalBySlug = (db: DbOrTx, slug: string) =>
  db.selectFrom("community_portals").selectAll().where("slug", "=", slug).executeTakeFirst();

export const portalByDomain = (db: DbOrTx, host: string) =>
  db.selectFrom("community_portals").selectAll().where("custom_domain", "=", host).executeTakeFirst();

export const customDomains = (db: DbOrTx) =>
  db.selectFrom("community_portals").select(["custom_domain", "slug"]).where("custom_domain", "is not", null).execute() as Promise<
    Array<{ custom_domain: string; slug: string }>
  >;

export const portalOfWorkspace = (db: DbOrTx, workspaceId: string) =>
  db.selectFrom("community_portals").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirst();

/** Inserts a portal unless its workspace or its slug already has one (then undefined). */
export async function insertPortal(db: DbOrTx, row: Insertable<CommunityPortalTable>) {
  return db
    .insertInto("community_portals")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updatePortal(db: DbOrTx, workspaceId: string, patch: Updateable<CommunityPortalTable>) {
  return db
    .updateTable("community_portals")
    .set({ ...patch, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The slugs taken among base and base-<n> (one query, however many share the name). */
export async function slugsLike(db: DbOrTx, base: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("community_portals")
    .select("slug")
    .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)]))
    .execute();
  return new Set(rows.map((r) => r.slug));
}

export async function slugTaken(db: DbOrTx, slug: string): Promise<boolean> {
  return !!(await db.selectFrom("community_portals").select("slug").where("slug", "=", slug).executeTakeFirst());
}

export const workspaceName = async (db: DbOrTx, workspaceId: string) =>
  (await db.selectFrom("workspaces").select("name").where("id", "=", workspaceId).executeTakeFirst())?.name;

// ---------- members and sessions

export const findMember = (db: DbOrTx, workspaceId: string, id: string) => findById(db, "community_members", workspaceId, id);

export const findMemberByEmail = (db: DbOrTx, workspaceId: string, email: string) =>
  db
    .selectFrom("community_members")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(sql<string>`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirst();

export const insertMember = (db: DbOrTx, row: Insertable<CommunityMemberTable>) =>
  db.insertInto("community_members").values(row).returningAll().executeTakeFirstOrThrow();

export const updateMember = (db: DbOrTx, workspaceId: string, id: string, patch: Updateable<CommunityMemberTable>) =>
  db
    .updateTable("community_members")
    .set(patch)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const membersByIds = async (db: DbOrTx, workspaceId: string, ids: string[]) =>
  ids.length === 0
    ? []
    : db
        .selectFrom("community_members")
        .select(["id", "display_name", "trust_level"])
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", [...new Set(ids)])
        .execute();

/** Counters a member's trust level is computed from, read fresh from their posts. */
export async function memberActivity(db: DbOrTx, workspaceId: string, memberId: string) {
  const row = await db
    .selectFrom("community_posts")
    .select([
      sql<number>`count(*) filter (where not hidden)::int`.as("posts"),
      sql<number>`count(*) filter (where accepted and not hidden)::int`.as("accepted"),
      sql<number>`coalesce(sum(score) filter (where not hidden), 0)::int`.as("upvotes"),
      sql<number>`count(*) filter (where hidden)::int`.as("hidden"),
    ])
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "=", memberId)
    .executeTakeFirstOrThrow();
  return row;
}

export const insertSession = (db: DbOrTx, row: { token_hash: string; workspace_id: string; member_id: string; expires_at: Date }) =>
  db.insertInto("community_sessions").values(row).execute();

export const memberOfSession = (db: DbOrTx, workspaceId: string, tokenHash: string, now: Date) =>
  db
    .selectFrom("community_sessions as s")
    .innerJoin("community_members as m", (j) => j.onRef("m.workspace_id", "=", "s.workspace_id").onRef("m.id", "=", "s.member_id"))
    .selectAll("m")
    .where("s.token_hash", "=", tokenHash)
    .where("s.workspace_id", "=", workspaceId)
    .where("s.expires_at", ">", now)
    .executeTakeFirst();

export const deleteSession = (db: DbOrTx, tokenHash: string) =>
  db.deleteFrom("community_sessions").where("token_hash", "=", tokenHash).execute();

export const insertLoginToken = (db: DbOrTx, row: { token_hash: string; workspace_id: string; email: string; expires_at: Date }) =>
  db.insertInto("community_login_tokens").values(row).execute();

/** Marks a magic-link token used, once: a second use or an expired token finds nothing. */
export const consumeLoginToken = (db: DbOrTx, workspaceId: string, tokenHash: string, now: Date) =>
  db
    .updateTable("community_login_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("workspace_id", "=", workspaceId)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["email"])
    .executeTakeFirst();

// ---------- posts

export const insertPost = (db: DbOrTx, row: Insertable<CommunityPostTable>) =>
  db.insertInto("community_posts").values(row).returningAll().executeTakeFirstOrThrow();

export const findPost = (db: DbOrTx, workspaceId: string, id: string) => findById(db, "community_posts", workspaceId, id);

export const updatePost = (db: DbOrTx, workspaceId: string, id: string, patch: Updateable<CommunityPostTable>) =>
  db
    .updateTable("community_posts")
    .set({ ...patch, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();

export async function recountAnswers(db: DbOrTx, workspaceId: string, questionId: string) {
  await sql`update community_posts q set answer_count = (select count(*) from community_posts a
    where a.workspace_id = q.workspace_id and a.question_id = q.id and a.kind = 'answer' and not a.hidden)
    where q.workspace_id = ${workspaceId} and q.id = ${questionId}`.execute(db);
}

/** Posts a member wrote since a moment (the account's rate limit). */
export async function postsSince(db: DbOrTx, workspaceId: string, memberId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("community_posts")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "=", memberId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return row.n;
}

export type QuestionListRow = CommunityPostRow & { author: string; author_trust: number };

/** A workspace's posts (`p`) with their author's display name and trust level. */
function postsWithAuthor(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("community_posts as p")
    .innerJoin("community_members as m", (j) => j.onRef("m.workspace_id", "=", "p.workspace_id").onRef("m.id", "=", "p.member_id"))
    .selectAll("p")
    .select(["m.display_name as author", "m.trust_level as author_trust"])
    .where("p.workspace_id", "=", workspaceId);
}

/** The newest visible questions, or those matching a full-text query (title and body). */
export async function listQuestions(
  db: DbOrTx,
  workspaceId: string,
  opts: { q?: string; limit: number; before?: Date },
): Promise<QuestionListRow[]> {
  let query = postsWithAuthor(db, workspaceId).where("p.kind", "=", "question").where("p.hidden", "=", false);
  if (opts.q?.trim()) {
    query = query.where(
      sql<boolean>`to_tsvector('simple', coalesce(p.title, '') || ' ' || p.body) @@ plainto_tsquery('simple', ${opts.q.trim()})`,
    );
  }
  if (opts.before) query = query.where("p.created_at", "<", opts.before);
  return query.orderBy("p.created_at", "desc").orderBy("p.id", "desc").limit(opts.limit).execute();
}

export type ThreadPostRow = CommunityPostRow & { author: string; author_trust: number };

/** A question's answers and comments, and comments on those answers, oldest first. */
export async function threadPosts(db: DbOrTx, workspaceId: string, rootIds: { question_id?: string; idea_id?: string; case_id?: string }) {
  let query = postsWithAuthor(db, workspaceId).where("p.hidden", "=", false);
  if (rootIds.question_id) query = query.where("p.question_id", "=", rootIds.question_id);
  else if (rootIds.idea_id) query = query.where("p.idea_id", "=", rootIds.idea_id).where("p.kind", "in", ["idea", "idea_comment"]);
  else if (rootIds.case_id) query = query.where("p.case_id", "=", rootIds.case_id);
  else return [];
  return query.orderBy("p.created_at", "asc").orderBy("p.id", "asc").execute() as Promise<ThreadPostRow[]>;
}

export async function postWithAuthor(db: DbOrTx, workspaceId: string, id: string, kind: CommunityPostKind) {
  return postsWithAuthor(db, workspaceId).where("p.id", "=", id).where("p.kind", "=", kind).executeTakeFirst() as Promise<
    ThreadPostRow | undefined
  >;
}

/** Staff answers written in the inbox: delivered public replies on these conversations. */
export async function staffReplies(db: DbOrTx, workspaceId: string, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom("messages")
    .select(["id", "conversation_id", "text", "author_name", "posted_at", "in_reply_to"])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", conversationIds)
    .where("direction", "=", "outbound")
    .where("delivery_status", "=", "sent")
    .where("is_public", "=", true)
    .orderBy("posted_at", "asc")
    .execute();
}

export const messageExternalIds = async (db: DbOrTx, workspaceId: string, ids: string[]) =>
  ids.length === 0
    ? []
    : db
        .selectFrom("messages")
        .select(["id", "external_id", "network", "conversation_id", "labels"])
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", ids)
        .execute();

// ---------- upvotes, follows, reports

/** One upvote per member and post; answers whether it was new. */
export async function addUpvote(db: DbOrTx, workspaceId: string, postId: string, memberId: string): Promise<boolean> {
  const res = await db
    .insertInto("community_votes")
    .values({ workspace_id: workspaceId, post_id: postId, member_id: memberId })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await sql`update community_posts p set score = (select count(*) from community_votes v
    where v.workspace_id = p.workspace_id and v.post_id = p.id) where p.workspace_id = ${workspaceId} and p.id = ${postId}`.execute(db);
  return true;
}

export async function upvotedBy(db: DbOrTx, workspaceId: string, memberId: string, postIds: string[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("community_votes")
    .select("post_id")
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "=", memberId)
    .where("post_id", "in", postIds)
    .execute();
  return new Set(rows.map((r) => r.post_id));
}

export async function setFollow(db: DbOrTx, workspaceId: string, ideaId: string, memberId: string, follow: boolean) {
  if (follow) {
    await db
      .insertInto("community_follows")
      .values({ workspace_id: workspaceId, idea_id: ideaId, member_id: memberId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } else {
    await db
      .deleteFrom("community_follows")
      .where("workspace_id", "=", workspaceId)
      .where("idea_id", "=", ideaId)
      .where("member_id", "=", memberId)
      .execute();
  }
}

export async function follows(db: DbOrTx, workspaceId: string, ideaId: string, memberId: string): Promise<boolean> {
  return !!(await db
    .selectFrom("community_follows")
    .select("idea_id")
    .where("workspace_id", "=", workspaceId)
    .where("idea_id", "=", ideaId)
    .where("member_id", "=", memberId)
    .executeTakeFirst());
}

export async function insertReport(
  db: DbOrTx,
  row: { workspace_id: string; id: string; post_id: string; member_id: string; reason: string },
) {
  const res = await db
    .insertInto("community_reports")
    .values(row)
    .onConflict((oc) => oc.columns(["workspace_id", "post_id", "member_id"]).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Posts waiting for a moderator: reported by members, or labelled spam by the pipeline, not yet decided. */
export async function moderationQueue(db: DbOrTx, workspaceId: string, limit: number) {
  return db
    .selectFrom("community_posts as p")
    .innerJoin("community_members as m", (j) => j.onRef("m.workspace_id", "=", "p.workspace_id").onRef("m.id", "=", "p.member_id"))
    .leftJoin("messages as msg", (j) => j.onRef("msg.workspace_id", "=", "p.workspace_id").onRef("msg.id", "=", "p.message_id"))
    .select([
      "p.id",
      "p.kind",
      "p.title",
      "p.body",
      "p.hidden",
      "p.created_at",
      "p.message_id",
      "p.conversation_id",
      "m.id as member_id",
      "m.display_name as author",
      "m.trust_level as author_trust",
      sql<boolean>`coalesce('spam' = any(msg.labels), false)`.as("spam"),
      sql<string[]>`coalesce((select array_agg(r.reason order by r.created_at) from community_reports r
        where r.workspace_id = p.workspace_id and r.post_id = p.id and r.status = 'open'), '{}')`.as("reasons"),
    ])
    .where("p.workspace_id", "=", workspaceId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("community_reports as r")
            .select("r.id")
            .whereRef("r.workspace_id", "=", "p.workspace_id")
            .whereRef("r.post_id", "=", "p.id")
            .where("r.status", "=", "open"),
        ),
        eb.and([eb("p.moderated_at", "is", null), sql<boolean>`'spam' = any(msg.labels)`]),
      ]),
    )
    .orderBy("p.created_at", "asc")
    .limit(limit)
    .execute();
}

export async function closeReports(db: DbOrTx, workspaceId: string, postId: string, status: "hidden" | "dismissed", by: string) {
  await db
    .updateTable("community_reports")
    .set({ status, resolved_by: by, resolved_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("post_id", "=", postId)
    .where("status", "=", "open")
    .execute();
}

// ---------- ideas (the work module's table, read for the public board)

export async function publicIdeas(db: DbOrTx, workspaceId: string, opts: { statuses?: IdeaStatus[]; limit: number }) {
  let q = db
    .selectFrom("ideas")
    .select(["id", "title", "description", "status", "vote_count", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("merged_into_id", "is", null);
  if (opts.statuses?.length) q = q.where("status", "in", opts.statuses);
  return q.orderBy("vote_count", "desc").orderBy("created_at", "desc").limit(opts.limit).execute();
}

export const findIdea = (db: DbOrTx, workspaceId: string, id: string) => findById(db, "ideas", workspaceId, id);

export async function hasVoted(db: DbOrTx, workspaceId: string, ideaId: string, profileId: string): Promise<boolean> {
  const row = await db
    .selectFrom("idea_votes as v")
    .select("v.id")
    .where("v.workspace_id", "=", workspaceId)
    .where("v.idea_id", "=", ideaId)
    .where((eb) =>
      eb.or([
        eb("v.profile_id", "=", profileId),
        eb(
          "v.contact_id",
          "=",
          eb.selectFrom("profiles").select("contact_id").where("workspace_id", "=", workspaceId).where("id", "=", profileId),
        ),
      ]),
    )
    .executeTakeFirst();
  return !!row;
}

// ---------- a member's cases

/** Cases on conversations the member's profile wrote in, or of the contact the profile is linked to. */
export async function casesOfProfile(db: DbOrTx, workspaceId: string, profileId: string) {
  return db
    .selectFrom("cases as c")
    .select(["c.id", "c.number", "c.subject", "c.status", "c.created_at", "c.updated_at"])
    .where("c.workspace_id", "=", workspaceId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("case_conversations as cc")
            .innerJoin("messages as m", (j) =>
              j.onRef("m.workspace_id", "=", "cc.workspace_id").onRef("m.conversation_id", "=", "cc.conversation_id"),
            )
            .select("cc.case_id")
            .whereRef("cc.workspace_id", "=", "c.workspace_id")
            .whereRef("cc.case_id", "=", "c.id")
            .where("m.profile_id", "=", profileId),
        ),
        eb(
          "c.contact_id",
          "=",
          eb.selectFrom("profiles").select("contact_id").where("workspace_id", "=", workspaceId).where("id", "=", profileId),
        ),
      ]),
    )
    .orderBy("c.updated_at", "desc")
    .limit(100)
    .execute();
}

export async function caseConversationIds(db: DbOrTx, workspaceId: string, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("case_conversations")
    .select("conversation_id")
    .where("workspace_id", "=", workspaceId)
    .where("case_id", "=", caseId)
    .orderBy("created_at", "asc")
    .execute();
  return rows.map((r) => r.conversation_id);
}

export async function linkCaseConversation(db: DbOrTx, workspaceId: string, caseId: string, conversationId: string) {
  await db
    .insertInto("case_conversations")
    .values({ workspace_id: workspaceId, case_id: caseId, conversation_id: conversationId, linked_by: "community" })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The public messages of a case's conversations, oldest first (what the customer may read). */
export async function publicCaseMessages(db: DbOrTx, workspaceId: string, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom("messages")
    .select([
      "id",
      "network",
      "external_id",
      "conversation_id",
      "direction",
      "author_name",
      "author_handle",
      "profile_id",
      "text",
      "posted_at",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", conversationIds)
    .where((eb) => eb.or([eb("direction", "=", "inbound"), eb("delivery_status", "=", "sent")]))
    .orderBy("posted_at", "asc")
    .limit(500)
    .execute();
}

export const publicCaseEvents = (db: DbOrTx, workspaceId: string, caseId: string) =>
  db
    .selectFrom("case_events")
    .select(["id", "kind", "body", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("case_id", "=", caseId)
    .where("public", "=", true)
    .where("body", "is not", null)
    .orderBy("created_at", "asc")
    .execute();

export const findCase = (db: DbOrTx, workspaceId: string, id: string) => findById(db, "cases", workspaceId, id);

// ---------- notices: who hears of an idea's status change

/** The idea's newest change to `status` (the one a notice is about). */
export const latestIdeaStatusChange = (db: DbOrTx, workspaceId: string, ideaId: string, status: string) =>
  db
    .selectFrom("idea_status_history")
    .select(["id", "from_status", "to_status", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("idea_id", "=", ideaId)
    .where("to_status", "=", status)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();

/**
 * Members to tell of the idea's status change: its followers (and followers of ideas merged into
 * it) and its voters — by their community profile or by the contact that profile is linked to, so
 * a vote from a social post counts for a member who is the same person — who want these emails.
 */
export async function ideaNoticeRecipients(db: DbOrTx, workspaceId: string, ideaId: string) {
  // driven from the idea's follows and votes (their indexes), never a scan of every member
  const { rows } = await sql<{ id: string; email: string; display_name: string; notice_key: string }>`
    with told as (
      select f.member_id from community_follows f
      where f.workspace_id = ${workspaceId}
        and (f.idea_id = ${ideaId}
          or f.idea_id in (select i.id from ideas i where i.workspace_id = ${workspaceId} and i.merged_into_id = ${ideaId}))
      union
      select m.id from idea_votes v
      join community_members m on m.workspace_id = v.workspace_id and m.profile_id = v.profile_id
      where v.workspace_id = ${workspaceId} and v.idea_id = ${ideaId} and v.profile_id is not null
      union
      select m.id from idea_votes v
      join profiles p on p.workspace_id = v.workspace_id and p.contact_id = v.contact_id
      join community_members m on m.workspace_id = p.workspace_id and m.profile_id = p.id
      where v.workspace_id = ${workspaceId} and v.idea_id = ${ideaId} and v.contact_id is not null
    )
    select m.id, m.email, m.display_name, m.notice_key
    from community_members m join told t on t.member_id = m.id
    where m.workspace_id = ${workspaceId} and m.notify_ideas and not m.suspended
    order by m.id`.execute(db);
  return rows;
}

/** The member a notice email's "stop these emails" link names, if its key matches. */
export const memberByNoticeKey = (db: DbOrTx, workspaceId: string, memberId: string, key: string) =>
  db
    .selectFrom("community_members")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", memberId)
    .where("notice_key", "=", key)
    .executeTakeFirst();
