// Server state of emerging issues: the list (all or bursting, searched by name) and one issue's card.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Issue, IssueCard } from "../../../../src/contracts/issues";
import { api } from "../../api";
import type { Page } from "../../types";

export function useIssues(filter: { bursting: boolean; q: string; cursor?: string; limit: number }) {
  return useQuery({
    queryKey: ["issues", filter],
    queryFn: () =>
      api<Page<Issue>>("/issues", {
        query: { bursting: filter.bursting ? "true" : undefined, q: filter.q || undefined, cursor: filter.cursor, limit: filter.limit },
      }),
    placeholderData: keepPreviousData,
  });
}

export function useIssue(id: string) {
  return useQuery({ queryKey: ["issues", "card", id], queryFn: () => api<IssueCard>(`/issues/${id}`) });
}
