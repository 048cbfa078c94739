// Two-factor sign-in: a person enrols an authenticator app (TOTP, RFC 6238) and gets ten
// single-use recovery codes; from then on sign-in takes two steps: the password answers with a
// short-lived challenge, and the challenge with a code (or a recovery code) starts the session.
// The code step is throttled like passwords. Secrets are sealed at rest (shared/secrets.ts).
import { AppError, invalid } from "../shared/errors";
import { newSecret, sha256 } from "../shared/ids";
import { decryptSecret, encryptSecret } from "../shared/secrets";
import * as security from "../store/account-security";
import * as store from "../store/accounts";
import type { Db, DbOrTx } from "../store/db";
import { type Actor, audit, cliActor, type RequestOrigin, requirePermission, requirePerson } from "./actor";
import { verifyPassword } from "./passwords";
import { ROLE_RANK } from "./permissions";
import { startSession } from "./sessions";
import { assertNotThrottled, DEFAULT_THROTTLE, recordFailure, recordSuccess, type ThrottlePolicy, throttleKeys } from "./throttle";
import { looksLikeTotp, matchTotp, newRecoveryCodes, newTotpSecret, normalizeCode, recoveryCodeHash, totpUri } from "./totp";

/** How long the second step may wait after the password. */
export const CHALLENGE_MINUTES = 5;

export type SecondFactor = "code" | "recovery_code";

async function personOrThrow(db: DbOrTx, actor: Actor) {
  const user = await security.findTotpState(db, requirePerson(actor));
  if (!user) throw new AppError("not_found", "User not found");
  return user;
}

export async function twoFactorStatus(db: DbOrTx, actor: Actor) {
  const user = await personOrThrow(db, actor);
  const settings = await security.findSecuritySettings(db, actor.workspaceId);
  return {
    enabled: user.totp_enabled_at !== null,
    enabled_at: user.totp_enabled_at,
    recovery_codes_left: user.totp_enabled_at ? await security.countUnusedRecoveryCodes(db, user.id) : 0,
    required: settings?.require_two_factor ?? false,
  };
}

/** A new secret to scan; it takes effect only once a code from the app confirms it. */
export async function startEnrolment(db: DbOrTx, actor: Actor) {
  const user = await personOrThrow(db, actor);
  if (user.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is already on; turn it off first to enrol a new app");
  const secret = newTotpSecret();
  await security.setPendingTotpSecret(db, user.id, encryptSecret(secret));
  return { secret, uri: totpUri(secret, user.email) };
}

async function issueRecoveryCodes(db: DbOrTx, userId: string) {
  const codes = newRecoveryCodes();
  await security.replaceRecoveryCodes(db, userId, codes.map(recoveryCodeHash));
  return codes;
}

/** The app's first code proves it holds the secret: two-factor sign-in is on, and the recovery codes are shown once. */
export async function confirmEnrolment(db: Db, actor: Actor, code: string, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const user = await personOrThrow(tx, actor);
    if (user.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is already on");
    if (!user.totp_pending_secret) throw invalid("code", "start the set-up first: there is no secret waiting for a code");
    const sealed = user.totp_pending_secret;
    const step = matchTotp(decryptSecret(sealed), normalizeCode(code), now);
    if (step === null) throw invalid("code", "is not the app's current code; check the phone's clock and try the newest code");
    await security.enableTotp(tx, user.id, sealed, step, now);
    const codes = await issueRecoveryCodes(tx, user.id);
    await audit(tx, actor, "two_factor.enabled", { type: "user", id: user.id }, `Turned on two-factor sign-in for ${user.email}`);
    return { recovery_codes: codes };
  });
}

/**
 * Checks a second factor and uses it up: a TOTP code's step is accepted once, a recovery code
 * is marked used. Returns which factor it was, or null when it is wrong or spent.
 */
export async function spendSecondFactor(
  db: DbOrTx,
  user: { id: string; totp_secret: string | null },
  code: string,
  now: Date,
): Promise<SecondFactor | null> {
  if (!user.totp_secret) return null;
  const typed = normalizeCode(code);
  if (looksLikeTotp(typed)) {
    const step = matchTotp(decryptSecret(user.totp_secret), typed, now);
    return step !== null && (await security.advanceTotpStep(db, user.id, step)) ? "code" : null;
  }
  return (await security.spendRecoveryCode(db, user.id, recoveryCodeHash(typed), now)) ? "recovery_code" : null;
}

type Attempt = { origin?: RequestOrigin; now?: Date; throttle?: ThrottlePolicy };

/**
 * Proof that the person at the keyboard holds the account before a change to its security:
 * the password or a current code, throttled like sign-in.
 */
async function confirmIdentity(db: DbOrTx, actor: Actor, proof: { password?: string; code?: string }, attempt: Attempt) {
  const user = await personOrThrow(db, actor);
  const now = attempt.now ?? new Date();
  const keys = throttleKeys(user.email, attempt.origin?.ip);
  await assertNotThrottled(db, keys, now);
  let ok = false;
  if (proof.code) ok = (await spendSecondFactor(db, user, proof.code, now)) !== null;
  else if (proof.password) ok = await verifyPassword(proof.password, user.password_hash);
  else throw invalid("password", "give your password or a current code");
  if (!ok) {
    await recordFailure(db, keys, now, attempt.throttle ?? DEFAULT_THROTTLE);
    const field = proof.code ? "code" : "password";
    throw new AppError("unauthorized", proof.code ? "The code is wrong or was already used" : "The password is wrong", [
      { field, message: "is wrong" },
    ]);
  }
  return user;
}

