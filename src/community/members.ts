import { hashPassword, verifyPassword } from "../accounts";
import { resolveProfiles } from "../identity";
import { AppError, invalid } from "../shared/errors";
import { newId, newSecret, sha256 } from "../shared/ids";
import * as store from "../store/community";
import type { DbOrTx } from "../store/db";
import { upsertProfiles } from "../store/listening";
import { insertOutbox } from "../store/rules";
import type { CommunityMemberRow } from "../store/schema-community";
import type { CommunityDeps, Portal } from "./portal";
import { earnedTrust, trustOf } from "./trust";

// Community members are the workspace's customers, not its staff: their own accounts (password
// or a magic link sent by email), their own sessions and cookie. A member is also a profile on
// the community network, verified — signing in is authenticated evidence for identity linking
// (src/identity links the profile to the contact with the member's email).

export const MEMBER_SESSION_DAYS = 30;
export const MAGIC_LINK_MINUTES = 30;

export type Member = CommunityMemberRow;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function checkEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw invalid("email", "must be an email address");
  return e;
}

function checkName(name: string): string {
  const n = name.trim().replace(/\s+/g, " ");
  if (n.length < 2 || n.length > 60) throw invalid("display_name", "must be 2 to 60 characters");
  return n;
}

async function startSession(deps: CommunityDeps, db: DbOrTx, member: Member): Promise<string> {
  const token = newSecret("pcm");
  await store.insertSession(db, {
    token_hash: sha256(token),
    workspace_id: member.workspace_id,
    member_id: member.id,
    expires_at: new Date(deps.now().getTime() + MEMBER_SESSION_DAYS * 86_400_000),
  });
  return token;
}

/** The member's community profile (made on first need) and its link to a contact by their email. */
export async function ensureProfile(db: DbOrTx, member: Member): Promise<string> {
  if (member.profile_id) return member.profile_id;
  const profile = {
    id: newId(),
    network: "community",
    network_id: member.id,
    handle: member.email,
    display_name: member.display_name,
    profile_url: null,
    followers: null,
    bio: null,
    verified: true,
  };
  const ids = await upsertProfiles(db, member.workspace_id, [{ ...profile, seen_at: new Date() }]);
  const id = ids.get(`community\u0000${member.id}`) ?? profile.id;
  if (id === profile.id) await resolveProfiles(db, member.workspace_id, [profile]);
  await store.updateMember(db, member.workspace_id, member.id, { profile_id: id });
  member.profile_id = id;
  return id;
}

export async function signUpMember(
  deps: CommunityDeps,
  portal: Portal,
  input: { email: string; display_name: string; password: string; ip: string },
): Promise<{ member: Member; token: string }> {
  deps.ipLimiter.take(`signup:${input.ip}`, "sign-ups");
  const email = checkEmail(input.email);
  const display_name = checkName(input.display_name);
  if (input.password.length < 10) throw invalid("password", "must be at least 10 characters");
  if (input.password.length > 200) throw invalid("password", "must be at most 200 characters");
  const password_hash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (tx) => {
    if (await store.findMemberByEmail(tx, portal.workspaceId, email))
      throw new AppError("conflict", "email: already has an account here: sign in instead", [
        { field: "email", message: "already has an account" },
      ]);
    const member = await store.insertMember(tx, { workspace_id: portal.workspaceId, id: newId(), email, display_name, password_hash });
    await ensureProfile(tx, member);
    return { member, token: await startSession(deps, tx, member) };
  });
}

export async function signInMember(
  deps: CommunityDeps,
  portal: Portal,
  input: { email: string; password: string; ip: string },
): Promise<{ member: Member; token: string }> {
  deps.ipLimiter.take(`signin:${input.ip}`, "sign-in attempts");
  const member = await store.findMemberByEmail(deps.db, portal.workspaceId, input.email.trim());
  const ok = await verifyPassword(input.password, member?.password_hash ?? null);
  if (!member || !ok) throw new AppError("unauthorized", "The email or the password is wrong");
  if (member.suspended) throw new AppError("forbidden", "This account is suspended by the community's moderators");
  return { member, token: await startSession(deps, deps.db, member) };
}

