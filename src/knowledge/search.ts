import type { Actor } from "../accounts";
import type { ArticleStatus } from "../contracts/knowledge";
import type { DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import * as store from "../store/knowledge";
import { findConversation } from "../store/listening";
import { latestInbound } from "../store/replies";
import { type ArticleHitOut, articleRefs, presentHit } from "./present";

// Finding articles: the search box reads the query as a web search does (every word,
// "phrases", -not, or) and, when nothing has all the words, falls back to any of them;
// suggestions start from a customer's whole message, so any word may match and the
// ranking (title above body, more matched words first) puts the best article on top.

const DEFAULT_LIMIT = 10;

export type SearchRowsOptions = { limit?: number; status?: ArticleStatus; categoryId?: string };

/** Matching article rows (with rank and snippet), best first. */
export async function searchRows(db: DbOrTx, workspaceId: string, q: string, options: SearchRowsOptions = {}) {
  const text = q.trim().slice(0, 1000);
  if (!text) return [];
  const opts = { limit: options.limit ?? DEFAULT_LIMIT, status: options.status, categoryId: options.categoryId };
  const all = await store.searchArticles(db, workspaceId, text, "all", opts);
  return all.length > 0 ? all : store.searchArticles(db, workspaceId, text, "any", opts);
}

async function presentHits(db: DbOrTx, workspaceId: string, rows: Awaited<ReturnType<typeof searchRows>>): Promise<ArticleHitOut[]> {
  if (rows.length === 0) return [];
  const [refs, portal] = await Promise.all([articleRefs(db, workspaceId, rows), store.portalSlug(db, workspaceId)]);
  return rows.map((r) => presentHit(r, refs, portal));
}

/** The help centre's search: published articles only unless `publishedOnly` is false (staff). */
export async function searchArticles(
  db: DbOrTx,
  workspaceId: string,
  q: string,
  options: { limit?: number; publishedOnly?: boolean } = {},
): Promise<ArticleHitOut[]> {
  const rows = await searchRows(db, workspaceId, q, {
    limit: options.limit,
    status: options.publishedOnly === false ? undefined : "published",
  });
  return presentHits(db, workspaceId, rows);
}

/** Published articles that may answer a text (a question being typed, a customer's message). */
export async function suggestArticles(db: DbOrTx, workspaceId: string, text: string, limit = 5): Promise<ArticleHitOut[]> {
  const clean = text.trim().slice(0, 5000);
  if (!clean) return [];
  const rows = await store.searchArticles(db, workspaceId, clean, "any", { limit, status: "published" });
  return presentHits(db, workspaceId, rows);
}

/** Suggestions in the agent's reply composer: for a text, or the conversation's newest inbound message. */
export async function suggestForAgent(
  db: DbOrTx,
  actor: Actor,
  query: { q?: string; conversation_id?: string; limit?: number },
): Promise<{ data: ArticleHitOut[] }> {
  let text = query.q ?? "";
  if (!text && query.conversation_id) {
    await orThrow(findConversation(db, actor.workspaceId, query.conversation_id), "Conversation");
    text = (await latestInbound(db, actor.workspaceId, query.conversation_id))?.text ?? "";
  }
  return { data: await suggestArticles(db, actor.workspaceId, text, query.limit ?? 5) };
}
