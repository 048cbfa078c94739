import { type Insertable, type RawBuilder, type Selectable, type SqlBool, sql, type Updateable } from "kysely";
import type { ArticleStatus } from "../contracts/knowledge";
import type { DbOrTx } from "./db";
import { deleteById, findById, pageDescending } from "./rows";
import type { KbArticleRow, KbArticleTable, KbArticleVersionTable, KbCategoryTable } from "./schema-knowledge";

// SQL of the help centre (issue #17): categories, articles and their versions, full-text
// search over the generated `search` column (english configuration, GIN index), and the
// per-visitor memory that makes a vote or a deflection count once.

// ---------- Categories

export function listCategories(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("kb_categories as c")
    .selectAll("c")
    .select((eb) =>
      eb
        .selectFrom("kb_articles as a")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("a.workspace_id", "=", "c.workspace_id")
        .whereRef("a.category_id", "=", "c.id")
        .where("a.status", "=", "published")
        .as("article_count"),
    )
    .where("c.workspace_id", "=", workspaceId)
    .orderBy("c.position")
    .orderBy("c.name")
    .execute();
}
export function findCategory(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "kb_categories", workspaceId, id);
}
export function findCategoryBySlug(db: DbOrTx, workspaceId: string, slug: string) {
  return db.selectFrom("kb_categories").selectAll().where("workspace_id", "=", workspaceId).where("slug", "=", slug).executeTakeFirst();
}
export function findCategoriesByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("kb_categories").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();
}
export function insertCategory(db: DbOrTx, row: Insertable<KbCategoryTable>) {
  return db.insertInto("kb_categories").values(row).returningAll().executeTakeFirstOrThrow();
}
type Stamped = { kb_categories: KbCategoryTable; kb_articles: KbArticleTable };

/** Changes one category or article, stamps updated_at, and returns the row as it is now (undefined if none). */
function updateReturning<T extends keyof Stamped>(db: DbOrTx, table: T, workspaceId: string, id: string, patch: Updateable<Stamped[T]>) {
  return db
    .updateTable(table as "kb_articles")
    .set({ ...(patch as Updateable<KbArticleTable>), updated_at: sql`now()` })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst() as Promise<Selectable<Stamped[T]> | undefined>;
}

export function updateCategory(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<KbCategoryTable>) {
  return updateReturning(db, "kb_categories", workspaceId, id, patch);
}
export function deleteCategory(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "kb_categories", workspaceId, id);
}

// ---------- Articles

export function insertArticle(db: DbOrTx, row: Insertable<KbArticleTable>) {
  return db.insertInto("kb_articles").values(row).returningAll().executeTakeFirstOrThrow();
}
export function updateArticle(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<KbArticleTable>) {
  return updateReturning(db, "kb_articles", workspaceId, id, patch);
}
export function deleteArticle(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "kb_articles", workspaceId, id);
}
export function findArticle(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "kb_articles", workspaceId, id);
}
export function findArticleForUpdate(db: DbOrTx, workspaceId: string, id: string) {
  return db
    .selectFrom("kb_articles")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}
export function findArticleBySlug(db: DbOrTx, workspaceId: string, slug: string, status?: ArticleStatus) {
  let q = db.selectFrom("kb_articles").selectAll().where("workspace_id", "=", workspaceId).where("slug", "=", slug);
  if (status) q = q.where("status", "=", status);
  return q.executeTakeFirst();
}
/** Slugs of the workspace's articles that start with `base` (to find a free one). */
export async function articleSlugsLike(db: DbOrTx, workspaceId: string, base: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("kb_articles")
    .select("slug")
    .where("workspace_id", "=", workspaceId)
    .where(sql<SqlBool>`left(slug, ${base.length}) = ${base}`)
    .execute();
  return new Set(rows.map((r) => r.slug));
}

export type ArticleFilter = { status?: ArticleStatus; category_id?: string };

/** One page of the workspace's articles, last changed first. */
export function pageArticles(
  db: DbOrTx,
  workspaceId: string,
  filter: ArticleFilter,
  after: [string, string] | undefined,
  limit: number,
): Promise<KbArticleRow[]> {
  let q = db.selectFrom("kb_articles").selectAll().where("workspace_id", "=", workspaceId);
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.category_id) q = q.where("category_id", "=", filter.category_id);
  return pageDescending(q, "updated_at", "timestamptz", after, limit);
}

/** Published articles, a category's or all, in title order (the help centre's index). */
export function listPublishedArticles(db: DbOrTx, workspaceId: string, categoryId?: string) {
  let q = db.selectFrom("kb_articles").selectAll().where("workspace_id", "=", workspaceId).where("status", "=", "published");
  if (categoryId) q = q.where("category_id", "=", categoryId);
  return q.orderBy("title").orderBy("id").limit(1000).execute();
}

export type SearchMatch = "all" | "any";
export type SearchOptions = { limit: number; status?: ArticleStatus; categoryId?: string };

/**
 * Articles matching a query, best first. "all" reads the text as a web search box does
 * (every word, "quoted phrases", -exclusions, or); "any" wants any one of the words — for
 * suggestions from a customer's whole message. Words are stemmed (english), so "refund"
 * finds "refunds" and "refunding"; a match in the title weighs more than one in the body.
 */
