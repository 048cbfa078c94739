import { type Actor, audit, auditActor, requirePermission } from "../accounts";
import { invalid } from "../shared/errors";
import * as store from "../store/community";
import type { Db } from "../store/db";
import { refreshTrust } from "./members";
import { trustOf } from "./trust";

// Staff moderation: the queue of posts members reported or the pipeline labelled spam, and the
// decisions on them (hide, restore, dismiss the reports), and a member's trust level or suspension.

export async function moderationQueue(db: Db, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.moderationQueue(db, actor.workspaceId, 200);
  return {
    data: rows.map((r) => ({
      post_id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      hidden: r.hidden,
      spam: r.spam,
      reasons: r.reasons,
      author: { id: r.member_id, name: r.author, trust_level: r.author_trust, trust_name: trustOf(r.author_trust).name },
      conversation_id: r.conversation_id,
      created_at: new Date(r.created_at).toISOString(),
    })),
  };
}

export async function moderatePost(db: Db, actor: Actor, input: { post_id: string; action: "hide" | "restore" | "dismiss" }) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const post = await store.findPost(tx, actor.workspaceId, input.post_id);
    if (!post) throw invalid("post_id", "is not a post in this workspace's community");
    const hidden = input.action === "hide" ? true : input.action === "restore" ? false : post.hidden;
    const updated = await store.updatePost(tx, actor.workspaceId, post.id, { hidden, moderated_at: new Date() });
    await store.closeReports(tx, actor.workspaceId, post.id, input.action === "hide" ? "hidden" : "dismissed", auditActor(actor));
    if (post.question_id) await store.recountAnswers(tx, actor.workspaceId, post.question_id);
    await refreshTrust(tx, actor.workspaceId, post.member_id);
    await audit(tx, actor, `community.post_${input.action}`, { type: "community_post", id: post.id }, `Community post ${input.action}`);
    return { post_id: updated.id, hidden: updated.hidden };
  });
}

export async function setMemberStanding(
  db: Db,
  actor: Actor,
  input: { member_id: string; trust_level?: number | null; suspended?: boolean },
) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const member = await store.findMember(tx, actor.workspaceId, input.member_id);
    if (!member) throw invalid("member_id", "is not a member of this workspace's community");
    const patch: Parameters<typeof store.updateMember>[3] = {};
    if (input.trust_level !== undefined) {
      patch.trust_locked = input.trust_level !== null;
      if (input.trust_level !== null) patch.trust_level = input.trust_level;
    }
    if (input.suspended !== undefined) patch.suspended = input.suspended;
    await store.updateMember(tx, actor.workspaceId, member.id, patch);
    const level = await refreshTrust(tx, actor.workspaceId, member.id);
    const after = await store.findMember(tx, actor.workspaceId, member.id);
    await audit(
      tx,
      actor,
      "community.member_standing",
      { type: "community_member", id: member.id },
      `Community member ${member.display_name}: trust ${level}${after?.suspended ? ", suspended" : ""}`,
    );
    return { member_id: member.id, trust_level: level, trust_locked: after?.trust_locked ?? false, suspended: after?.suspended ?? false };
  });
}
