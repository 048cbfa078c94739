// Server state of the help centre: the article list and one article, the categories, and
// the suggestions for a conversation (the reply composer's "Suggested articles").
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Article, ArticleHit, ArticleStatus, ArticleSummary, Category } from "../../../../src/contracts/knowledge";
import { api } from "../../api";
import type { List, Page } from "../../types";

export const kbKeys = {
  all: ["knowledge"] as const,
  articles: ["knowledge", "articles"] as const,
  article: (id: string) => ["knowledge", "article", id] as const,
  categories: ["knowledge", "categories"] as const,
  suggest: (conversationId: string) => ["knowledge", "suggest", conversationId] as const,
};

export type ArticleFilter = { q: string; status: ArticleStatus | ""; category_id: string; cursor: string | null; limit: number };

export function useArticles(filter: ArticleFilter) {
  return useQuery({
    queryKey: [...kbKeys.articles, filter],
    queryFn: ({ signal }) => api<Page<ArticleSummary>>("/knowledge/articles", { query: filter, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useArticle(id: string | undefined) {
  return useQuery({
    queryKey: kbKeys.article(id ?? "new"),
    queryFn: ({ signal }) => api<Article>(`/knowledge/articles/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useCategories() {
  return useQuery({
    queryKey: kbKeys.categories,
    queryFn: ({ signal }) => api<List<Category>>("/knowledge/categories", { signal }),
    staleTime: 30_000,
  });
}

/** Published articles that may answer the conversation's newest inbound message. */
export function useSuggestedArticles(conversationId: string) {
  return useQuery({
    queryKey: kbKeys.suggest(conversationId),
    queryFn: ({ signal }) => api<List<ArticleHit>>("/knowledge/suggest", { query: { conversation_id: conversationId }, signal }),
    staleTime: 60_000,
  });
}
