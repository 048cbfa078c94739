import anyAscii from "any-ascii";
import { type Actor, audit, requirePermission } from "../accounts";
import type { ArticleInput, ArticleListQuery, ArticlePatch, ArticleStatus } from "../contracts/knowledge";
import { invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import { DEFAULT_PAGE, decodeTimeCursor, pageOf, timeCursor } from "../shared/pagination";
import { membersByIds } from "../store/accounts";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate, orThrow, touchedOrThrow } from "../store/errors";
import * as store from "../store/knowledge";
import type { KbArticleRow } from "../store/schema-knowledge";
import { type ArticleOut, articleRefs, presentArticle, presentArticleSummary } from "./present";
import { articleText } from "./render";
import { searchRows } from "./search";

// Articles: staff write them (managers and admins), agents read them; a published article
// is what the public help centre shows. Every saved body is kept as a version, so an
// edit can be looked back on; the words of the rendered body feed the search index.

const WRITE = "knowledge:write";

/** A URL slug from a title: ASCII, lower-case, words joined by dashes. */
export function slugify(title: string): string {
  const slug = anyAscii(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  return slug || "article";
}

/** The slug itself when free, else the first free `slug-2`, `slug-3`, … */
async function freeSlug(db: DbOrTx, workspaceId: string, base: string): Promise<string> {
  const taken = await store.articleSlugsLike(db, workspaceId, base);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function checkCategory(db: DbOrTx, workspaceId: string, categoryId: string | null | undefined) {
  if (categoryId && !(await store.findCategory(db, workspaceId, categoryId))) throw invalid("category_id", "not found in this workspace");
}

async function present(db: DbOrTx, workspaceId: string, row: KbArticleRow): Promise<ArticleOut> {
  return presentArticle(row, await articleRefs(db, workspaceId, [row]));
}

const publishedAt = (status: ArticleStatus | undefined, before: KbArticleRow | null) =>
  status === "published" ? (before?.published_at ?? new Date()) : status === "draft" ? null : undefined;

type NewArticle = ArticleInput & { author_id?: string | null };

/** Writes a new article and its first version (the caller holds the transaction and checked the actor). */
export async function insertArticle(tx: DbOrTx, workspaceId: string, input: NewArticle): Promise<KbArticleRow> {
  await checkCategory(tx, workspaceId, input.category_id);
  const body = input.body ?? "";
  const slug = input.slug ?? (await freeSlug(tx, workspaceId, slugify(input.title)));
  const status = input.status ?? "draft";
  const row = await onDuplicate(
    store.insertArticle(tx, {
      workspace_id: workspaceId,
      id: newId(),
      category_id: input.category_id ?? null,
      title: input.title,
      slug,
      body,
      body_text: articleText(body),
      status,
      author_id: input.author_id ?? null,
      source_url: input.source_url ?? null,
      published_at: publishedAt(status, null) ?? null,
    }),
    "slug",
    "another article of this workspace has this slug",
  );
  await store.insertArticleVersion(tx, {
    workspace_id: workspaceId,
    id: newId(),
    article_id: row.id,
    title: row.title,
    body,
    edited_by: input.author_id ?? null,
  });
  return row;
}

export async function createArticle(db: Db, actor: Actor, input: ArticleInput): Promise<ArticleOut> {
  requirePermission(actor, WRITE);
  return db.transaction().execute(async (tx) => {
    const row = await insertArticle(tx, actor.workspaceId, { ...input, author_id: actor.userId });
    await audit(tx, actor, "knowledge.article.created", { type: "article", id: row.id }, `Wrote the article "${row.title}"`);
    return present(tx, actor.workspaceId, row);
  });
}

export async function updateArticle(db: Db, actor: Actor, id: string, patch: ArticlePatch): Promise<ArticleOut> {
  requirePermission(actor, WRITE);
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const before = await orThrow(store.findArticleForUpdate(tx, ws, id), "Article");
    if (patch.category_id !== undefined) await checkCategory(tx, ws, patch.category_id);
    const textChanged =
      (patch.title !== undefined && patch.title !== before.title) || (patch.body !== undefined && patch.body !== before.body);
    const row = await onDuplicate(
      store.updateArticle(tx, ws, id, {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
        ...(patch.body !== undefined ? { body: patch.body, body_text: articleText(patch.body) } : {}),
        ...(patch.status !== undefined ? { status: patch.status, published_at: publishedAt(patch.status, before) ?? null } : {}),
        ...(patch.category_id !== undefined ? { category_id: patch.category_id } : {}),
        ...(patch.source_url !== undefined ? { source_url: patch.source_url } : {}),
      }),
      "slug",
      "another article of this workspace has this slug",
    );
    if (!row) throw notFound("Article");
    if (textChanged)
      await store.insertArticleVersion(tx, {
        workspace_id: ws,
        id: newId(),
        article_id: id,
        title: row.title,
        body: row.body,
        edited_by: actor.userId,
      });
    const what = patch.status && patch.status !== before.status ? (patch.status === "published" ? "Published" : "Unpublished") : "Edited";
    await audit(tx, actor, "knowledge.article.updated", { type: "article", id }, `${what} the article "${row.title}"`);
    return present(tx, ws, row);
  });
}

