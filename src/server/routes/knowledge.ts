import * as c from "../../contracts";
import * as knowledge from "../../knowledge";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

// The help centre's staff API (issue #17): agents read, search and suggest articles;
// managers and admins (knowledge:write) write articles and categories.

export function knowledgeRoutes(app: App, { db }: ServerContext) {
  crudRoutes(app, {
    path: "/knowledge/articles",
    tags: ["knowledge"],
    write: "knowledge:write",
    list: {
      summary: "Help-centre articles, last changed first (best matches first with q), with views, votes and deflections",
      querystring: c.articleListQuerySchema,
      response: c.articlePageSchema,
      run: (actor, query) => knowledge.listArticles(db, actor, query),
    },
    create: {
      summary: "Write an article (a draft unless status is published)",
      body: c.articleInputSchema,
      response: c.articleSchema,
      run: (actor, body) => knowledge.createArticle(db, actor, body),
    },
    get: {
      summary: "One article with its Markdown and the sanitized HTML",
      response: c.articleSchema,
      run: (actor, id) => knowledge.getArticle(db, actor, id),
    },
    patch: {
      summary: "Edit, publish or unpublish an article (an edit of title or body is kept as a version)",
      body: c.articlePatchSchema,
      response: c.articleSchema,
      run: (actor, id, body) => knowledge.updateArticle(db, actor, id, body),
    },
    remove: { summary: "Delete an article", run: (actor, id) => knowledge.deleteArticle(db, actor, id) },
  });
  crudRoutes(app, {
    path: "/knowledge/categories",
    tags: ["knowledge"],
    write: "knowledge:write",
    list: {
      summary: "Help-centre categories in their order, with their counts of published articles",
      response: c.categoryListSchema,
      run: async (actor) => ({ data: await knowledge.listCategories(db, actor.workspaceId) }),
    },
    create: {
      summary: "Add a category",
      body: c.categoryInputSchema,
      response: c.categorySchema,
      run: (actor, body) => knowledge.createCategory(db, actor, body),
    },
    patch: {
      summary: "Rename, reorder or describe a category",
      body: c.categoryPatchSchema,
      response: c.categorySchema,
      run: (actor, id, body) => knowledge.updateCategory(db, actor, id, body),
    },
    remove: {
      summary: "Delete a category (its articles stay, uncategorized)",
      run: (actor, id) => knowledge.deleteCategory(db, actor, id),
    },
  });

  const route = routeGroup(app, ["knowledge"]);
  route.get("/knowledge/articles/:id/versions", {
    access: "crm:read",
    summary: "An article's saved versions, newest first",
    response: c.articleVersionListSchema,
    run: (actor, { id }) => knowledge.listArticleVersions(db, actor, id),
  });
  route.post("/knowledge/articles::import", {
    access: "knowledge:write",
    summary: "Create or update articles by slug, all or none (parley kb import sends a folder of Markdown files here)",
    body: c.articleImportSchema,
    response: c.articleImportSummarySchema,
    run: (actor, { body }) => knowledge.importArticles(db, actor, body.articles),
  });
  route.get("/knowledge/search", {
    access: "crm:read",
    summary: "Full-text search of the help centre (drafts too unless published_only=true)",
    description:
      'Reads q as a web search box does: every word, "a phrase", -without, or. Words match their other forms ' +
      '("refund" finds "refunds"); titles weigh more than bodies. When no article has every word, articles with any of them are returned.',
    querystring: c.articleSearchQuerySchema,
    response: c.articleHitListSchema,
    run: async (actor, { query }) => ({
      data: await knowledge.searchArticles(db, actor.workspaceId, query.q, {
        limit: query.limit,
        publishedOnly: query.published_only ?? false,
      }),
    }),
  });
  route.get("/knowledge/suggest", {
    access: "crm:read",
    summary: "Published articles that may answer a text, or a conversation's newest inbound message",
    querystring: c.articleSuggestQuerySchema,
    response: c.articleHitListSchema,
    run: (actor, { query }) => knowledge.suggestForAgent(db, actor, query),
  });
  route.post("/knowledge/preview", {
    access: "crm:read",
    summary: "Markdown rendered as the help centre shows it (sanitized HTML)",
    body: c.markdownPreviewSchema,
    response: c.markdownHtmlSchema,
    run: (_actor, { body }) => ({ html: knowledge.renderArticleHtml(body.body) }),
  });
}
