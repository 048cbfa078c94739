import { invalid } from "../shared/errors";
import type { DbOrTx } from "../store/db";
import * as store from "../store/knowledge";

// What visitors of the public help centre do with an article: view it, say whether it
// helped, and — having opened it from a suggestion while asking — leave without posting
// (a deflection). `visitorKey` names the visitor (a member id, or a cookie's random id):
// a vote or a deflection counts once per visitor and article; every view counts.
// Only published articles count: a draft has no public page.

type Visit = { articleId: string; visitorKey: string };

async function publishedArticle(db: DbOrTx, workspaceId: string, visit: Visit) {
  const key = visit.visitorKey.trim();
  if (!key || key.length > 200) throw invalid("visitorKey", "must be 1 to 200 characters");
  const article = await store.findArticle(db, workspaceId, visit.articleId);
  return article?.status === "published" ? { id: article.id, key } : null;
}

/** Counts a view of a published article; false when there is no such article. */
export async function recordArticleView(db: DbOrTx, workspaceId: string, visit: Visit): Promise<boolean> {
  const found = await publishedArticle(db, workspaceId, visit);
  if (found) await store.recordView(db, workspaceId, found.id, found.key);
  return !!found;
}

/** "Was this helpful?": one answer per visitor, which a second answer replaces. */
export async function recordArticleFeedback(db: DbOrTx, workspaceId: string, visit: Visit & { helpful: boolean }): Promise<boolean> {
  const found = await publishedArticle(db, workspaceId, visit);
  if (found) await store.recordFeedback(db, workspaceId, found.id, found.key, visit.helpful);
  return !!found;
}

/**
 * The visitor opened this suggested article from the "ask" form. It counts at once (most askers
 * who open one never come back to post); if they do post, withdrawDeflections takes it back.
 */
export async function recordDeflection(db: DbOrTx, workspaceId: string, visit: Visit): Promise<boolean> {
  const found = await publishedArticle(db, workspaceId, visit);
  return found ? store.recordDeflection(db, workspaceId, found.id, found.key) : false;
}

/** How long after opening a suggested article posting the question still means it did not help. */
export const DEFLECTION_WINDOW_MINUTES = 60;

/**
 * The visitor posted their question after all: the deflections they counted in the last
 * DEFLECTION_WINDOW_MINUTES did not deflect anything. `visitorKeys` are every key the visitor
 * may have counted under (their member id, and their browser's key from before signing in).
 */
export async function withdrawDeflections(db: DbOrTx, workspaceId: string, visitorKeys: string[]): Promise<number> {
  const keys = [...new Set(visitorKeys.map((k) => k.trim()).filter((k) => k && k.length <= 200))];
  return store.withdrawDeflections(db, workspaceId, keys, DEFLECTION_WINDOW_MINUTES);
}
