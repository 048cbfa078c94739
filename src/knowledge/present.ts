import type { z } from "zod";
import type { articleHitSchema, articleSchema, articleSummarySchema, categorySchema } from "../contracts/knowledge";
import { membersByIds } from "../store/accounts";
import type { DbOrTx } from "../store/db";
import { findCategoriesByIds } from "../store/knowledge";
import type { KbArticleRow, KbCategoryRow } from "../store/schema-knowledge";
import { renderArticleHtml } from "./render";

// Rows leave the help centre only through these presenters: a column added later
// (a visitor's key, the search vector) cannot reach a page or the API by accident.

export type CategoryOut = z.output<typeof categorySchema>;
export type ArticleSummaryOut = z.output<typeof articleSummarySchema>;
export type ArticleOut = z.output<typeof articleSchema>;
export type ArticleHitOut = z.output<typeof articleHitSchema>;

type Ref = { id: string; name: string };
type CategoryRef = { id: string; name: string; slug: string };

export function presentCategory(row: KbCategoryRow & { article_count?: number | null }): CategoryOut {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    position: row.position,
    article_count: Number(row.article_count ?? 0),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The categories and authors a set of articles names, read once for the whole set. */
export async function articleRefs(db: DbOrTx, workspaceId: string, rows: Array<Pick<KbArticleRow, "category_id" | "author_id">>) {
  const categoryIds = [...new Set(rows.flatMap((r) => (r.category_id ? [r.category_id] : [])))];
  const authorIds = [...new Set(rows.flatMap((r) => (r.author_id ? [r.author_id] : [])))];
  const [categories, authors] = await Promise.all([
    findCategoriesByIds(db, workspaceId, categoryIds),
    membersByIds(db, workspaceId, authorIds),
  ]);
  return {
    category: new Map<string, CategoryRef>(categories.map((c) => [c.id, { id: c.id, name: c.name, slug: c.slug }])),
    author: new Map<string, Ref>(authors.map((u) => [u.id, { id: u.id, name: u.name }])),
  };
}
export type ArticleRefs = Awaited<ReturnType<typeof articleRefs>>;

const ref = <T>(map: Map<string, T>, id: string | null) => (id ? (map.get(id) ?? null) : null);

/** What every view of an article starts with: who it is and where it is filed. */
const articleHead = (row: KbArticleRow, refs: ArticleRefs) => ({
  id: row.id,
  title: row.title,
  slug: row.slug,
  status: row.status,
  category: ref(refs.category, row.category_id),
});

export function presentArticleSummary(row: KbArticleRow, refs: ArticleRefs): ArticleSummaryOut {
  return {
    ...articleHead(row, refs),
    author: ref(refs.author, row.author_id),
    stats: {
      views: Number(row.view_count),
      helpful: Number(row.helpful_count),
      not_helpful: Number(row.not_helpful_count),
      deflections: Number(row.deflection_count),
    },
    published_at: row.published_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function presentArticle(row: KbArticleRow, refs: ArticleRefs): ArticleOut {
  return { ...presentArticleSummary(row, refs), body: row.body, html: renderArticleHtml(row.body), source_url: row.source_url };
}

/**
 * Where the public portal (community/, at /c/<portal slug>) serves the help centre and one
 * published article: the portal's pages and the composer's links are built from these.
 */
export function helpCentrePath(portal: string, articleSlug?: string): string {
  const base = `/c/${encodeURIComponent(portal)}/help`;
  return articleSlug ? `${base}/${encodeURIComponent(articleSlug)}` : base;
}

export function presentHit(row: KbArticleRow & { rank: number; snippet: string }, refs: ArticleRefs, portal: string | null): ArticleHitOut {
  return {
    ...articleHead(row, refs),
    snippet: row.snippet.trim(),
    rank: Math.round(Number(row.rank) * 10_000) / 10_000,
    url: portal && row.status === "published" ? helpCentrePath(portal, row.slug) : null,
  };
}