export async function deleteArticle(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, WRITE);
  await db.transaction().execute(async (tx) => {
    const row = await orThrow(store.findArticle(tx, actor.workspaceId, id), "Article");
    await touchedOrThrow(store.deleteArticle(tx, actor.workspaceId, id), "Article");
    await audit(tx, actor, "knowledge.article.deleted", { type: "article", id }, `Deleted the article "${row.title}"`);
  });
}

export async function getArticle(db: DbOrTx, actor: Actor, id: string): Promise<ArticleOut> {
  const row = await orThrow(store.findArticle(db, actor.workspaceId, id), "Article");
  return present(db, actor.workspaceId, row);
}

/** The staff list: last changed first, or the best matches first when `q` is given (one page then). */
export async function listArticles(db: DbOrTx, actor: Actor, query: ArticleListQuery) {
  const ws = actor.workspaceId;
  const limit = query.limit ?? DEFAULT_PAGE;
  if (query.q) {
    const rows = await searchRows(db, ws, query.q, { limit, status: query.status, categoryId: query.category_id });
    const refs = await articleRefs(db, ws, rows);
    return { data: rows.map((r) => presentArticleSummary(r, refs)), next_cursor: null };
  }
  const rows = await store.pageArticles(db, ws, query, decodeTimeCursor(query.cursor), limit + 1);
  const refs = await articleRefs(db, ws, rows);
  return pageOf(
    rows,
    limit,
    (r) => presentArticleSummary(r, refs),
    (r) => timeCursor(r.updated_at, r.id),
  );
}

export async function listArticleVersions(db: DbOrTx, actor: Actor, id: string) {
  const ws = actor.workspaceId;
  await orThrow(store.findArticle(db, ws, id), "Article");
  const rows = await store.listArticleVersions(db, ws, id);
  const editors = await membersByIds(db, ws, [...new Set(rows.flatMap((r) => (r.edited_by ? [r.edited_by] : [])))]);
  const name = new Map(editors.map((u) => [u.id, u.name]));
  return {
    data: rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      edited_by: r.edited_by && name.has(r.edited_by) ? { id: r.edited_by, name: name.get(r.edited_by) ?? "" } : null,
      created_at: r.created_at,
    })),
  };
}

// ---------- The public help centre (the community portal calls these)

/** A published article by its slug, or null (a draft is not public). */
export async function getPublishedArticle(db: DbOrTx, workspaceId: string, slug: string): Promise<ArticleOut | null> {
  const row = await store.findArticleBySlug(db, workspaceId, slug, "published");
  return row ? present(db, workspaceId, row) : null;
}

/** Published articles in title order, all or one category's (by its id or slug). */
export async function listPublishedArticles(db: DbOrTx, workspaceId: string, options: { category?: string } = {}) {
  let categoryId: string | undefined;
  if (options.category) {
    const category =
      (await store.findCategoryBySlug(db, workspaceId, options.category)) ??
      (/^[0-9a-f-]{36}$/i.test(options.category) ? await store.findCategory(db, workspaceId, options.category) : undefined);
    if (!category) return [];
    categoryId = category.id;
  }
  const rows = await store.listPublishedArticles(db, workspaceId, categoryId);
  const refs = await articleRefs(db, workspaceId, rows);
  return rows.map((r) => presentArticleSummary(r, refs));
}

/**
 * An accepted community answer becomes a draft article in one click: the staff member
 * reviews and publishes it. The answer's text is Markdown from a customer, sanitized when
 * rendered like every body.
 */
export async function promoteAnswerToArticle(
  db: Db,
  workspaceId: string,
  actor: Actor,
  input: { title: string; body: string; sourceUrl?: string | null; categoryId?: string | null },
): Promise<ArticleOut> {
  if (actor.workspaceId !== workspaceId) throw notFound("Workspace");
  requirePermission(actor, WRITE);
  const title = input.title.trim().slice(0, 300);
  if (!title) throw invalid("title", "must not be empty");
  return db.transaction().execute(async (tx) => {
    const row = await insertArticle(tx, workspaceId, {
      title,
      body: input.body.slice(0, 200_000),
      status: "draft",
      category_id: input.categoryId ?? null,
      source_url: input.sourceUrl ?? null,
      author_id: actor.userId,
    });
    await audit(
      tx,
      actor,
      "knowledge.article.promoted",
      { type: "article", id: row.id },
      `Promoted an answer to the article "${row.title}"`,
    );
    return present(tx, workspaceId, row);
  });
}
