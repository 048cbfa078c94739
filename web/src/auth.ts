// Who is signed in, and what their role lets them do in the UI. The server
// enforces every permission anyway; the UI only hides what would be refused.
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import type { SetupState } from "../../src/contracts/accounts";
import { ApiError, api } from "./api";
import type { Me, Role } from "./types";

export const meQueryKey = ["auth", "me"] as const;
export const setupQueryKey = ["auth", "setup"] as const;

export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>("/auth/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** Whether the first owner still has to sign up, and whether anyone else may (otherwise: by invitation). */
export type { SetupState };

export function useSetupQuery(enabled: boolean) {
  return useQuery({
    queryKey: setupQueryKey,
    queryFn: () => api<SetupState>("/auth/setup"),
    enabled,
    retry: false,
  });
}

/** The signed-in identity, provided by the auth gate in App. */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe called outside a signed-in session");
  return me;
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, manager: 2, admin: 3, owner: 4 };

export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export type Permissions = {
  canWrite: boolean;
  canManageTeams: boolean;
  canAdmin: boolean;
  isOwner: boolean;
};

export function usePermissions(): Permissions {
  const { role } = useMe();
  return {
    canWrite: atLeast(role, "agent"),
    canManageTeams: atLeast(role, "manager"),
    canAdmin: atLeast(role, "admin"),
    isOwner: role === "owner",
  };
}
