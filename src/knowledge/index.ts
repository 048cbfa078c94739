// The help centre (issue #17): articles in categories, written in Markdown and served as
// sanitized HTML, found by PostgreSQL full-text search, suggested to agents in the reply
// composer and to customers in the portal's "ask" box, and measured by views, "was this
// helpful?" votes and deflections. Staff routes (server/routes/knowledge.ts) call the
// actor-taking functions; the public portal (community/) calls the workspace-taking ones,
// which only ever show published articles.

export {
  createArticle,
  deleteArticle,
  getArticle,
  getPublishedArticle,
  listArticles,
  listArticleVersions,
  listPublishedArticles,
  promoteAnswerToArticle,
  slugify,
  updateArticle,
} from "./articles";
export { createCategory, deleteCategory, listCategories, updateCategory } from "./categories";
export { type ImportSummary, importArticles, parseArticleFile } from "./import";
export { type ArticleHitOut, type ArticleOut, type ArticleSummaryOut, type CategoryOut, helpCentrePath } from "./present";
export { articleText, renderArticleHtml } from "./render";
export { searchArticles, suggestArticles, suggestForAgent } from "./search";
export {
  DEFLECTION_WINDOW_MINUTES,
  recordArticleFeedback,
  recordArticleView,
  recordDeflection,
  withdrawDeflections,
} from "./visitors";
