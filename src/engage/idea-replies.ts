import { type Actor, audit, requirePermission } from "../accounts";
import type { IdeaStatusReplies, IdeaStatusRepliesPreview } from "../contracts/replies";
import { graphemeCount } from "../contracts/replies";
import type { EventOf } from "../events";
import { latestIdeaStatusChange } from "../store/community";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import { findConversation } from "../store/listening";
import { findReplyByKey, ideaStatusRepliesEnabled, ideaVotePosts, setIdeaStatusReplies } from "../store/replies";
import type { ConversationRow } from "../store/schema";
import { findIdea } from "../store/work";
import { consentWarning } from "./consent";
import { checkedText, type ReplyPlan, replyPlan } from "./plan";
import { writeReply } from "./replies";

// Closing the loop on ideas (issue 14): when an idea's status changes, the people who asked for it
// in a public post hear of it there, by a public reply on their network, if the workspace turned
// this on (off by default; the idea page previews the reply and who gets it). One reply per person
// and status change (the idempotency key), never to someone who withdrew social engagement consent,
// and only where the channel can reply. Community members are emailed instead (src/community).

const STATUS_NAMES: Record<string, string> = {
  new: "new",
  under_review: "under review",
  planned: "planned",
  in_progress: "in progress",
  done: "done",
  declined: "declined",
};
const statusName = (s: string) => STATUS_NAMES[s] ?? s.replace(/_/g, " ");
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** The reply, with the idea's title shortened so the whole fits the network's limit. */
export function ideaStatusReplyText(title: string, status: string, limit: number | null = null): string {
  const done =
    status === "done" ? "It is done: thank you for asking for it!" : `It is now ${statusName(status)}. Thank you for asking for it!`;
  const text = (t: string) => `An update on your idea "${t}": ${done}`;
  const full = oneLine(title);
  if (limit === null || graphemeCount(text(full)) <= limit) return text(full);
  const room = Math.max(10, limit - graphemeCount(text("")) - 1);
  return text(`${[...full].slice(0, room).join("").trimEnd()}…`);
}

type Candidate = Awaited<ReturnType<typeof ideaVotePosts>>[number];

/** One post per person: the first that voted (a contact's several profiles count once). */
function onePerPerson(posts: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return posts.filter((p) => {
    const who = p.contact_id ? `c:${p.contact_id}` : p.profile_id ? `p:${p.profile_id}` : `m:${p.message_id}`;
    if (seen.has(who)) return false;
    seen.add(who);
    return true;
  });
}

type Outcome =
  | { post: Candidate; text: string; reason: null; send: { conversation: ConversationRow; plan: Extract<ReplyPlan, { ok: true }> } }
  | { post: Candidate; text: null; reason: string; send: null };

/**
 * Whether (and with which text) each person who asked can be answered about this status: the
 * preview shows exactly this, and the status change sends exactly this.
 */
async function planAll(db: DbOrTx, workspaceId: string, idea: { id: string; title: string }, status: string): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const no = (post: Candidate, reason: string) => out.push({ post, text: null, reason, send: null });
  for (const post of onePerPerson(await ideaVotePosts(db, workspaceId, idea.id))) {
    const conversation = await findConversation(db, workspaceId, post.conversation_id);
    if (!conversation) continue;
    if (await consentWarning(db, workspaceId, post.message_id)) {
      no(post, "withdrew consent to social engagement");
      continue;
    }
    const plan = await replyPlan(db, workspaceId, conversation, post.message_id);
    if (!plan.ok) {
      no(post, plan.reason);
      continue;
    }
    try {
      const text = checkedText(plan, ideaStatusReplyText(idea.title, status, plan.limit), "public");
      out.push({ post, text, reason: null, send: { conversation, plan } });
    } catch (err) {
      no(post, err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

/**
 * Subscriber of record.changed (src/wiring.ts), in the status change's transaction: the replies
 * are written with their outbox rows, so they are sent once the change commits, or not at all.
 */
export async function replyToIdeaVoters(tx: DbOrTx, workspaceId: string, event: EventOf<"record.changed">): Promise<number> {
  const status = event.changes.status;
  if (event.entity !== "idea" || !status) return 0;
  if (!(await ideaStatusRepliesEnabled(tx, workspaceId))) return 0;
  const to = String(status[1]);
  const [idea, change] = await Promise.all([findIdea(tx, workspaceId, event.id), latestIdeaStatusChange(tx, workspaceId, event.id, to)]);
  if (!idea || !change) return 0;
  let sent = 0;
  for (const o of await planAll(tx, workspaceId, idea, to)) {
    if (!o.send) continue;
    // one reply per person and status change, however often the change is delivered
    const key = `idea-status:${change.id}:${o.post.message_id}`;
    if (await findReplyByKey(tx, workspaceId, o.send.conversation.id, key)) continue;
    await writeReply(tx, workspaceId, o.send.conversation, o.send.plan, o.text, "public", { userId: null, name: "Idea update", key });
    sent++;
  }
  return sent;
}

/** What a change of this idea to `status` would post, and to whom (the idea page's preview). */
export async function ideaStatusRepliesPreview(
  db: Db,
  actor: Actor,
  ideaId: string,
  wanted: string | undefined,
): Promise<IdeaStatusRepliesPreview> {
  requirePermission(actor, "crm:read");
  const idea = await orThrow(findIdea(db, actor.workspaceId, ideaId), "Idea");
  const status = wanted ?? idea.status;
  const outcomes = await planAll(db, actor.workspaceId, idea, status);
  return {
    enabled: await ideaStatusRepliesEnabled(db, actor.workspaceId),
    text: ideaStatusReplyText(idea.title, status),
    recipients: outcomes.map((o) => ({
      message_id: o.post.message_id,
      conversation_id: o.post.conversation_id,
      network: o.post.network,
      author: o.post.author_name ?? (o.post.author_handle ? `@${o.post.author_handle}` : null),
      text: o.text,
      can_reply: o.text !== null,
      reason: o.reason,
    })),
  };
}

export async function getIdeaStatusReplies(db: Db, actor: Actor): Promise<IdeaStatusReplies> {
  requirePermission(actor, "crm:read");
  return { enabled: await ideaStatusRepliesEnabled(db, actor.workspaceId) };
}

export async function setIdeaStatusRepliesFor(db: Db, actor: Actor, enabled: boolean): Promise<IdeaStatusReplies> {
  requirePermission(actor, "workspace:manage");
  await db.transaction().execute(async (tx) => {
    await setIdeaStatusReplies(tx, actor.workspaceId, enabled);
    await audit(
      tx,
      actor,
      "workspace.idea_status_replies",
      { type: "workspace", id: actor.workspaceId },
      enabled
        ? "Turned on public replies to the posts that asked for an idea when its status changes"
        : "Turned off public replies to the posts that asked for an idea",
    );
  });
  return { enabled };
}
