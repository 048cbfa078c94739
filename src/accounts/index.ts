// Accounts: workspaces, people who sign in, their roles and teams, sessions
// and API keys. Everything that decides *who* is acting lives here.

import type { KeyScope } from "../contracts/enums";
import { publish } from "../events";
import { AppError, invalid } from "../shared/errors";
import { newId, newSecret, sha256 } from "../shared/ids";
import * as store from "../store/accounts";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import type { Role } from "../store/schema";
import { type Actor, audit, auditActor, cliActor, requirePermission } from "./actor";
import { apiKeyCache } from "./actor-cache";
import { hashPassword, verifyPassword } from "./passwords";
import { type Permission, ROLE_RANK, scopeAllows } from "./permissions";
import { SESSION_DEFAULTS, startSession } from "./sessions";
import { assertNotThrottled, DEFAULT_THROTTLE, recordFailure, recordSuccess, type ThrottlePolicy, throttleKeys } from "./throttle";
import { startChallenge } from "./two-factor";

export {
  type Actor,
  type AuditTarget,
  audit,
  auditActor,
  cliActor,
  type RequestOrigin,
  requirePermission,
  requirePerson,
} from "./actor";
export { can, PERMISSIONS, type Permission, scopeAllows } from "./permissions";
export {
  actorFromSession,
  getSecuritySettings,
  listMySessions,
  revokeOtherSessions,
  revokeSession,
  SESSION_DEFAULTS,
  SESSION_LIMITS,
  type SecuritySettingsPatch,
  signOut,
  startSession,
  updateSecuritySettings,
} from "./sessions";
export { DEFAULT_THROTTLE, SignInThrottled, type ThrottlePolicy } from "./throttle";
export {
  CHALLENGE_MINUTES,
  completeSignIn,
  confirmEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactor,
  startEnrolment,
  twoFactorStatus,
} from "./two-factor";

/** A sign-in's outcome: a session, or (the account has a second factor) the challenge the code step brings back. */
export type SignInResult = { token: string; expiresAt: Date } | { challenge: string; expiresAt: Date };
// the community portal signs its members in with the same hashing (src/community)
export { hashPassword, verifyPassword };

export const SESSION_DAYS = SESSION_DEFAULTS.maxDays;

export async function needsSetup(db: DbOrTx): Promise<boolean> {
  return (await store.countUsers(db)) === 0;
}

function checkPassword(password: string) {
  if (password.length < 8) throw invalid("password", "must be at least 8 characters");
}

/** Stores a new person who signs in with this password; returns their id. */
async function insertPasswordUser(tx: DbOrTx, input: { email: string; name: string; password: string }): Promise<string> {
  const id = newId();
  await store.insertUser(tx, { id, email: input.email, name: input.name, password_hash: await hashPassword(input.password) });
  return id;
}

/**
 * Who may create a workspace: the first visitor always; after that only when the
 * server says so (`PARLEY_OPEN_SIGNUP=1`) or the owner of the first workspace
 * turned open sign-up on. Everyone else joins by invitation.
 */
export async function signupOpen(db: DbOrTx, serverOpen: boolean): Promise<boolean> {
  if (serverOpen) return true;
  const first = await store.firstWorkspace(db);
  return !first || first.open_signup;
}

export const SIGNUP_CLOSED = "Sign-up is closed on this server: ask a workspace admin for an invitation";

export async function signUp(
  db: Db,
  input: { email: string; name: string; password: string; workspaceName: string },
  options: { serverOpen?: boolean } = {},
) {
  checkPassword(input.password);
  return db.transaction().execute(async (tx) => {
    await store.lockSignups(tx);
    if (!(await signupOpen(tx, options.serverOpen ?? false))) throw new AppError("forbidden", SIGNUP_CLOSED);
    if (await store.findUserByEmail(tx, input.email)) {
      // Worded so that it does not confirm that someone has an account here.
      throw new AppError("conflict", "Could not sign up with this email. If you have an account, sign in or ask for an invitation.", [
        { field: "email", message: "cannot be used to sign up" },
      ]);
    }
    const userId = await insertPasswordUser(tx, input);
    const workspaceId = newId();
    await store.insertWorkspace(tx, { id: workspaceId, name: input.workspaceName });
    await store.upsertMembership(tx, workspaceId, userId, "owner");
    await store.insertAuditEvent(tx, {
      workspace_id: workspaceId,
      actor: `user:${userId}`,
      action: "workspace.created",
      subject_type: "workspace",
      subject_id: workspaceId,
    });
    // the workspace's defaults (the rule set, its rules and teams) are subscribers' (src/wiring.ts)
    await publish(tx, workspaceId, { type: "workspace.created" });
    return { userId, workspaceId };
  });
}

