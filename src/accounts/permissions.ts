import { type KeyScope, PERMISSIONS, type Permission } from "../contracts/enums";
import type { Role } from "../store/schema";

export { PERMISSIONS, type Permission };

// What each role may do. Routes name one permission; the server checks it
// before the handler runs, for sessions and API keys alike.
// Each role holds the one below it and more; only the owner may manage the workspace.
// Reports (team and agent performance, CSAT) are for managers up, as in most help desks;
// agents read help-centre articles (and suggest them), managers write them.
const VIEWER: readonly Permission[] = ["crm:read"];
const AGENT: readonly Permission[] = [...VIEWER, "crm:write", "segments:write"];
const MANAGER: readonly Permission[] = [...AGENT, "teams:manage", "reports:read", "knowledge:write"];
const ADMIN: readonly Permission[] = PERMISSIONS.filter((p) => p !== "workspace:manage");
const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: VIEWER,
  agent: AGENT,
  manager: MANAGER,
  admin: ADMIN,
  owner: PERMISSIONS,
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, agent: 1, manager: 2, admin: 3, owner: 4 };

/** What only admins hold: the workspace's people, keys, channels, fields, rules and audit log. */
const ADMIN_ONLY: readonly Permission[] = PERMISSIONS.filter((p) => !MANAGER.includes(p));
const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/**
 * An API key's scope narrows what its role allows: `admin` keeps all of it, `write` drops the
 * admin-only permissions, `read` keeps write's permissions for GET requests only. So
 * read ⊂ write ⊂ admin, whatever the role.
 */
export function scopeAllows(scope: KeyScope, access: Permission | "authenticated", method: string): boolean {
  if (scope === "admin") return true;
  if (access !== "authenticated" && ADMIN_ONLY.includes(access)) return false;
  return scope === "write" || SAFE_METHODS.includes(method.toUpperCase());
}
