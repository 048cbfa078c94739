import { sql } from "kysely";
import type { DbOrTx } from "./db";

// Account security's SQL: a user's TOTP secret and recovery codes, the sign-in challenge
// between password and code, a person's sessions, and the workspace's security settings.

// ---------- TOTP

export function findTotpState(db: DbOrTx, userId: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash", "totp_secret", "totp_pending_secret", "totp_enabled_at", "totp_last_step"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

export async function setPendingTotpSecret(db: DbOrTx, userId: string, sealed: string | null) {
  await db.updateTable("users").set({ totp_pending_secret: sealed }).where("id", "=", userId).execute();
}

/** The pending secret becomes the one sign-in checks; `step` is the confirming code's, so it cannot be used again. */
export async function enableTotp(db: DbOrTx, userId: string, sealed: string, step: number, now: Date) {
  await db
    .updateTable("users")
    .set({ totp_secret: sealed, totp_pending_secret: null, totp_enabled_at: now, totp_last_step: step })
    .where("id", "=", userId)
    .execute();
}

export async function disableTotp(db: DbOrTx, userId: string) {
  await db
    .updateTable("users")
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
}

/**
 * Accepts a code's time step once: the step moves forward only, atomically, so the same
 * code (or an older one) replayed — even by two requests at once — is refused.
 */
export async function advanceTotpStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable("users")
    .set({ totp_last_step: step })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: DbOrTx, userId: string, hashes: string[]) {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  if (hashes.length > 0) {
    await db
      .insertInto("recovery_codes")
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
      .execute();
  }
}

/** Marks an unused code used; false when there is no such unused code. */
export async function spendRecoveryCode(db: DbOrTx, userId: string, hash: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable("recovery_codes")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---------- The sign-in challenge (password right, second factor to come)

export async function insertSignInChallenge(
  db: DbOrTx,
  c: { token_hash: string; user_id: string; workspace_id: string; expires_at: Date; created_at: Date },
) {
  await db.insertInto("sign_in_challenges").values(c).execute();
}

export function findSignInChallenge(db: DbOrTx, tokenHash: string, now: Date) {
  return db
    .selectFrom("sign_in_challenges as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select(["c.token_hash", "c.user_id", "c.workspace_id", "u.email", "u.name", "u.totp_secret", "u.totp_last_step"])
    .where("c.token_hash", "=", tokenHash)
    .where("c.expires_at", ">", now)
    .executeTakeFirst();
}

export async function deleteSignInChallenge(db: DbOrTx, tokenHash: string) {
  await db.deleteFrom("sign_in_challenges").where("token_hash", "=", tokenHash).execute();
}

export async function pruneSignInChallenges(db: DbOrTx, now: Date) {
  await db.deleteFrom("sign_in_challenges").where("expires_at", "<=", now).execute();
}

// ---------- Sessions

export function listSessionsOfUser(db: DbOrTx, workspaceId: string, userId: string) {
  return db
    .selectFrom("sessions")
    .select(["id", "created_at", "last_seen_at", "expires_at", "ip", "user_agent"])
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .orderBy("last_seen_at", "desc")
    .execute();
}

export async function deleteSessionOfUser(db: DbOrTx, workspaceId: string, userId: string, id: string): Promise<number> {
  const res = await db
    .deleteFrom("sessions")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteOtherSessionsOfUser(db: DbOrTx, workspaceId: string, userId: string, keepId: string | null): Promise<number> {
  let q = db.deleteFrom("sessions").where("workspace_id", "=", workspaceId).where("user_id", "=", userId);
  if (keepId) q = q.where("id", "!=", keepId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Last seen, written at most once a minute per session (a page load makes many requests). */
export async function touchSession(db: DbOrTx, id: string, now: Date) {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now })
    .where("id", "=", id)
    .where("last_seen_at", "<", new Date(now.getTime() - 60_000))
    .execute();
}

/** Every session of a person, in every workspace (their second factor was reset). */
export async function deleteAllSessionsOfUser(db: DbOrTx, userId: string): Promise<number> {
  const res = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function workspacesOfUser(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("memberships").select("workspace_id").where("user_id", "=", userId).execute();
  return rows.map((r) => r.workspace_id);
}

export async function deleteSessionById(db: DbOrTx, id: string) {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

// ---------- Workspace settings

export function findSecuritySettings(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("workspaces")
    .select(["require_two_factor", "session_idle_minutes", "session_max_days"])
    .where("id", "=", workspaceId)
    .executeTakeFirst();
}

export async function updateSecuritySettings(
  db: DbOrTx,
  workspaceId: string,
  patch: { require_two_factor?: boolean; session_idle_minutes?: number; session_max_days?: number },
) {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable("workspaces").set(patch).where("id", "=", workspaceId).execute();
}