/**
 * Checks the password and starts a session, or (when the account has two-factor sign-in)
 * answers with a challenge for the code step. Unknown emails cost the same work as
 * known ones (a dummy hash is checked and a failure recorded), so neither the
 * answer nor its timing says whether an account exists.
 */
export async function signIn(
  db: Db,
  email: string,
  password: string,
  options: { ip?: string; userAgent?: string; now?: Date; throttle?: ThrottlePolicy } = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const keys = throttleKeys(email, options.ip);
  await assertNotThrottled(db, keys, now);
  const user = await store.findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  const membership = user ? await store.firstMembershipOfUser(db, user.id) : undefined;
  const origin = { ip: options.ip, userAgent: options.userAgent };
  // An account's own workspace sees its sign-ins, failed ones too; an unknown email belongs to no workspace.
  const signInActor =
    user && membership
      ? { workspaceId: membership.workspace_id, role: membership.role, kind: "user" as const, userId: user.id, label: user.name, origin }
      : null;
  if (!user || !ok) {
    await recordFailure(db, keys, now, options.throttle ?? DEFAULT_THROTTLE);
    if (signInActor)
      await audit(db, signInActor, "session.sign_in_failed", { type: "user", id: user?.id }, `Failed sign-in as ${email}: wrong password`);
    throw new AppError("unauthorized", "Email or password is wrong");
  }
  if (!signInActor) throw new AppError("forbidden", "This account no longer belongs to a workspace");
  // With a second factor the password alone proves nothing yet: the account's failure count
  // stays until the code is right, so password-then-guess cannot reset it.
  if (user.totp_secret) return startChallenge(db, user.id, signInActor.workspaceId, now);
  await recordSuccess(db, keys);
  return db.transaction().execute(async (tx) => {
    await audit(tx, signInActor, "session.signed_in", { type: "user", id: user.id }, `Signed in as ${email}`);
    return startSession(tx, user.id, signInActor.workspaceId, { origin, now });
  });
}

export async function actorFromApiKey(db: DbOrTx, secret: string, now = new Date()): Promise<Actor | null> {
  const hash = sha256(secret);
  const key = await apiKeyCache.read(db, hash, () => store.findActiveApiKey(db, hash, now));
  // Revocation forgets the cached row at once; expiry is checked here, on every request.
  if (!key || (key.expires_at && key.expires_at.getTime() <= now.getTime())) return null;
  // Last use is kept to the minute: most requests write nothing.
  if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > 60_000) {
    await store.touchApiKey(db, key.workspace_id, key.id);
    key.last_used_at = now;
  }
  return {
    workspaceId: key.workspace_id,
    role: key.role,
    kind: "api_key",
    userId: key.created_by,
    apiKeyId: key.id,
    scope: key.scope,
    label: `API key ${key.name}`,
  };
}

/** An API key's scope must allow the route (read keys only read, write keys change no admin settings). */
export function requireScope(actor: Actor, access: Permission | "authenticated", method: string): void {
  if (actor.kind !== "api_key" || !actor.scope) return;
  if (!scopeAllows(actor.scope, access, method)) {
    throw new AppError(
      "forbidden",
      `This API key's scope (${actor.scope}) does not allow ${method} ${access === "authenticated" ? "here" : `(${access})`}`,
    );
  }
}

