import type { EventOf } from "../events";
import { sha256 } from "../shared/ids";
import * as store from "../store/community";
import type { DbOrTx } from "../store/db";
import { insertOutboxOnce } from "../store/rules";
import { findIdea } from "../store/work";
import { type Portal, portalLink, portalOfWorkspace } from "./portal";

// Idea status notices: when staff move an idea (planned, in progress, done, declined…), every
// member who follows it or voted for it — on the portal, or by a social post as the same person —
// gets one email through the outbox, unless they turned these emails off (their profile, or the
// link in the email). A notice's outbox id is derived from the status change and the member, so
// the same change never sends twice, however often the handler runs.

/** An id for the outbox row: the same status change and member always give the same uuid. */
function noticeId(changeId: string, memberId: string): string {
  const h = sha256(`community-idea-status:${changeId}:${memberId}`);
  // shaped as a version-4/variant-1 uuid so it fits the outbox's uuid column
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "0", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const statusName = (s: string | null | undefined) => (s ?? "new").replace(/_/g, " ");
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

/** Where a member turns the notices off without signing in (the key only works for this). */
export const stopNoticesLink = (portal: Portal, member: { id: string; notice_key: string }) =>
  portalLink(portal, `/notices/stop?m=${encodeURIComponent(member.id)}&k=${encodeURIComponent(member.notice_key)}`);

/**
 * Subscriber of record.changed (src/wiring.ts): an idea's status changed in this transaction.
 * Queues one email per member to tell; returns how many were queued.
 */
export async function noticeIdeaStatusChange(tx: DbOrTx, workspaceId: string, event: EventOf<"record.changed">): Promise<number> {
  const status = event.changes.status;
  if (event.entity !== "idea" || !status) return 0;
  const to = String(status[1]);
  const change = await store.latestIdeaStatusChange(tx, workspaceId, event.id, to);
  const idea = await findIdea(tx, workspaceId, event.id);
  const portal = await portalOfWorkspace(tx, workspaceId);
  if (!change || !idea || !portal) return 0;
  const recipients = await store.ideaNoticeRecipients(tx, workspaceId, idea.id);
  if (recipients.length === 0) return 0;
  const title = oneLine(idea.title).slice(0, 150);
  const ideaLink = portalLink(portal, `/ideas/${idea.id}`);
  const preferences = portalLink(portal, "/profile");
  await insertOutboxOnce(
    tx,
    recipients.map((m) => ({
      workspace_id: workspaceId,
      id: noticeId(change.id, m.id),
      kind: "email" as const,
      rule_id: null,
      payload: {
        to: [m.email],
        subject: `${title}: now ${statusName(to)}`,
        text: [
          `Hello ${oneLine(m.display_name)},`,
          "",
          `The idea "${title}" on ${oneLine(portal.title)} is now ${statusName(to)} (it was ${statusName(change.from_status)}).`,
          "",
          `See the idea: ${ideaLink}`,
          "",
          "You get this email because you follow or voted for this idea.",
          `Stop emails about ideas: ${stopNoticesLink(portal, m)}`,
          `Your email preferences: ${preferences}`,
        ].join("\n"),
        purpose: "community_idea_status",
        idea_id: idea.id,
        status_change_id: change.id,
        member_id: m.id,
      },
    })),
  );
  return recipients.length;
}

/** The "stop emails about ideas" link: turns them off for the member it names, if the key matches. */
export async function stopIdeaNotices(db: DbOrTx, portal: Portal, input: { memberId: string; key: string }): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(input.memberId) || !/^[0-9a-f]{16,64}$/i.test(input.key)) return false;
  const member = await store.memberByNoticeKey(db, portal.workspaceId, input.memberId, input.key);
  if (!member) return false;
  if (member.notify_ideas) await store.updateMember(db, portal.workspaceId, member.id, { notify_ideas: false });
  return true;
}