export function searchArticles(db: DbOrTx, workspaceId: string, text: string, match: SearchMatch, options: SearchOptions) {
  const query: RawBuilder<string> =
    match === "all" ? sql`websearch_to_tsquery('english', ${text})` : sql`websearch_to_tsquery('english', ${anyOf(text)})`;
  let q = db
    .selectFrom(sql`${query}`.as("q"))
    .innerJoin("kb_articles as a", (join) => join.on(sql<SqlBool>`a.search @@ q.q`))
    .selectAll("a")
    .select([
      sql<number>`ts_rank_cd(a.search, q.q, 1)`.as("rank"),
      sql<string>`ts_headline('english', left(a.body_text, 20000), q.q, 'StartSel="",StopSel="",MaxWords=30,MinWords=12,ShortWord=2')`.as(
        "snippet",
      ),
    ])
    .where("a.workspace_id", "=", workspaceId);
  if (options.status) q = q.where("a.status", "=", options.status);
  if (options.categoryId) q = q.where("a.category_id", "=", options.categoryId);
  return q.orderBy("rank", "desc").orderBy("a.updated_at", "desc").orderBy("a.id").limit(options.limit).execute();
}

/** The text's words as "w1 or w2 or …" for websearch_to_tsquery (operators and quotes dropped). */
function anyOf(text: string): string {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].slice(0, 60);
  return words.join(" or ");
}

/** The slug of the workspace's public portal (community/), where published articles are served; null without one. */
export async function portalSlug(db: DbOrTx, workspaceId: string): Promise<string | null> {
  const row = await db.selectFrom("community_portals").select("slug").where("workspace_id", "=", workspaceId).executeTakeFirst();
  return row?.slug ?? null;
}

// ---------- Versions

export async function insertArticleVersion(db: DbOrTx, row: Insertable<KbArticleVersionTable>) {
  await db.insertInto("kb_article_versions").values(row).execute();
}
export function listArticleVersions(db: DbOrTx, workspaceId: string, articleId: string) {
  return db
    .selectFrom("kb_article_versions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("article_id", "=", articleId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();
}

// ---------- Views, votes and deflections

type Counter = "view_count" | "helpful_count" | "not_helpful_count" | "deflection_count";

async function bump(db: DbOrTx, workspaceId: string, articleId: string, deltas: Partial<Record<Counter, number>>) {
  const set: Record<string, RawBuilder<number>> = {};
  for (const [column, delta] of Object.entries(deltas)) if (delta) set[column] = sql<number>`${sql.ref(column)} + ${delta}`;
  if (Object.keys(set).length === 0) return;
  await db.updateTable("kb_articles").set(set).where("workspace_id", "=", workspaceId).where("id", "=", articleId).execute();
}

/** Counts a view (every view counts; the visitor's last view is remembered). */
export async function recordView(db: DbOrTx, workspaceId: string, articleId: string, visitorKey: string) {
  await db
    .insertInto("kb_visitors")
    .values({ workspace_id: workspaceId, article_id: articleId, visitor_key: visitorKey, viewed_at: sql`now()` })
    .onConflict((oc) => oc.columns(["workspace_id", "article_id", "visitor_key"]).doUpdateSet({ viewed_at: sql`now()` }))
    .execute();
  await bump(db, workspaceId, articleId, { view_count: 1 });
}

/** The visitor's vote: one per visitor and article; voting again changes it. */
export async function recordFeedback(db: DbOrTx, workspaceId: string, articleId: string, visitorKey: string, helpful: boolean) {
  const before = await db
    .selectFrom("kb_visitors")
    .select("helpful")
    .where("workspace_id", "=", workspaceId)
    .where("article_id", "=", articleId)
    .where("visitor_key", "=", visitorKey)
    .forUpdate()
    .executeTakeFirst();
  if (before?.helpful === helpful) return;
  await db
    .insertInto("kb_visitors")
    .values({ workspace_id: workspaceId, article_id: articleId, visitor_key: visitorKey, helpful })
    .onConflict((oc) => oc.columns(["workspace_id", "article_id", "visitor_key"]).doUpdateSet({ helpful }))
    .execute();
  const was = before?.helpful;
  await bump(db, workspaceId, articleId, {
    helpful_count: (helpful ? 1 : 0) - (was === true ? 1 : 0),
    not_helpful_count: (helpful ? 0 : 1) - (was === false ? 1 : 0),
  });
}

/** A deflection counts once per visitor and article; true when this one counted. */
export async function recordDeflection(db: DbOrTx, workspaceId: string, articleId: string, visitorKey: string): Promise<boolean> {
  const row = await db
    .insertInto("kb_visitors")
    .values({ workspace_id: workspaceId, article_id: articleId, visitor_key: visitorKey, deflected_at: sql`now()` })
    .onConflict((oc) =>
      oc
        .columns(["workspace_id", "article_id", "visitor_key"])
        .doUpdateSet({ deflected_at: sql`now()` })
        .where("kb_visitors.deflected_at", "is", null),
    )
    .returning("article_id")
    .executeTakeFirst();
  if (!row) return false;
  await bump(db, workspaceId, articleId, { deflection_count: 1 });
  return true;
}

/**
 * Withdraws the deflections these visitor keys counted in the last `minutes` (the asker posted
 * the question after all); returns how many were withdrawn.
 */
export async function withdrawDeflections(db: DbOrTx, workspaceId: string, visitorKeys: string[], minutes: number): Promise<number> {
  if (visitorKeys.length === 0) return 0;
  const rows = await db
    .updateTable("kb_visitors")
    .set({ deflected_at: null })
    .where("workspace_id", "=", workspaceId)
    .where("visitor_key", "in", visitorKeys)
    .where("deflected_at", ">=", sql<Date>`now() - make_interval(mins => ${minutes})`)
    .returning("article_id")
    .execute();
  const perArticle = new Map<string, number>();
  for (const r of rows) perArticle.set(r.article_id, (perArticle.get(r.article_id) ?? 0) + 1);
  for (const [articleId, n] of perArticle) await bump(db, workspaceId, articleId, { deflection_count: -n });
  return rows.length;
}
