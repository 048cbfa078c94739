// Browser sessions: started after sign-in, they end on sign-out, when revoked, after a
// while without use (idle expiry) or at the latest some days after sign-in (absolute
// expiry); both limits are the workspace's settings. People see and end their own sessions.
import { AppError, invalid, notFound } from "../shared/errors";
import { newSecret, sha256 } from "../shared/ids";
import * as security from "../store/account-security";
import * as store from "../store/accounts";
import type { DbOrTx } from "../store/db";
import { type Actor, audit, type RequestOrigin, requirePermission, requirePerson } from "./actor";
import { sessionCache } from "./actor-cache";

export const SESSION_DEFAULTS = { idleMinutes: 12 * 60, maxDays: 30 };
export const SESSION_LIMITS = { idleMinutes: { min: 5, max: 30 * 24 * 60 }, maxDays: { min: 1, max: 365 } };
const DAY = 86_400_000;

export async function startSession(db: DbOrTx, userId: string, workspaceId: string, options: { origin?: RequestOrigin; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const settings = await security.findSecuritySettings(db, workspaceId);
  const token = newSecret("ps");
  const expiresAt = new Date(now.getTime() + (settings?.session_max_days ?? SESSION_DEFAULTS.maxDays) * DAY);
  await store.insertSession(db, {
    token_hash: sha256(token),
    user_id: userId,
    workspace_id: workspaceId,
    expires_at: expiresAt,
    created_at: now,
    last_seen_at: now,
    ip: options.origin?.ip ?? null,
    user_agent: options.origin?.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

type SessionTimes = { created_at: Date; last_seen_at: Date; expires_at: Date };
type ExpirySettings = { session_idle_minutes: number; session_max_days: number };

/**
 * When a session ends if nobody uses it: the sooner of its idle limit and its absolute one.
 * Settings apply to sessions already started, so shortening them takes effect at once.
 */
export function sessionEndsAt(s: SessionTimes, settings: ExpirySettings): Date {
  const absolute = Math.min(s.expires_at.getTime(), s.created_at.getTime() + settings.session_max_days * DAY);
  const idle = s.last_seen_at.getTime() + settings.session_idle_minutes * 60_000;
  return new Date(Math.min(absolute, idle));
}

export async function actorFromSession(db: DbOrTx, token: string, now = new Date()): Promise<Actor | null> {
  const hash = sha256(token);
  const s = await sessionCache.read(db, hash, () => store.findSession(db, hash));
  if (!s) return null;
  if (sessionEndsAt(s, s).getTime() <= now.getTime()) {
    await security.deleteSessionById(db, s.id);
    return null;
  }
  // Last seen is kept to the minute: most requests write nothing.
  if (now.getTime() - s.last_seen_at.getTime() > 60_000) {
    await security.touchSession(db, s.id, now);
    s.last_seen_at = now;
  }
  return {
    workspaceId: s.workspace_id,
    role: s.role,
    kind: "user",
    userId: s.user_id,
    sessionId: s.id,
    twoFactorSetupRequired: s.require_two_factor && !s.totp_enabled_at,
    label: s.name,
  };
}

export async function signOut(db: DbOrTx, token: string, origin?: RequestOrigin, now?: Date) {
  const actor = await actorFromSession(db, token, now);
  await store.deleteSession(db, sha256(token));
  if (actor) await audit(db, { ...actor, origin }, "session.signed_out", { type: "user", id: actor.userId }, "Signed out");
}

/** The caller's own sessions in this workspace that still hold, the one in use marked. */
export async function listMySessions(db: DbOrTx, actor: Actor, now = new Date()) {
  const userId = requirePerson(actor);
  const settings = (await security.findSecuritySettings(db, actor.workspaceId)) ?? {
    session_idle_minutes: SESSION_DEFAULTS.idleMinutes,
    session_max_days: SESSION_DEFAULTS.maxDays,
  };
  const rows = await security.listSessionsOfUser(db, actor.workspaceId, userId);
  return rows
    .map((s) => ({ ...s, ends_at: sessionEndsAt(s, settings), current: s.id === actor.sessionId }))
    .filter((s) => s.ends_at.getTime() > now.getTime());
}

const describeSession = (s: { ip: string | null; user_agent: string | null }) =>
  [s.user_agent ? s.user_agent.slice(0, 80) : "unknown browser", s.ip ? `from ${s.ip}` : null].filter(Boolean).join(" ");

export async function revokeSession(db: DbOrTx, actor: Actor, id: string) {
  const userId = requirePerson(actor);
  const target = (await security.listSessionsOfUser(db, actor.workspaceId, userId)).find((s) => s.id === id);
  if (!target || (await security.deleteSessionOfUser(db, actor.workspaceId, userId, id)) === 0) throw notFound("Session");
  await audit(db, actor, "session.revoked", { type: "session", id }, `Ended a session (${describeSession(target)})`);
}

export async function revokeOtherSessions(db: DbOrTx, actor: Actor) {
  const userId = requirePerson(actor);
  const revoked = await security.deleteOtherSessionsOfUser(db, actor.workspaceId, userId, actor.sessionId ?? null);
  if (revoked > 0) {
    await audit(
      db,
      actor,
      "session.revoked_others",
      { type: "user", id: userId },
      `Ended ${revoked} other session${revoked === 1 ? "" : "s"}`,
    );
  }
  return { revoked };
}

// The workspace's security settings (admins).

export async function getSecuritySettings(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "users:manage");
  const s = await security.findSecuritySettings(db, actor.workspaceId);
  if (!s) throw notFound("Workspace");
  return s;
}

export type SecuritySettingsPatch = { require_two_factor?: boolean; session_idle_minutes?: number; session_max_days?: number };

export async function updateSecuritySettings(db: DbOrTx, actor: Actor, patch: SecuritySettingsPatch) {
  requirePermission(actor, "users:manage");
  const before = await getSecuritySettings(db, actor);
  const { idleMinutes, maxDays } = SESSION_LIMITS;
  const idle = patch.session_idle_minutes;
  if (idle !== undefined && (idle < idleMinutes.min || idle > idleMinutes.max)) {
    throw invalid("session_idle_minutes", `must be between ${idleMinutes.min} and ${idleMinutes.max} minutes`);
  }
  const days = patch.session_max_days;
  if (days !== undefined && (days < maxDays.min || days > maxDays.max)) {
    throw invalid("session_max_days", `must be between ${maxDays.min} and ${maxDays.max} days`);
  }
  if (patch.require_two_factor && !before.require_two_factor && actor.kind === "user" && actor.userId) {
    // Whoever turns it on would otherwise be the first one locked out of their settings.
    const me = await security.findTotpState(db, actor.userId);
    if (!me?.totp_enabled_at) {
      throw new AppError("conflict", "Set up two-factor sign-in for your own account before requiring it of everyone", [
        { field: "require_two_factor", message: "set up your own two-factor sign-in first" },
      ]);
    }
  }
  await security.updateSecuritySettings(db, actor.workspaceId, patch);
  const after = { ...before, ...patch };
  const changes = (Object.keys(patch) as (keyof SecuritySettingsPatch)[])
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${before[k]} → ${after[k]}`);
  if (changes.length > 0) {
    await audit(
      db,
      actor,
      "workspace.security_changed",
      { type: "workspace", id: actor.workspaceId },
      `Security settings: ${changes.join(", ")}`,
      {
        before,
        after,
      },
    );
  }
  return after;
}
