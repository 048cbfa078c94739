import { type Actor, can, requirePermission } from "../accounts";
import type { DigestFrequency, NotificationKind } from "../contracts/team";
import type { Changes } from "../events";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import { decodeTimeCursor, pageLimit, pageOf, timeCursor } from "../shared/pagination";
import type { DbOrTx } from "../store/db";
import { findConversation } from "../store/listening";
import { insertOutbox } from "../store/rules";
import * as store from "../store/team";
import { teamHub } from "./live";

// The notification centre: one table (the rules' notifications, with a kind) fed by mentions in
// notes, assignments of conversations and cases, SLA warnings and rule actions. Each user's
// preference says which kinds also go out by email (through the outbox, delivered after commit).

export function presentNotification(row: {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  conversation_id: string | null;
  rule_id: string | null;
  read_at: Date | null;
  created_at: Date;
}) {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    title: row.title,
    body: row.body,
    link: row.link,
    conversation_id: row.conversation_id,
    rule_id: row.rule_id,
    read_at: row.read_at,
    created_at: row.created_at,
  };
}

export type NotificationDraft = {
  userId: string;
  kind: Exclude<NotificationKind, "rule">;
  title: string;
  body?: string | null;
  link?: string | null;
  conversationId?: string | null;
  /** One notification per user and key: an SLA warning is told once. */
  dedupeKey?: string;
};

/**
 * Writes notifications in the caller's transaction, queues the emails their users asked for,
 * and tells their open apps. The live push waits a moment so that it follows the commit: a
 * client that refetches on it then reads the new row (and one rolled back is simply not found).
 */
export async function notifyUsers(tx: DbOrTx, workspaceId: string, drafts: NotificationDraft[], options: { liveDelayMs?: number } = {}) {
  if (drafts.length === 0) return [];
  const written = await store.insertNotifications(
    tx,
    drafts.map((d) => ({
      workspace_id: workspaceId,
      id: newId(),
      user_id: d.userId,
      kind: d.kind,
      title: d.title.slice(0, 300),
      body: d.body ?? null,
      link: d.link ?? null,
      conversation_id: d.conversationId ?? null,
      dedupe_key: d.dedupeKey ?? null,
      rule_id: null,
    })),
  );
  if (written.length === 0) return [];
  const prefs = await store.emailKindsOf(tx, workspaceId, [...new Set(written.map((w) => w.user_id))]);
  const wantEmail = written.filter((w) => prefs.get(w.user_id)?.includes(w.kind));
  if (wantEmail.length > 0) {
    const members = new Map((await store.workspaceMembers(tx, workspaceId)).map((m) => [m.id, m.email]));
    await insertOutbox(
      tx,
      wantEmail.flatMap((w) => {
        const to = members.get(w.user_id);
        if (!to) return [];
        const text = `${w.body ?? ""}${w.link ? `\n\nOpen in Parley: ${w.link}` : ""}`.trim();
        return [
          {
            workspace_id: workspaceId,
            id: newId(),
            kind: "email" as const,
            rule_id: null,
            payload: JSON.stringify({ to: [to], subject: `[Parley] ${w.title}`, text }),
            next_attempt_at: new Date(),
          },
        ];
      }),
    );
  }
  const announce = () => {
    for (const w of written) {
      teamHub.publish({
        type: "notification.created",
        workspace_id: workspaceId,
        user_id: w.user_id,
        notification_id: w.id,
        kind: w.kind,
        title: w.title,
      });
    }
  };
  setTimeout(announce, options.liveDelayMs ?? 250).unref?.();
  return written;
}

function requireUser(actor: Actor): string {
  requirePermission(actor, "crm:read");
  if (!actor.userId) throw new AppError("forbidden", "Notifications belong to a person: sign in (API keys have none)");
  return actor.userId;
}

