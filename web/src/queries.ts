// Shared server-state hooks: the lists many pages need (fields, members, teams).
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { Channel, CustomField, CustomFieldEntity, List, Member, Segment, Team } from "./types";

export const keys = {
  customFields: (entity: CustomFieldEntity) => ["custom-fields", entity] as const,
  members: ["users"] as const,
  invitations: ["invitations"] as const,
  teams: ["teams"] as const,
  apiKeys: ["api-keys"] as const,
  segments: ["segments"] as const,
  contacts: ["contacts"] as const,
  contact: (id: string) => ["contacts", "one", id] as const,
  organizations: ["organizations"] as const,
  organization: (id: string) => ["organizations", "one", id] as const,
  timeline: (owner: "contacts" | "organizations", id: string) => ["timeline", owner, id] as const,
  activities: ["activities"] as const,
  conversations: ["conversations"] as const,
  conversation: (id: string) => ["conversations", "one", id] as const,
  channels: ["channels"] as const,
  ownAccounts: ["own-accounts"] as const,
  dictionary: ["dictionary"] as const,
};

export function useCustomFields(entity: CustomFieldEntity) {
  return useQuery({
    queryKey: keys.customFields(entity),
    queryFn: async () => {
      const res = await api<List<CustomField>>("/custom-fields", { query: { entity } });
      return [...res.data].sort((a, b) => a.position - b.position || a.created_at.localeCompare(b.created_at));
    },
    staleTime: 60_000,
  });
}

/** A whole (unpaged) list endpoint's rows, cached for `staleTime`. */
function useListQuery<T>(queryKey: readonly string[], path: string, staleTime: number) {
  return useQuery({ queryKey, queryFn: async () => (await api<List<T>>(path)).data, staleTime });
}

/** Workspace members; roles that may not list them simply get none. */
export function useMembers() {
  return useListQuery<Member>(keys.members, "/users", 60_000);
}

export function useTeams() {
  return useListQuery<Team>(keys.teams, "/teams", 60_000);
}

export function useSegments() {
  return useListQuery<Segment>(keys.segments, "/segments", 60_000);
}

export function memberLabel(member: Pick<Member, "name" | "email">): string {
  return member.name ? `${member.name} (${member.email})` : member.email;
}

export function useChannels() {
  return useListQuery<Channel>(keys.channels, "/channels", 30_000);
}
