// Server state of cases, deals and ideas: one record's query and its PATCH, the
// create-then-open mutation of the "New …" modals, and the pipelines list.
import { notifications } from "@mantine/notifications";
import { type InvalidateQueryFilters, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { api, errorMessage } from "../../api";
import type { List } from "../../types";
import type { Pipeline } from "./types";

export type WorkKind = "cases" | "deals" | "ideas";

export const workKeys = {
  one: (kind: WorkKind, id: string) => [kind, "one", id] as const,
};

export function usePipelines() {
  return useQuery({ queryKey: ["pipelines"], queryFn: () => api<List<Pipeline>>("/pipelines"), staleTime: 60_000 });
}

/** One case, deal or idea. */
export function useWorkItem<T>(kind: WorkKind, id: string, refetchInterval?: number) {
  return useQuery({ queryKey: workKeys.one(kind, id), queryFn: () => api<T>(`/${kind}/${id}`), refetchInterval });
}

/**
 * PATCH one case, deal or idea: the answer replaces the cached record, `refresh`
 * names the lists to refetch, and a failure shows "Could not change the <noun>".
 */
export function useWorkItemUpdate<T>(kind: WorkKind, id: string, noun: string, refresh: InvalidateQueryFilters) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) => api<T>(`/${kind}/${id}`, { method: "PATCH", body: patch }),
    onSuccess: (item) => {
      client.setQueryData(workKeys.one(kind, id), item);
      client.invalidateQueries(refresh);
    },
    onError: (error) => notifications.show({ color: "red", title: `Could not change the ${noun}`, message: errorMessage(error) }),
  });
}

/** POST a new case, deal or idea, then close the modal and open the new record's page. */
export function useCreateWorkItem<T extends { id: string }>(kind: WorkKind, body: () => unknown, onCreated: () => void) {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api<T>(`/${kind}`, { method: "POST", body: body() }),
    onSuccess: (item) => {
      client.invalidateQueries({ queryKey: [kind] });
      onCreated();
      navigate(`/${kind}/${item.id}`);
    },
  });
}
