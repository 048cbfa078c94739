import { PERMISSIONS, type Permission } from "../contracts/enums";
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