export async function listNotifications(db: DbOrTx, actor: Actor, q: { unread?: "true" | "false"; cursor?: string; limit?: number }) {
  if (!actor.userId) return { data: [], next_cursor: null, unread: 0 };
  requirePermission(actor, "crm:read");
  const limit = pageLimit(q.limit);
  const rows = await store.notificationsPage(db, {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    unreadOnly: q.unread === "true",
    after: decodeTimeCursor(q.cursor),
    limit: limit + 1,
  });
  const page = pageOf(rows, limit, presentNotification, (r) => timeCursor(r.created_at, r.id));
  return { ...page, unread: await store.unreadNotificationCount(db, actor.workspaceId, actor.userId) };
}

export async function unreadCount(db: DbOrTx, actor: Actor) {
  if (!actor.userId) return { unread: 0 };
  requirePermission(actor, "crm:read");
  return { unread: await store.unreadNotificationCount(db, actor.workspaceId, actor.userId) };
}

export async function markNotificationsRead(db: DbOrTx, actor: Actor, ids?: string[]) {
  const userId = requireUser(actor);
  const marked = await store.markNotificationsRead(db, actor.workspaceId, userId, ids);
  return { marked, unread: await store.unreadNotificationCount(db, actor.workspaceId, userId) };
}

export async function notificationPrefs(db: DbOrTx, actor: Actor) {
  const userId = requireUser(actor);
  const prefs = await store.emailKindsOf(db, actor.workspaceId, [userId]);
  return { email: (prefs.get(userId) ?? []) as NotificationKind[], digest: await store.digestOf(db, actor.workspaceId, userId) };
}

export async function setNotificationPrefs(db: DbOrTx, actor: Actor, input: { email?: NotificationKind[]; digest?: DigestFrequency }) {
  const userId = requireUser(actor);
  if (input.email) await store.setEmailKinds(db, actor.workspaceId, userId, [...new Set(input.email)]);
  if (input.digest && input.digest !== "off" && !can(actor.role, "reports:read"))
    throw invalid("digest", "is for people who can read reports (managers, admins and owners)");
  if (input.digest) await store.setDigest(db, actor.workspaceId, userId, input.digest);
  return notificationPrefs(db, actor);
}

// ---------- What feeds it (subscribers wired in src/wiring.ts)

const newAssignee = (changes: Changes): string | null => {
  const to = changes.assignee_id?.[1];
  return typeof to === "string" ? to : null;
};

/** A conversation assigned to someone: they are told, unless they took it themselves. */
export async function onConversationChanged(
  tx: DbOrTx,
  workspaceId: string,
  event: { conversationId: string; changes: Changes; byUserId?: string | null },
) {
  const to = newAssignee(event.changes);
  if (!to || to === event.byUserId) return;
  const conversation = await findConversation(tx, workspaceId, event.conversationId);
  if (!conversation) return;
  await notifyUsers(tx, workspaceId, [
    {
      userId: to,
      kind: "assignment",
      title: `Conversation assigned to you: ${conversation.subject ?? `on ${conversation.network}`}`,
      link: `/inbox/${conversation.id}`,
      conversationId: conversation.id,
    },
  ]);
}

export async function onCaseChanged(tx: DbOrTx, workspaceId: string, event: { entity: string; id: string; changes: Changes }) {
  if (event.entity !== "case") return;
  const to = newAssignee(event.changes);
  if (!to) return;
  const kase = await store.caseById(tx, workspaceId, event.id);
  if (!kase) return;
  await notifyUsers(tx, workspaceId, [
    { userId: to, kind: "assignment", title: `Case #${kase.number} assigned to you: ${kase.subject}`, link: `/cases/${kase.id}` },
  ]);
}

/** An SLA about to be missed: the case's assignee is told once per timer. */
export async function onSlaWarning(tx: DbOrTx, workspaceId: string, event: { caseId: string; kind: "first_response" | "resolution" }) {
  const kase = await store.caseById(tx, workspaceId, event.caseId);
  if (!kase?.assignee_id) return;
  const what = event.kind === "first_response" ? "first response" : "resolution";
  await notifyUsers(tx, workspaceId, [
    {
      userId: kase.assignee_id,
      kind: "sla",
      title: `Case #${kase.number}: ${what} due soon`,
      body: kase.subject,
      link: `/cases/${kase.id}`,
      dedupeKey: `sla:${kase.id}:${event.kind}`,
    },
  ]);
}
