import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import * as store from "../store/listening";
import { type NetworkBatch, networkKey, type Storable } from "./batch";
import type { References } from "./dedupe";
import type { MessageEvent } from "./notify";
import type { IngestOutcome } from "./outcomes";

// Stage 5, thread: a reply joins its parent's conversation (the parent stored
// earlier or earlier in this batch); otherwise the message starts one. A message
// from one of the workspace's own accounts is outbound; an inbound one reopens its
// conversation. A late parent folds the conversations its earlier replies started.

/** The workspace's own accounts, as networkKey(network, handle without @). */
export async function ownHandles(tx: DbOrTx, workspaceId: string): Promise<Set<string>> {
  const own = await store.listOwnAccounts(tx, workspaceId);
  return new Set(own.map((a) => networkKey(a.network, a.handle.toLowerCase().replace(/^@/, ""))));
}

export type Placement = { conversationId: string; direction: "inbound" | "outbound" };

export type Threads = {
  /** Each message's conversation and direction (in the same order as the messages). */
  placements: Placement[];
  newConversations: Parameters<typeof store.insertConversations>[1];
  /** Conversation by the external id of a message of this batch. */
  conversationOf: Map<string, string>;
  /** Conversations whose counts and times are refreshed after the insert. */
  touched: Set<string>;
  /** Conversations that get a new inbound message. */
  reopen: Set<string>;
};

export function thread(
  { workspaceId, network, channel, outcomes }: NetworkBatch,
  messages: Storable[],
  { known }: References,
  own: Set<string>,
): Threads {
  const threads: Threads = { placements: [], newConversations: [], conversationOf: new Map(), touched: new Set(), reopen: new Set() };
  const { conversationOf } = threads;
  for (const c of messages) {
    const m = c.msg;
    const parents = [m.in_reply_to, m.quote_of, ...[...(m.references ?? [])].reverse()].filter((p): p is string => Boolean(p));
    let conversationId: string | undefined;
    for (const p of parents) {
      conversationId = conversationOf.get(p) ?? known.get(p)?.conversation_id;
      if (conversationId) break;
    }
    if (!conversationId) {
      conversationId = newId();
      threads.newConversations.push({
        workspace_id: workspaceId,
        id: conversationId,
        channel_id: channel?.id ?? null,
        network,
        subject: m.subject ?? null,
        root_message_id: c.id,
        at: new Date(m.created_at),
      });
    }
    conversationOf.set(m.external_id, conversationId);
    threads.touched.add(conversationId);
    const handle = (m.author.handle ?? "").toLowerCase().replace(/^@/, "");
    const direction =
      m.direction ??
      (own.has(networkKey(network, handle)) || own.has(networkKey(network, m.author.id.toLowerCase())) ? "outbound" : "inbound");
    if (direction === "inbound") threads.reopen.add(conversationId);
    (outcomes[c.index] as IngestOutcome).conversation_id = conversationId;
    threads.placements.push({ conversationId, direction });
  }
  return threads;
}

/**
 * A late parent: replies stored before it started conversations of their own; they
 * join the parent's (once the batch's messages are inserted). The events already
 * made follow them.
 */
export async function foldLateParents(
  { tx, workspaceId, network }: NetworkBatch,
  messages: Storable[],
  threads: Threads,
  events: MessageEvent[],
) {
  const orphans = await store.orphanConversations(
    tx,
    workspaceId,
    network,
    messages.map((c) => c.msg.external_id),
  );
  for (const o of orphans) {
    const target = threads.conversationOf.get(o.parent);
    if (target && target !== o.conversation_id) {
      await store.moveConversation(tx, workspaceId, o.conversation_id, target);
      threads.touched.delete(o.conversation_id);
      threads.touched.add(target);
      for (const e of events) if (e.conversation_id === o.conversation_id) e.conversation_id = target;
    }
  }
}