export async function disableTwoFactor(db: DbOrTx, actor: Actor, proof: { password?: string; code?: string }, attempt: Attempt = {}) {
  const user = await confirmIdentity(db, actor, proof, attempt);
  if (!user.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is not on");
  await security.disableTotp(db, user.id);
  await audit(db, actor, "two_factor.disabled", { type: "user", id: user.id }, `Turned off two-factor sign-in for ${user.email}`);
}

/** New recovery codes replace all the old ones (used or not). */
export async function regenerateRecoveryCodes(
  db: DbOrTx,
  actor: Actor,
  proof: { password?: string; code?: string },
  attempt: Attempt = {},
) {
  const user = await confirmIdentity(db, actor, proof, attempt);
  if (!user.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is not on");
  const codes = await issueRecoveryCodes(db, user.id);
  await audit(db, actor, "two_factor.recovery_codes_renewed", { type: "user", id: user.id }, `New recovery codes for ${user.email}`);
  return { recovery_codes: codes };
}

/**
 * For a person who lost their phone and their recovery codes: their second factor is removed
 * and all their sessions end, so they sign in with the password alone and set it up again.
 * An admin may do it for a member who belongs to this workspace only (the factor guards every
 * workspace the person is in); the server's operator (`parley user reset-2fa`) for anyone.
 */
export async function resetTwoFactor(db: Db, actor: Actor | null, userId: string) {
  return db.transaction().execute(async (tx) => {
    const user = await security.findTotpState(tx, userId);
    if (!user) throw new AppError("not_found", "User not found");
    const workspaces = await security.workspacesOfUser(tx, userId);
    if (actor) {
      requirePermission(actor, "users:manage");
      if (actor.userId === userId) throw new AppError("conflict", "Turn your own two-factor sign-in off under Settings → Security");
      const member = await store.findMembership(tx, actor.workspaceId, userId);
      if (!member) throw new AppError("not_found", "User not found");
      if (ROLE_RANK[member.role] > ROLE_RANK[actor.role])
        throw new AppError("forbidden", `A ${actor.role} cannot reset a ${member.role}'s sign-in`);
      if (workspaces.some((w) => w !== actor.workspaceId)) {
        throw new AppError(
          "conflict",
          "This person also belongs to other workspaces: the server's operator can reset their two-factor sign-in with `parley user reset-2fa`",
        );
      }
    }
    if (!user.totp_enabled_at) throw new AppError("conflict", "Two-factor sign-in is not on for this person");
    await security.disableTotp(tx, userId);
    const ended = await security.deleteAllSessionsOfUser(tx, userId);
    for (const workspaceId of actor ? [actor.workspaceId] : workspaces) {
      await audit(
        tx,
        actor ?? cliActor(workspaceId),
        "two_factor.reset",
        { type: "user", id: userId },
        `Reset two-factor sign-in for ${user.email} (${ended} session${ended === 1 ? "" : "s"} ended)`,
      );
    }
    return { email: user.email, sessions_ended: ended };
  });
}

/** After a right password, when the account has a second factor: the token the code step must bring back. */
export async function startChallenge(db: DbOrTx, userId: string, workspaceId: string, now: Date) {
  const token = newSecret("pc");
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
  // Abandoned challenges go now and then; they are useless once expired anyway.
  if (Math.random() < 0.05) await security.pruneSignInChallenges(db, now);
  await security.insertSignInChallenge(db, {
    token_hash: sha256(token),
    user_id: userId,
    workspace_id: workspaceId,
    expires_at: expiresAt,
    created_at: now,
  });
  return { challenge: token, expiresAt };
}

const FACTOR_WORDS: Record<SecondFactor, string> = { code: "an authenticator code", recovery_code: "a recovery code" };

/** The second step of sign-in: the challenge and a code (or recovery code) start the session. */
export async function completeSignIn(
  db: Db,
  challenge: string,
  code: string,
  options: { ip?: string; userAgent?: string; now?: Date; throttle?: ThrottlePolicy } = {},
) {
  const now = options.now ?? new Date();
  const c = await security.findSignInChallenge(db, sha256(challenge), now);
  if (!c) throw new AppError("unauthorized", "This sign-in has expired or was completed: enter your email and password again");
  const keys = throttleKeys(c.email, options.ip);
  await assertNotThrottled(db, keys, now);
  const membership = await store.findMembership(db, c.workspace_id, c.user_id);
  if (!membership) throw new AppError("forbidden", "This account no longer belongs to the workspace");
  const origin = { ip: options.ip, userAgent: options.userAgent };
  const actor: Actor = { workspaceId: c.workspace_id, role: membership.role, kind: "user", userId: c.user_id, label: c.name, origin };
  const factor = await spendSecondFactor(db, { id: c.user_id, totp_secret: c.totp_secret }, code, now);
  if (!factor) {
    await recordFailure(db, keys, now, options.throttle ?? DEFAULT_THROTTLE);
    await audit(
      db,
      actor,
      "session.sign_in_failed",
      { type: "user", id: c.user_id },
      `Failed sign-in as ${c.email}: wrong two-factor code`,
    );
    throw new AppError("unauthorized", "The code is wrong or was already used", [
      { field: "code", message: "is wrong or was already used" },
    ]);
  }
  await recordSuccess(db, keys);
  return db.transaction().execute(async (tx) => {
    await security.deleteSignInChallenge(tx, sha256(challenge));
    if (factor === "recovery_code") {
      const left = await security.countUnusedRecoveryCodes(tx, c.user_id);
      await audit(
        tx,
        actor,
        "two_factor.recovery_code_used",
        { type: "user", id: c.user_id },
        `Used a recovery code to sign in (${left} left)`,
      );
    }
    await audit(tx, actor, "session.signed_in", { type: "user", id: c.user_id }, `Signed in as ${c.email} with ${FACTOR_WORDS[factor]}`);
    return startSession(tx, c.user_id, c.workspace_id, { origin, now });
  });
}
