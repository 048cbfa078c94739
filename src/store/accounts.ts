import { type Insertable, sql } from "kysely";
import type { KeyScope } from "../contracts/enums";
import type { DbOrTx } from "./db";
import { orThrow, touchedOrThrow } from "./errors";
import { deleteById, deleteWhere, updateById } from "./rows";
import type { InvitationTable, Role } from "./schema";

export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom("users").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return row.n;
}

export function findUserByEmail(db: DbOrTx, email: string) {
  return db.selectFrom("users").selectAll().where(sql<string>`lower(email)`, "=", email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: DbOrTx, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertUser(db: DbOrTx, user: { id: string; email: string; name: string; password_hash: string | null }) {
  await db.insertInto("users").values(user).execute();
}

export async function insertWorkspace(db: DbOrTx, ws: { id: string; name: string }) {
  await db.insertInto("workspaces").values(ws).execute();
}

export function findWorkspace(db: DbOrTx, id: string) {
  return db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateWorkspace(db: DbOrTx, id: string, name: string) {
  await db.updateTable("workspaces").set({ name }).where("id", "=", id).execute();
}

export async function upsertMembership(db: DbOrTx, workspaceId: string, userId: string, role: Role) {
  await db
    .insertInto("memberships")
    .values({ workspace_id: workspaceId, user_id: userId, role })
    .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doUpdateSet({ role }))
    .execute();
}

export function findMembership(db: DbOrTx, workspaceId: string, userId: string) {
  return db.selectFrom("memberships").selectAll().where("workspace_id", "=", workspaceId).where("user_id", "=", userId).executeTakeFirst();
}

export function firstMembershipOfUser(db: DbOrTx, userId: string) {
  return db.selectFrom("memberships").selectAll().where("user_id", "=", userId).orderBy("created_at").limit(1).executeTakeFirst();
}

export function listMembers(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select([
      "users.id",
      "users.email",
      "users.name",
      "memberships.role",
      "memberships.created_at",
      sql<boolean>`users.totp_enabled_at is not null`.as("two_factor"),
      sql<string[]>`coalesce((select array_agg(tm.team_id) from team_members tm
        where tm.workspace_id = memberships.workspace_id and tm.user_id = users.id), '{}')`.as("team_ids"),
    ])
    .where("memberships.workspace_id", "=", workspaceId)
    .orderBy("users.name")
    .execute();
}

export async function deleteMembership(db: DbOrTx, workspaceId: string, userId: string) {
  await deleteWhere(db, "team_members", workspaceId, "user_id", userId);
  await deleteWhere(db, "sessions", workspaceId, "user_id", userId);
  return deleteWhere(db, "memberships", workspaceId, "user_id", userId);
}

/** A workspace's members as rules and work name them (id, email, name). */
function members(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.name"])
    .where("m.workspace_id", "=", workspaceId);
}

export async function membersByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return members(db, workspaceId).where("u.id", "in", ids).execute();
}

export async function membersWithRoles(db: DbOrTx, workspaceId: string, roles: Role[]) {
  if (roles.length === 0) return [];
  return members(db, workspaceId).where("m.role", "in", roles).execute();
}

export async function countOwners(db: DbOrTx, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return row.n;
}

// Sessions
export async function insertSession(
  db: DbOrTx,
  s: {
    token_hash: string;
    user_id: string;
    workspace_id: string;
    expires_at: Date;
    created_at: Date;
    last_seen_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
) {
  await db.insertInto("sessions").values(s).execute();
}

/** A session with what decides whether it still holds: its times, the workspace's expiry settings, the user's 2FA. */
export function findSession(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("memberships", (j) =>
      j.onRef("memberships.user_id", "=", "sessions.user_id").onRef("memberships.workspace_id", "=", "sessions.workspace_id"),
    )
    .innerJoin("users", "users.id", "sessions.user_id")
    .innerJoin("workspaces", "workspaces.id", "sessions.workspace_id")
    .select([
      "sessions.id",
      "sessions.user_id",
      "sessions.workspace_id",
      "sessions.expires_at",
      "sessions.created_at",
      "sessions.last_seen_at",
      "memberships.role",
      "users.email",
      "users.name",
      "users.totp_enabled_at",
      "workspaces.require_two_factor",
      "workspaces.session_idle_minutes",
      "workspaces.session_max_days",
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function deleteSession(db: DbOrTx, tokenHash: string) {
  await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

// API keys
export async function insertApiKey(
  db: DbOrTx,
  k: {
    workspace_id: string;
    id: string;
    name: string;
    prefix: string;
    key_hash: string;
    role: "admin" | "manager" | "agent" | "viewer";
    scope: KeyScope;
    expires_at: Date | null;
    created_by: string | null;
  },
) {
  await db.insertInto("api_keys").values(k).execute();
}

/** A key that is neither revoked nor past its expiry. */
export function findActiveApiKey(db: DbOrTx, keyHash: string, now: Date) {
  return db
    .selectFrom("api_keys")
    .selectAll()
    .where("key_hash", "=", keyHash)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
}

export async function touchApiKey(db: DbOrTx, workspaceId: string, id: string) {
  await db
    .updateTable("api_keys")
    .set({ last_used_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    // A busy integration would otherwise write on every request; a minute is precise enough.
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

export function listApiKeys(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("api_keys").selectAll().where("workspace_id", "=", workspaceId).orderBy("created_at", "desc").execute();
}

export async function revokeApiKey(db: DbOrTx, workspaceId: string, id: string) {
  const res = await db
    .updateTable("api_keys")
    .set({ revoked_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// Invitations
export async function insertInvitation(db: DbOrTx, inv: Omit<Insertable<InvitationTable>, "accepted_at" | "created_at">) {
  await db.insertInto("invitations").values(inv).execute();
}

export function findOpenInvitation(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom("invitations")
    .innerJoin("workspaces", "workspaces.id", "invitations.workspace_id")
    .selectAll("invitations")
    .select("workspaces.name as workspace_name")
    .where("token_hash", "=", tokenHash)
    .where("accepted_at", "is", null)
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
}

export async function markInvitationAccepted(db: DbOrTx, workspaceId: string, id: string) {
  await updateById(db, "invitations", workspaceId, id, { accepted_at: new Date() });
}

export function listOpenInvitations(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("invitations")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("accepted_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
}

export function deleteInvitation(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "invitations", workspaceId, id);
}

// Teams

/** A workspace's teams, each with the ids of its members. */
function teamsWithMembers(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("teams")
    .selectAll()
    .select(
      sql<string[]>`coalesce((select array_agg(tm.user_id) from team_members tm
        where tm.workspace_id = teams.workspace_id and tm.team_id = teams.id), '{}')`.as("member_ids"),
    )
    .where("workspace_id", "=", workspaceId);
}

export function listTeams(db: DbOrTx, workspaceId: string) {
  return teamsWithMembers(db, workspaceId).orderBy("name").execute();
}

export function findTeam(db: DbOrTx, workspaceId: string, id: string) {
  return teamsWithMembers(db, workspaceId).where("id", "=", id).executeTakeFirst();
}

export async function insertTeam(db: DbOrTx, t: { workspace_id: string; id: string; name: string; description: string | null }) {
  await db.insertInto("teams").values(t).execute();
}

export async function updateTeam(db: DbOrTx, workspaceId: string, id: string, patch: { name?: string; description?: string | null }) {
  await updateById(db, "teams", workspaceId, id, patch);
}

export function deleteTeam(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "teams", workspaceId, id);
}

export async function setTeamMembers(db: DbOrTx, workspaceId: string, teamId: string, userIds: string[]) {
  await deleteWhere(db, "team_members", workspaceId, "team_id", teamId);
  if (userIds.length > 0) {
    await db
      .insertInto("team_members")
      .values(userIds.map((user_id) => ({ workspace_id: workspaceId, team_id: teamId, user_id })))
      .execute();
  }
}

export async function countMembersIn(db: DbOrTx, workspaceId: string, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const row = await db
    .selectFrom("memberships")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "in", userIds)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertAuditEvent(
  db: DbOrTx,
  e: {
    workspace_id: string;
    actor: string;
    action: string;
    subject_type: string;
    subject_id: string | null;
    details?: Record<string, unknown>;
    actor_name?: string | null;
    summary?: string | null;
    ip?: string | null;
    user_agent?: string | null;
  },
) {
  await db
    .insertInto("audit_events")
    .values({ ...e, details: JSON.stringify(e.details ?? {}) })
    .execute();
}

// Sign-in throttling: one row per key (`email:…`, `ip:…`).

export function findLoginThrottles(db: DbOrTx, keys: string[]) {
  return db.selectFrom("login_throttles").selectAll().where("key", "in", keys).execute();
}

/**
 * Counts one failed sign-in atomically (so concurrent processes agree) and, from
 * `limit` failures on, locks the key for `baseMs`·2^(failures − limit), at most `maxMs`.
 * Failures older than `windowMs` are forgotten.
 */
export async function recordLoginFailure(
  db: DbOrTx,
  key: string,
  now: Date,
  policy: { limit: number; windowMs: number; baseMs: number; maxMs: number },
): Promise<{ failures: number; locked_until: Date | null }> {
  const since = new Date(now.getTime() - policy.windowMs);
  const failures = sql<number>`case when login_throttles.last_failure_at < ${since} then 1 else login_throttles.failures + 1 end`;
  const lock = (n: typeof failures | number) =>
    sql<Date | null>`case when (${n})::int >= ${policy.limit}::int
      then ${now}::timestamptz + least(${policy.baseMs}::float8 * power(2, least((${n})::int - ${policy.limit}::int, 30)), ${policy.maxMs}::float8) * interval '1 millisecond'
      else null end`;
  return db
    .insertInto("login_throttles")
    .values({ key, failures: 1, last_failure_at: now, locked_until: lock(1) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ failures, last_failure_at: now, locked_until: lock(failures) }))
    .returning(["failures", "locked_until"])
    .executeTakeFirstOrThrow();
}

/** Forgets counts that no longer matter: failures older than the window and no lock in force. */
export async function pruneLoginThrottles(db: DbOrTx, now: Date, windowMs: number) {
  await db
    .deleteFrom("login_throttles")
    .where("last_failure_at", "<", new Date(now.getTime() - windowMs))
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
    .execute();
}

export async function clearLoginThrottle(db: DbOrTx, key: string) {
  await db.deleteFrom("login_throttles").where("key", "=", key).execute();
}

// Sign-up: the oldest workspace belongs to whoever set the server up; its owner decides.

export function firstWorkspace(db: DbOrTx) {
  return db.selectFrom("workspaces").selectAll().orderBy("created_at").orderBy("id").limit(1).executeTakeFirst();
}

export async function setWorkspaceOpenSignup(db: DbOrTx, id: string, open: boolean) {
  await db.updateTable("workspaces").set({ open_signup: open }).where("id", "=", id).execute();
}

/** Serializes sign-ups, so two first visitors cannot both become the server's first owner. */
export async function lockSignups(tx: DbOrTx) {
  await sql`select pg_advisory_xact_lock(hashtext('parley.signup'))`.execute(tx);
}

// ---------- Finders that throw not_found

export const deleteInvitationOrThrow = (...args: Parameters<typeof deleteInvitation>) =>
  touchedOrThrow(deleteInvitation(...args), "Invitation");
export const deleteTeamOrThrow = (...args: Parameters<typeof deleteTeam>) => touchedOrThrow(deleteTeam(...args), "Team");
export const findMembershipOrThrow = (...args: Parameters<typeof findMembership>) => orThrow(findMembership(...args), "User");
export const findOpenInvitationOrThrow = (...args: Parameters<typeof findOpenInvitation>) =>
  orThrow(findOpenInvitation(...args), "Invitation (it may have expired or been used)");
export const findTeamOrThrow = (...args: Parameters<typeof findTeam>) => orThrow(findTeam(...args), "Team");
export const findWorkspaceOrThrow = (...args: Parameters<typeof findWorkspace>) => orThrow(findWorkspace(...args), "Workspace");
export const revokeApiKeyOrThrow = (...args: Parameters<typeof revokeApiKey>) => touchedOrThrow(revokeApiKey(...args), "API key");