export async function currentUser(db: DbOrTx, actor: Actor) {
  const workspace = await store.findWorkspace(db, actor.workspaceId);
  const user = actor.userId ? await store.findUserById(db, actor.userId) : undefined;
  const first = workspace ? await store.firstWorkspace(db) : undefined;
  return {
    user: user ? { id: user.id, email: user.email, name: user.name } : null,
    workspace: workspace
      ? {
          id: workspace.id,
          name: workspace.name,
          open_signup: workspace.open_signup,
          // Only the first workspace's owner decides whether strangers may sign up.
          controls_signup: first?.id === workspace.id,
        }
      : null,
    role: actor.role,
    kind: actor.kind,
    two_factor: {
      enabled: Boolean(user?.totp_enabled_at),
      // This workspace requires a second factor and the person has none yet: the app sends them to set it up.
      setup_required: actor.twoFactorSetupRequired ?? false,
    },
  };
}

export async function renameWorkspace(db: DbOrTx, actor: Actor, name: string) {
  requirePermission(actor, "workspace:manage");
  await store.updateWorkspace(db, actor.workspaceId, name);
}

/** Open sign-up is a server-wide choice, so only the owner of the first workspace makes it. */
export async function setOpenSignup(db: Db, actor: Actor, open: boolean) {
  requirePermission(actor, "workspace:manage");
  if (actor.role !== "owner") throw new AppError("forbidden", "Only the workspace owner can open or close sign-up");
  await db.transaction().execute(async (tx) => {
    const first = await store.firstWorkspace(tx);
    if (first?.id !== actor.workspaceId) {
      throw new AppError("forbidden", "Sign-up is decided by the owner of this server's first workspace");
    }
    await store.setWorkspaceOpenSignup(tx, actor.workspaceId, open);
    await store.insertAuditEvent(tx, {
      workspace_id: actor.workspaceId,
      actor: auditActor(actor),
      action: open ? "signup.opened" : "signup.closed",
      subject_type: "workspace",
      subject_id: actor.workspaceId,
    });
  });
}

// Members

function assertCanGrant(actor: Actor, role: Role) {
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) {
    throw new AppError("forbidden", `A ${actor.role} cannot grant the ${role} role`);
  }
}

export async function listMembers(db: DbOrTx, workspaceId: string) {
  return store.listMembers(db, workspaceId);
}

/** Creates (or attaches) a user with a password: used by `parley user create` and admins. */
export async function createUser(
  db: Db,
  actor: Actor | null,
  input: { workspaceId: string; email: string; name: string; password: string; role: Role },
) {
  checkPassword(input.password);
  if (actor) {
    requirePermission(actor, "users:manage");
    assertCanGrant(actor, input.role);
  }
  return db.transaction().execute(async (tx) => {
    await store.findWorkspaceOrThrow(tx, input.workspaceId);
    let user = await store.findUserByEmail(tx, input.email);
    if (!user) user = await store.findUserById(tx, await insertPasswordUser(tx, input));
    if (!user) throw new AppError("internal", "user vanished");
    await store.upsertMembership(tx, input.workspaceId, user.id, input.role);
    await audit(
      tx,
      actor ?? cliActor(input.workspaceId),
      "member.added",
      { type: "user", id: user.id },
      `Added ${user.email} as ${input.role}`,
    );
    return { id: user.id, email: user.email, name: user.name, role: input.role };
  });
}

/** Demoting or removing an owner must leave the workspace another one. */
async function assertAnotherOwner(tx: DbOrTx, workspaceId: string) {
  if ((await store.countOwners(tx, workspaceId)) <= 1) throw new AppError("conflict", "A workspace needs at least one owner");
}

export async function changeRole(db: Db, actor: Actor, userId: string, role: Role) {
  requirePermission(actor, "users:manage");
  assertCanGrant(actor, role);
  return db.transaction().execute(async (tx) => {
    const m = await store.findMembershipOrThrow(tx, actor.workspaceId, userId);
    assertCanGrant(actor, m.role);
    if (m.role === "owner" && role !== "owner") await assertAnotherOwner(tx, actor.workspaceId);
    await store.upsertMembership(tx, actor.workspaceId, userId, role);
    const who = (await store.findUserById(tx, userId))?.email ?? userId;
    await audit(tx, actor, "member.role_changed", { type: "user", id: userId }, `Changed ${who}'s role from ${m.role} to ${role}`, {
      from: m.role,
      to: role,
    });
  });
}

