import { parse as parseYaml } from "yaml";
import { type Actor, audit, requirePermission } from "../accounts";
import { type ArticleImportItem, articleImportItemSchema } from "../contracts/knowledge";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db } from "../store/db";
import * as store from "../store/knowledge";
import { insertArticle, slugify } from "./articles";
import { articleText } from "./render";

// Importing a folder of Markdown files (`parley kb import DIR`): each file is one article, its
// front-matter (YAML between --- lines) giving title, slug, category, status and source_url.
// Articles are matched by slug, so importing the same folder again updates them instead of
// making copies; a category named in a file is created when the workspace lacks it.

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** One Markdown file as an article to import; throws a validation error naming the file. */
export function parseArticleFile(fileName: string, text: string): ArticleImportItem {
  const match = FRONT_MATTER.exec(text);
  let meta: Record<string, unknown> = {};
  if (match) {
    let parsed: unknown;
    try {
      parsed = parseYaml(match[1] ?? "");
    } catch (err) {
      throw invalid(fileName, `the front-matter is not YAML (${(err as Error).message.split("\n")[0]})`);
    }
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed)))
      throw invalid(fileName, "the front-matter must be key: value lines");
    meta = (parsed ?? {}) as Record<string, unknown>;
  }
  let body = match ? text.slice(match[0].length) : text.replace(/^\uFEFF/, "");
  // The file's own name (not its folder) makes the slug and, failing all else, the title.
  const stem = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.(md|markdown)$/i, "");
  let title = typeof meta.title === "string" ? meta.title : undefined;
  if (!title) {
    // No title in the front-matter: the first "# heading" is the title (and leaves the body).
    const heading = /^\s*#[ \t]+(.+?)[ \t#]*(?:\r?\n|$)/.exec(body);
    if (heading) {
      title = heading[1];
      body = body.slice(heading[0].length);
    } else title = stem.replace(/[-_]+/g, " ");
  }
  const result = articleImportItemSchema.safeParse({
    title,
    body: body.replace(/^\s*\n/, ""),
    slug: meta.slug ?? slugify(stem),
    category: meta.category ?? null,
    status: meta.status ?? (meta.draft === true ? "draft" : "published"),
    source_url: meta.source_url ?? null,
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(fileName, `${issue?.path.join(".") || "file"}: ${issue?.message ?? "is not valid"}`);
  }
  return result.data;
}

export type ImportSummary = { created: number; updated: number; unchanged: number; categories_created: number };

/** Creates or updates (by slug) each article, in one transaction: all of them or none. */
export async function importArticles(db: Db, actor: Actor, items: ArticleImportItem[]): Promise<ImportSummary> {
  requirePermission(actor, "knowledge:write");
  const ws = actor.workspaceId;
  const slugs = new Set<string>();
  for (const item of items) {
    if (slugs.has(item.slug)) throw invalid("slug", `${item.slug} is given to two articles`);
    slugs.add(item.slug);
  }
  return db.transaction().execute(async (tx) => {
    const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, categories_created: 0 };
    const categories = new Map(
      (await store.listCategories(tx, ws)).flatMap((c) => [[c.slug, c.id] as const, [c.name.toLowerCase(), c.id] as const]),
    );
    for (const item of items) {
      let categoryId: string | null = null;
      if (item.category) {
        const known = categories.get(item.category.toLowerCase()) ?? categories.get(slugify(item.category));
        if (known) categoryId = known;
        else {
          const row = await store.insertCategory(tx, { workspace_id: ws, id: newId(), name: item.category, slug: slugify(item.category) });
          categories.set(row.slug, row.id).set(row.name.toLowerCase(), row.id);
          categoryId = row.id;
          summary.categories_created++;
        }
      }
      const existing = await store.findArticleBySlug(tx, ws, item.slug);
      if (!existing) {
        await insertArticle(tx, ws, { ...item, category_id: categoryId, author_id: actor.userId });
        summary.created++;
        continue;
      }
      const same =
        existing.title === item.title &&
        existing.body === item.body &&
        existing.status === item.status &&
        existing.category_id === categoryId &&
        existing.source_url === (item.source_url ?? null);
      if (same) {
        summary.unchanged++;
        continue;
      }
      await store.updateArticle(tx, ws, existing.id, {
        title: item.title,
        body: item.body,
        body_text: articleText(item.body),
        status: item.status,
        category_id: categoryId,
        source_url: item.source_url ?? null,
        published_at: item.status === "published" ? (existing.published_at ?? new Date()) : null,
      });
      if (existing.title !== item.title || existing.body !== item.body)
        await store.insertArticleVersion(tx, {
          workspace_id: ws,
          id: newId(),
          article_id: existing.id,
          title: item.title,
          body: item.body,
          edited_by: actor.userId,
        });
      summary.updated++;
    }
    if (summary.created + summary.updated > 0)
      await audit(
        tx,
        actor,
        "knowledge.articles.imported",
        { type: "article" },
        `Imported help-centre articles: ${summary.created} new, ${summary.updated} updated`,
      );
    return summary;
  });
}