/**
 * Emails a one-time sign-in link (through the outbox, like every email Parley sends). The
 * answer never says whether the address has an account; the token is never logged or returned.
 */
export async function requestMagicLink(deps: CommunityDeps, portal: Portal, input: { email: string; ip: string; baseUrl: string }) {
  deps.ipLimiter.take(`magic:${input.ip}`, "sign-in links");
  const email = checkEmail(input.email);
  const token = newSecret("pcl");
  const link = `${input.baseUrl}/c/${portal.slug}/magic/${encodeURIComponent(token)}`;
  await deps.db.transaction().execute(async (tx) => {
    await store.insertLoginToken(tx, {
      token_hash: sha256(token),
      workspace_id: portal.workspaceId,
      email,
      expires_at: new Date(deps.now().getTime() + MAGIC_LINK_MINUTES * 60_000),
    });
    await insertOutbox(tx, [
      {
        workspace_id: portal.workspaceId,
        id: newId(),
        kind: "email",
        rule_id: null,
        payload: {
          to: [email],
          subject: `Sign in to ${portal.title}`,
          text: `Open this link to sign in to ${portal.title} (it works once, for ${MAGIC_LINK_MINUTES} minutes):\n\n${link}\n\nIf you did not ask for it, ignore this email.`,
          purpose: "community_sign_in",
        },
      },
    ]);
  });
}

/** Signs in with a magic link's token; the first sign-in of an address makes its account. */
export async function consumeMagicLink(deps: CommunityDeps, portal: Portal, token: string): Promise<{ member: Member; token: string }> {
  return deps.db.transaction().execute(async (tx) => {
    const used = await store.consumeLoginToken(tx, portal.workspaceId, sha256(token), deps.now());
    if (!used) throw new AppError("unauthorized", "This sign-in link is used or expired: ask for a new one");
    let member = await store.findMemberByEmail(tx, portal.workspaceId, used.email);
    if (!member) {
      const name = (used.email.split("@")[0] ?? "member").replace(/[^\p{L}\p{N}._-]+/gu, " ").slice(0, 60);
      member = await store.insertMember(tx, {
        workspace_id: portal.workspaceId,
        id: newId(),
        email: used.email,
        display_name: name.length >= 2 ? name : "Member",
      });
      await ensureProfile(tx, member);
    }
    if (member.suspended) throw new AppError("forbidden", "This account is suspended by the community's moderators");
    return { member, token: await startSession(deps, tx, member) };
  });
}

export async function memberFromSession(deps: CommunityDeps, portal: Portal, token: string | undefined): Promise<Member | null> {
  if (!token) return null;
  const member = await store.memberOfSession(deps.db, portal.workspaceId, sha256(token), deps.now());
  return member && !member.suspended ? member : null;
}

export async function signOutMember(deps: CommunityDeps, token: string | undefined) {
  if (token) await store.deleteSession(deps.db, sha256(token));
}

export async function updateMemberProfile(
  deps: CommunityDeps,
  member: Member,
  input: { display_name: string; notify_replies: boolean; notify_ideas: boolean },
): Promise<Member> {
  return store.updateMember(deps.db, member.workspace_id, member.id, {
    display_name: checkName(input.display_name),
    notify_replies: input.notify_replies,
    notify_ideas: input.notify_ideas,
  });
}

/** Recomputes a member's trust level from their activity (unless staff set it by hand). */
export async function refreshTrust(db: DbOrTx, workspaceId: string, memberId: string): Promise<number> {
  const member = await store.findMember(db, workspaceId, memberId);
  if (!member) return 0;
  const a = await store.memberActivity(db, workspaceId, memberId);
  const level = member.trust_locked ? member.trust_level : earnedTrust(a);
  await store.updateMember(db, workspaceId, memberId, {
    trust_level: level,
    post_count: a.posts,
    accepted_count: a.accepted,
    upvotes_received: a.upvotes,
    hidden_count: a.hidden,
  });
  return level;
}

export const trustName = (level: number) => trustOf(level).name;
