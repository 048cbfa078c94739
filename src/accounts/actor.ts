// Who is acting: the actor every domain call receives, the permission check, and the audit
// entry written in the transaction of the change it records.
import type { KeyScope } from "../contracts/enums";
import { AppError } from "../shared/errors";
import * as store from "../store/accounts";
import type { DbOrTx } from "../store/db";
import type { Role } from "../store/schema";
import { can, type Permission } from "./permissions";

export type Actor = {
  workspaceId: string;
  role: Role;
  kind: "user" | "api_key";
  userId: string | null;
  apiKeyId?: string;
  /** An API key's scope (read, write, admin), which narrows its role. */
  scope?: KeyScope;
  /** The session a signed-in person acts through (absent for keys and the CLI). */
  sessionId?: string;
  /** The workspace requires two-factor sign-in and this person has not set it up yet. */
  twoFactorSetupRequired?: boolean;
  label: string;
  /** Where the request came from, for the audit log (set by the server for every request). */
  origin?: RequestOrigin;
};

export type RequestOrigin = { ip?: string; userAgent?: string };

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `Your role (${actor.role}) does not allow ${permission}`);
  }
}

/** What only a person may do for themselves (their sessions, their second factor): never an API key or the CLI. */
export function requirePerson(actor: Actor): string {
  if (actor.kind !== "user" || !actor.userId) throw new AppError("forbidden", "Only a signed-in person can do this for their own account");
  return actor.userId;
}

export function auditActor(actor: Actor): string {
  if (actor.kind === "api_key") return `api_key:${actor.apiKeyId}`;
  return actor.userId ? `user:${actor.userId}` : "cli";
}

export type AuditTarget = { type: string; id?: string | null };

/**
 * Records who did what to which record, from where, in the caller's transaction (so an
 * entry exists exactly when the change does). The summary is a short sentence for people.
 */
export async function audit(
  db: DbOrTx,
  actor: Actor,
  action: string,
  target: AuditTarget,
  summary: string,
  details: Record<string, unknown> = {},
) {
  await store.insertAuditEvent(db, {
    workspace_id: actor.workspaceId,
    actor: auditActor(actor),
    actor_name: actor.label,
    action,
    subject_type: target.type,
    subject_id: target.id ?? null,
    summary: summary.slice(0, 500),
    details,
    ip: actor.origin?.ip ?? null,
    user_agent: actor.origin?.userAgent?.slice(0, 300) ?? null,
  });
}

/** The actor of the command line on this machine, acting as the workspace's owner. */
export const cliActor = (workspaceId: string): Actor => ({ workspaceId, role: "owner", kind: "user", userId: null, label: "cli" });
