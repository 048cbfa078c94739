import {
  getPublishedArticle,
  listPublishedArticles,
  recordArticleFeedback,
  recordArticleView,
  recordDeflection,
  searchArticles,
} from "../knowledge";
import { notFound } from "../shared/errors";
import type { DbOrTx } from "../store/db";
import type { Portal } from "./portal";

// The help centre on the portal: the knowledge module's published articles at /c/<slug>/help,
// found by the search box and suggested while a member types a question (deflection: an
// article opened from those suggestions is counted once per visitor).

export type ArticleSuggestion = { title: string; url: string; excerpt: string | null };

export async function suggestArticles(db: DbOrTx, workspaceId: string, q: string, limit = 5): Promise<ArticleSuggestion[]> {
  if (q.trim().length < 3) return [];
  const hits = await searchArticles(db, workspaceId, q, { limit });
  return hits.flatMap((h) => (h.url ? [{ title: h.title, url: h.url, excerpt: h.snippet || null }] : []));
}

export async function helpIndex(db: DbOrTx, portal: Portal) {
  return listPublishedArticles(db, portal.workspaceId);
}

/** A published article's page; the view (and, opened from the ask form's suggestions, the deflection) is counted. */
export async function helpArticle(db: DbOrTx, portal: Portal, slug: string, visit: { visitorKey: string; fromAsk: boolean }) {
  const article = slug.length <= 200 ? await getPublishedArticle(db, portal.workspaceId, slug) : null;
  if (!article) throw notFound("Article");
  await recordArticleView(db, portal.workspaceId, { articleId: article.id, visitorKey: visit.visitorKey });
  if (visit.fromAsk) await recordDeflection(db, portal.workspaceId, { articleId: article.id, visitorKey: visit.visitorKey });
  return { id: article.id, slug: article.slug, title: article.title, html: article.html };
}

export async function articleFeedback(db: DbOrTx, portal: Portal, slug: string, visit: { visitorKey: string; helpful: boolean }) {
  const article = slug.length <= 200 ? await getPublishedArticle(db, portal.workspaceId, slug) : null;
  if (!article) throw notFound("Article");
  await recordArticleFeedback(db, portal.workspaceId, { articleId: article.id, visitorKey: visit.visitorKey, helpful: visit.helpful });
  return article.slug;
}
