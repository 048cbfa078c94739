import { z } from "zod";
import { listOf, pageOf, pageQuery, queryBool, type Response, timestamp, uuid } from "./common";

// The help centre (issue #17): articles in categories, written in Markdown and served as
// sanitized HTML, found by full-text search, with views, "was this helpful?" votes and
// deflections (a visitor who opened a suggested article and did not post) counted.

export const ARTICLE_STATUSES = ["draft", "published"] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** A URL path segment: lower-case letters, digits and single dashes. */
export const slugSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and dashes (e.g. how-to-get-a-refund)");

// ---------- Requests

export const categoryInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  slug: slugSchema.optional(),
  description: z.string().trim().max(1000).nullish(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const categoryPatchSchema = categoryInputSchema.partial();
export type CategoryInput = z.infer<typeof categoryInputSchema>;

export const articleInputSchema = z.object({
  title: z.string().trim().min(1).max(300),
  slug: slugSchema.optional(),
  body: z.string().max(200_000).default(""),
  status: z.enum(ARTICLE_STATUSES).optional(),
  category_id: uuid.nullish(),
  source_url: z.url({ message: "must be a URL" }).max(2000).nullish(),
});
export const articlePatchSchema = articleInputSchema.partial().extend({ body: z.string().max(200_000).optional() });
export type ArticleInput = z.input<typeof articleInputSchema>;
export type ArticlePatch = z.infer<typeof articlePatchSchema>;

export const articleListQuerySchema = z.object({
  ...pageQuery,
  q: z.string().trim().max(500).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  category_id: uuid.optional(),
});
export type ArticleListQuery = z.infer<typeof articleListQuerySchema>;

export const articleSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(50).optional(),
  published_only: queryBool.optional(),
});

/** Suggestions for a text (`q`) or for a conversation's newest inbound message (`conversation_id`). */
export const articleSuggestQuerySchema = z
  .object({
    q: z.string().trim().max(5000).optional(),
    conversation_id: uuid.optional(),
    limit: z.coerce.number().int().min(1).max(20).optional(),
  })
  .refine((v) => !!v.q || !!v.conversation_id, { message: "give q or conversation_id", path: ["q"] });

/** One article of an import (a Markdown file with front-matter); matched to an existing one by slug. */
export const articleImportItemSchema = z.object({
  title: z.string().trim().min(1).max(300),
  slug: slugSchema,
  body: z.string().max(200_000),
  category: z.string().trim().min(1).max(120).nullish(),
  status: z.enum(ARTICLE_STATUSES).default("published"),
  source_url: z.url({ message: "must be a URL" }).max(2000).nullish(),
});
export type ArticleImportItem = z.output<typeof articleImportItemSchema>;
export const articleImportSchema = z.object({ articles: z.array(articleImportItemSchema).min(1).max(5000) });
export const articleImportSummarySchema = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  categories_created: z.number(),
});

export const markdownPreviewSchema = z.object({ body: z.string().max(200_000) });

// ---------- Answers

export const categorySchema = z.object({
  id: uuid,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  position: z.number(),
  article_count: z.number().meta({ description: "published articles in the category" }),
  created_at: timestamp,
  updated_at: timestamp,
});
export const categoryListSchema = listOf(categorySchema);

const categoryRef = z.object({ id: uuid, name: z.string(), slug: z.string() }).nullable();

export const articleStatsSchema = z.object({
  views: z.number(),
  helpful: z.number(),
  not_helpful: z.number(),
  deflections: z.number().meta({ description: "visitors who opened the article from a suggestion and did not post" }),
});

export const articleSummarySchema = z.object({
  id: uuid,
  title: z.string(),
  slug: z.string(),
  status: z.enum(ARTICLE_STATUSES),
  category: categoryRef,
  author: z.object({ id: uuid, name: z.string() }).nullable(),
  stats: articleStatsSchema,
  published_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const articlePageSchema = pageOf(articleSummarySchema);

export const articleSchema = articleSummarySchema.extend({
  body: z.string().meta({ description: "Markdown, as written" }),
  html: z.string().meta({ description: "the body rendered and sanitized" }),
  source_url: z.string().nullable(),
});

export const articleVersionSchema = z.object({
  id: uuid,
  title: z.string(),
  body: z.string(),
  edited_by: z.object({ id: uuid, name: z.string() }).nullable(),
  created_at: timestamp,
});
export const articleVersionListSchema = listOf(articleVersionSchema);

export const articleHitSchema = z.object({
  id: uuid,
  title: z.string(),
  slug: z.string(),
  status: z.enum(ARTICLE_STATUSES),
  category: categoryRef,
  snippet: z.string().meta({ description: "plain text around the matched words" }),
  rank: z.number(),
  url: z.string().nullable().meta({
    description: "the published article's page in the workspace's public help centre (a path), null for a draft or without a portal",
  }),
});
export const articleHitListSchema = listOf(articleHitSchema);

export const markdownHtmlSchema = z.object({ html: z.string() });

export type Category = Response<typeof categorySchema>;
export type ArticleStats = Response<typeof articleStatsSchema>;
export type ArticleSummary = Response<typeof articleSummarySchema>;
export type Article = Response<typeof articleSchema>;
export type ArticleVersion = Response<typeof articleVersionSchema>;
export type ArticleHit = Response<typeof articleHitSchema>;