export async function removeMember(db: Db, actor: Actor, userId: string) {
  requirePermission(actor, "users:manage");
  return db.transaction().execute(async (tx) => {
    const m = await store.findMembershipOrThrow(tx, actor.workspaceId, userId);
    assertCanGrant(actor, m.role);
    if (m.role === "owner") await assertAnotherOwner(tx, actor.workspaceId);
    await store.deleteMembership(tx, actor.workspaceId, userId);
    const who = (await store.findUserById(tx, userId))?.email ?? userId;
    await audit(tx, actor, "member.removed", { type: "user", id: userId }, `Removed ${who} (${m.role}) from the workspace`);
  });
}

// Invitations: an admin invites by email; the invitee follows the link once.

export const INVITE_DAYS = 14;

export async function invite(db: Db, actor: Actor, input: { email: string; role: Role; teamIds: string[] }) {
  requirePermission(actor, "users:manage");
  assertCanGrant(actor, input.role);
  return db.transaction().execute(async (tx) => {
    await assertTeamsExist(tx, actor.workspaceId, input.teamIds);
    const token = newSecret("pi");
    const id = newId();
    await store.insertInvitation(tx, {
      workspace_id: actor.workspaceId,
      id,
      email: input.email,
      role: input.role,
      token_hash: sha256(token),
      invited_by: actor.userId,
      team_ids: input.teamIds,
      expires_at: new Date(Date.now() + INVITE_DAYS * 86400_000),
    });
    await audit(tx, actor, "member.invited", { type: "invitation", id }, `Invited ${input.email} as ${input.role}`);
    return { id, token };
  });
}

export async function describeInvitation(db: DbOrTx, token: string) {
  const inv = await store.findOpenInvitationOrThrow(db, sha256(token));
  return { email: inv.email, role: inv.role, workspaceName: inv.workspace_name };
}

// One answer for a wrong password whether or not the email has an account already.
const joinRefused = () =>
  new AppError(
    "unauthorized",
    "Could not join with this password. If this email already has a Parley account, enter that account's password.",
  );

export async function acceptInvitation(
  db: Db,
  token: string,
  input: { name: string; password: string },
  options: { ip?: string; userAgent?: string; now?: Date; throttle?: ThrottlePolicy } = {},
): Promise<SignInResult> {
  checkPassword(input.password);
  // Joining with an existing account checks its password: throttled like sign-in, and
  // recorded outside the transaction below (which a wrong password rolls back).
  const invited = await store.findOpenInvitation(db, sha256(token));
  const existing = invited ? await store.findUserByEmail(db, invited.email) : undefined;
  if (invited && existing) {
    const now = options.now ?? new Date();
    const keys = throttleKeys(invited.email, options.ip);
    await assertNotThrottled(db, keys, now);
    if (!(await verifyPassword(input.password, existing.password_hash))) {
      await recordFailure(db, keys, now, options.throttle ?? DEFAULT_THROTTLE);
      throw joinRefused();
    }
  }
  return db.transaction().execute(async (tx) => {
    const inv = await store.findOpenInvitationOrThrow(tx, sha256(token));
    let user = await store.findUserByEmail(tx, inv.email);
    if (user) {
      if (!(await verifyPassword(input.password, user.password_hash))) {
        throw joinRefused();
      }
    } else {
      user = await store.findUserById(tx, await insertPasswordUser(tx, { email: inv.email, name: input.name, password: input.password }));
    }
    if (!user) throw new AppError("internal", "user vanished");
    await store.upsertMembership(tx, inv.workspace_id, user.id, inv.role);
    for (const teamId of inv.team_ids) {
      const team = await store.findTeam(tx, inv.workspace_id, teamId);
      if (team) await store.setTeamMembers(tx, inv.workspace_id, teamId, [...new Set([...team.member_ids, user.id])]);
    }
    await store.markInvitationAccepted(tx, inv.workspace_id, inv.id);
    // An account with a second factor joins, then signs in with its code like anywhere else.
    const now = options.now ?? new Date();
    if (user.totp_secret) return startChallenge(tx, user.id, inv.workspace_id, now);
    return startSession(tx, user.id, inv.workspace_id, { origin: { ip: options.ip, userAgent: options.userAgent }, now });
  });
}

export async function listInvitations(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "users:manage");
  return store.listOpenInvitations(db, actor.workspaceId);
}

