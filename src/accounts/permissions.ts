import type { Role } from "../store/schema";

// What each role may do. Routes name one permission; the server checks it
// before the handler runs, for sessions and API keys alike.
export const PERMISSIONS = [
  "crm:read",
  "crm:write",
  "segments:write",
  "teams:manage",
  "fields:manage",
  "users:manage",
  "keys:manage",
  "channels:manage",
  "workspace:manage",
  "rules:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["crm:read"],
  agent: ["crm:read", "crm:write", "segments:write"],
  manager: ["crm:read", "crm:write", "segments:write", "teams:manage"],
  admin: [
    "crm:read",
    "crm:write",
    "segments:write",
    "teams:manage",
    "fields:manage",
    "users:manage",
    "keys:manage",
    "channels:manage",
    "rules:manage",
  ],
  owner: PERMISSIONS,
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, agent: 1, manager: 2, admin: 3, owner: 4 };
