import { type Actor, requirePermission } from "../accounts";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { findConversationOrThrow } from "../store/listening";
import type { ConversationNoteRow } from "../store/schema-team";
import * as store from "../store/team";
import { notifyUsers } from "./notifications";

// Internal notes on a conversation: seen by the team, never sent to the customer. "@jo",
// "@jo@example.com" or "@JoBrown" mentions a member of this workspace (resolved here, on the
// server, against this workspace's members only) and tells them in the notification centre.

type Member = { id: string; email: string; name: string };

const MENTION = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}][\p{L}\p{N}._+-]*(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu;

/** The members a text mentions, each once, in order of first mention. */
export function parseMentions(text: string, members: Member[]): Member[] {
  // An address, its local part or the whole name is exact; a first name only where no one has it
  // as one of those. A key two members share (two "Sam"s) names neither.
  const exact = new Map<string, Member | null>();
  const loose = new Map<string, Member | null>();
  const add = (keys: Map<string, Member | null>, key: string, m: Member) => {
    const k = key.toLowerCase();
    if (!k) return;
    const seen = keys.get(k);
    keys.set(k, seen === undefined || seen?.id === m.id ? m : null);
  };
  for (const m of members) {
    add(exact, m.email, m);
    add(exact, m.email.split("@")[0] ?? "", m);
    add(exact, m.name.replace(/\s+/g, ""), m);
    add(loose, m.name.split(/\s+/)[0] ?? "", m);
  }
  const found: Member[] = [];
  for (const match of text.matchAll(MENTION)) {
    const token = (match[2] ?? "").replace(/[.]+$/, "").toLowerCase();
    const m = exact.has(token) ? exact.get(token) : loose.get(token);
    if (m && !found.some((f) => f.id === m.id)) found.push(m);
  }
  return found;
}

function presentNote(row: ConversationNoteRow, members: Map<string, Member>) {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    author_id: row.author_id,
    author_name: row.author_name,
    text: row.text,
    mentions: row.mentions.map((id) => ({ id, name: members.get(id)?.name ?? "Former member" })),
    created_at: row.created_at,
  };
}

export async function listNotes(db: DbOrTx, actor: Actor, conversationId: string) {
  requirePermission(actor, "crm:read");
  await findConversationOrThrow(db, actor.workspaceId, conversationId);
  const [rows, members] = await Promise.all([
    store.notesOf(db, actor.workspaceId, conversationId),
    store.workspaceMembers(db, actor.workspaceId),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  return { data: rows.map((r) => presentNote(r, byId)) };
}

export async function createNote(db: Db, actor: Actor, conversationId: string, input: { text: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const conversation = await findConversationOrThrow(tx, ws, conversationId);
    const members = await store.workspaceMembers(tx, ws);
    const mentioned = parseMentions(input.text, members);
    const row = {
      workspace_id: ws,
      id: newId(),
      conversation_id: conversationId,
      author_id: actor.userId,
      author_name: actor.label,
      text: input.text,
      mentions: mentioned.map((m) => m.id),
      created_at: new Date(),
    };
    await store.insertNote(tx, row);
    await notifyUsers(
      tx,
      ws,
      mentioned
        .filter((m) => m.id !== actor.userId)
        .map((m) => ({
          userId: m.id,
          kind: "mention" as const,
          title: `${actor.label} mentioned you on ${conversation.subject ? `"${conversation.subject}"` : `a ${conversation.network} conversation`}`,
          body: input.text.slice(0, 500),
          link: `/inbox/${conversationId}`,
          conversationId,
        })),
    );
    return presentNote(row, new Map(members.map((m) => [m.id, m])));
  });
}