export async function cancelInvitation(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "users:manage");
  await store.deleteInvitationOrThrow(db, actor.workspaceId, id);
}

// Teams

async function assertTeamsExist(db: DbOrTx, workspaceId: string, teamIds: string[]) {
  for (const id of teamIds) {
    if (!(await store.findTeam(db, workspaceId, id))) throw invalid("team_ids", `unknown team ${id}`);
  }
}

async function assertMembers(db: DbOrTx, workspaceId: string, userIds: string[]) {
  const unique = [...new Set(userIds)];
  if ((await store.countMembersIn(db, workspaceId, unique)) !== unique.length) {
    throw invalid("member_ids", "every member must be a user of this workspace");
  }
  return unique;
}

export async function listTeams(db: DbOrTx, workspaceId: string) {
  return store.listTeams(db, workspaceId);
}

export async function getTeam(db: DbOrTx, workspaceId: string, id: string) {
  const team = await store.findTeamOrThrow(db, workspaceId, id);
  return team;
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; description?: string | null; memberIds?: string[] }) {
  requirePermission(actor, "teams:manage");
  return db.transaction().execute(async (tx) => {
    const id = newId();
    const members = await assertMembers(tx, actor.workspaceId, input.memberIds ?? []);
    await onDuplicate(
      store.insertTeam(tx, {
        workspace_id: actor.workspaceId,
        id,
        name: input.name,
        description: input.description ?? null,
      }),
      "name",
      "a team with this name already exists",
    );
    await store.setTeamMembers(tx, actor.workspaceId, id, members);
    return getTeam(tx, actor.workspaceId, id);
  });
}

export async function updateTeam(
  db: Db,
  actor: Actor,
  id: string,
  input: { name?: string; description?: string | null; memberIds?: string[] },
) {
  requirePermission(actor, "teams:manage");
  return db.transaction().execute(async (tx) => {
    await getTeam(tx, actor.workspaceId, id);
    await onDuplicate(
      store.updateTeam(tx, actor.workspaceId, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      }),
      "name",
      "a team with this name already exists",
    );
    if (input.memberIds) {
      await store.setTeamMembers(tx, actor.workspaceId, id, await assertMembers(tx, actor.workspaceId, input.memberIds));
    }
    return getTeam(tx, actor.workspaceId, id);
  });
}

export async function deleteTeam(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "teams:manage");
  await store.deleteTeamOrThrow(db, actor.workspaceId, id);
}

// API keys: the secret is shown once; only its hash is kept.

export async function createApiKey(
  db: DbOrTx,
  actor: Actor | null,
  input: {
    workspaceId: string;
    name: string;
    role: "admin" | "manager" | "agent" | "viewer";
    /** Narrows the role (default admin: all the role allows). */
    scope?: KeyScope;
    expiresAt?: Date | null;
  },
  now = new Date(),
) {
  if (actor) {
    requirePermission(actor, "keys:manage");
    assertCanGrant(actor, input.role);
  }
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw invalid("expires_at", "must be in the future");
  const scope = input.scope ?? "admin";
  await store.findWorkspaceOrThrow(db, input.workspaceId);
  const secret = newSecret("pk");
  const id = newId();
  await store.insertApiKey(db, {
    workspace_id: input.workspaceId,
    id,
    name: input.name,
    prefix: secret.slice(0, 10),
    key_hash: sha256(secret),
    role: input.role,
    scope,
    expires_at: input.expiresAt ?? null,
    created_by: actor?.userId ?? null,
  });
  const expiry = input.expiresAt ? `, expires ${input.expiresAt.toISOString().slice(0, 10)}` : "";
  await audit(
    db,
    actor ?? cliActor(input.workspaceId),
    "api_key.created",
    { type: "api_key", id },
    `Created API key "${input.name}" (${input.role}); scope ${scope}${expiry}`,
  );
  return { id, secret, prefix: secret.slice(0, 10) };
}

export async function listApiKeys(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "keys:manage");
  return store.listApiKeys(db, actor.workspaceId);
}

export async function revokeApiKey(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "keys:manage");
  await store.revokeApiKeyOrThrow(db, actor.workspaceId, id);
  await audit(db, actor, "api_key.revoked", { type: "api_key", id }, "Revoked an API key");
}
