// Server state of people and influence: the ranked list (all, advocates, detractors), a
// contact's figures for the person view, and recomputing them now.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ContactInfluence, InfluenceKind, InfluenceList, InfluenceRun } from "../../../../src/contracts/influence";
import { api } from "../../api";

export function useInfluence(kind: InfluenceKind, limit = 100) {
  return useQuery({
    queryKey: ["influence", kind, limit],
    queryFn: () => api<InfluenceList>("/people/influence", { query: { kind, limit } }),
    placeholderData: keepPreviousData,
  });
}

export function useContactInfluence(contactId: string) {
  return useQuery({
    queryKey: ["influence", "contact", contactId],
    queryFn: () => api<ContactInfluence>(`/contacts/${contactId}/influence`),
  });
}

export function useRecomputeInfluence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<InfluenceRun>("/people/influence:run", { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["influence"] }),
  });
}
