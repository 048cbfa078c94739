// Server state of the community portal's staff side: its settings and the moderation queue.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CommunitySettings, CommunitySettingsPatch, ModerationItem } from "../../../../src/contracts/community";
import { api } from "../../api";

export const communityKeys = {
  settings: ["community", "settings"] as const,
  queue: ["community", "moderation"] as const,
};

export function useCommunitySettings() {
  return useQuery({ queryKey: communityKeys.settings, queryFn: ({ signal }) => api<CommunitySettings>("/community/settings", { signal }) });
}

export function useUpdateCommunitySettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CommunitySettingsPatch) => api<CommunitySettings>("/community/settings", { method: "PATCH", body }),
    onSuccess: (settings) => client.setQueryData(communityKeys.settings, settings),
  });
}

export function useModerationQueue() {
  return useQuery({
    queryKey: communityKeys.queue,
    queryFn: ({ signal }) => api<{ data: ModerationItem[] }>("/community/moderation", { signal }),
  });
}

export function useModerate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { post_id: string; action: "hide" | "restore" | "dismiss" }) =>
      api<{ post_id: string; hidden: boolean }>("/community/moderation", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: communityKeys.queue }),
  });
}
