import { type Actor, requirePermission } from "../accounts";
import type { DbOrTx } from "../store/db";
import { findConversationOrThrow } from "../store/listening";
import { teamHub } from "./live";

// Collision detection: who is viewing or typing a reply on a conversation. Each open
// conversation view sends a heartbeat (POST …/presence) every few seconds; a viewer whose
// heartbeat is older than PRESENCE_TTL_MS has left. In memory: one process is the whole truth.

export const PRESENCE_TTL_MS = 30_000;
type Viewer = { user_id: string; name: string; state: "viewing" | "typing"; since: Date; seen: number };
const rooms = new Map<string, Map<string, Viewer>>();
const roomKey = (workspaceId: string, conversationId: string) => `${workspaceId}:${conversationId}`;

function viewersOf(key: string, now: number) {
  const room = rooms.get(key);
  if (!room) return [];
  for (const [id, v] of room) if (now - v.seen > PRESENCE_TTL_MS) room.delete(id);
  if (room.size === 0) rooms.delete(key);
  return [...room.values()].map((v) => ({ user_id: v.user_id, name: v.name, state: v.state, since: v.since }));
}

function announce(workspaceId: string, conversationId: string, now: number) {
  const viewers = viewersOf(roomKey(workspaceId, conversationId), now);
  teamHub.publish({
    type: "presence.changed",
    workspace_id: workspaceId,
    conversation_id: conversationId,
    viewers: viewers.map((v) => ({ ...v, since: v.since.toISOString() })),
  });
}

/** A heartbeat from the actor's open conversation; answers the others on it. */
export async function notePresence(
  db: DbOrTx,
  actor: Actor,
  conversationId: string,
  state: "viewing" | "typing" | "left",
  now = Date.now(),
) {
  requirePermission(actor, "crm:read");
  await findConversationOrThrow(db, actor.workspaceId, conversationId);
  const key = roomKey(actor.workspaceId, conversationId);
  const who = actor.userId ?? `key:${actor.apiKeyId ?? actor.label}`;
  const room = rooms.get(key) ?? new Map<string, Viewer>();
  const before = room.get(who);
  if (state === "left") room.delete(who);
  else
    room.set(who, {
      user_id: who,
      name: actor.label,
      state,
      since: before && before.state === state ? before.since : new Date(now),
      seen: now,
    });
  if (room.size > 0) rooms.set(key, room);
  else rooms.delete(key);
  // Tell the others only when something they see changed (not on every heartbeat).
  if (!before || state === "left" || before.state !== state) announce(actor.workspaceId, conversationId, now);
  return { conversation_id: conversationId, others: viewersOf(key, now).filter((v) => v.user_id !== who) };
}

export async function presenceOf(db: DbOrTx, actor: Actor, conversationId: string, now = Date.now()) {
  requirePermission(actor, "crm:read");
  await findConversationOrThrow(db, actor.workspaceId, conversationId);
  const who = actor.userId ?? `key:${actor.apiKeyId ?? actor.label}`;
  return {
    conversation_id: conversationId,
    others: viewersOf(roomKey(actor.workspaceId, conversationId), now).filter((v) => v.user_id !== who),
  };
}

/** Drops viewers whose heartbeat stopped and tells the rooms they left (run every few seconds). */
export function sweepPresence(now = Date.now()) {
  for (const [key, room] of rooms) {
    const stale = [...room.values()].some((v) => now - v.seen > PRESENCE_TTL_MS);
    if (!stale) continue;
    const [workspaceId, conversationId] = key.split(":") as [string, string];
    announce(workspaceId, conversationId, now);
  }
}
