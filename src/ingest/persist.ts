import type { Insertable } from "kysely";
import * as store from "../store/listening";
import type { MessageTable } from "../store/schema";
import { type NetworkBatch, networkKey, type Storable } from "./batch";
import type { Collapsed } from "./dedupe";
import { sanitizePostHtml } from "./message";
import type { MessageEvent } from "./notify";
import { foldLateParents, type Threads } from "./thread";
import type { AnalysisColumns } from "./understand";

// Stage 6, persist: the batch's conversations, messages (HTML sanitized, analysis
// and source payload kept), aliases and counts are written; conversations get their
// counts, times and status refreshed. Returns what notify and the rules are told.

export type Persistable = Collapsed & {
  analyses: AnalysisColumns[];
  profileIds: Map<string, string>;
  threads: Threads;
};

export async function persist(
  batch: NetworkBatch,
  { messages, aliases, counts, analyses, profileIds, threads }: Persistable,
  events: MessageEvent[],
) {
  const { tx, workspaceId, network, channel } = batch;
  const rows: Insertable<MessageTable>[] = messages.map((c: Storable, i) => {
    const m = c.msg;
    const { conversationId, direction } = threads.placements[i] as Threads["placements"][number];
    events.push({
      type: "message.created",
      workspace_id: workspaceId,
      message_id: c.id,
      conversation_id: conversationId,
      network,
      direction,
      posted_at: m.created_at,
    });
    return {
      workspace_id: workspaceId,
      id: c.id,
      channel_id: channel?.id ?? null,
      network,
      external_id: m.external_id,
      url: m.url ?? null,
      conversation_id: conversationId,
      profile_id: profileIds.get(networkKey(network, m.author.id)) ?? null,
      author_handle: m.author.handle ?? null,
      author_name: m.author.display_name ?? m.author.handle ?? null,
      text: c.text,
      html: m.html ? sanitizePostHtml(m.html) : null,
      subject: m.subject ?? null,
      posted_at: new Date(m.created_at),
      in_reply_to: m.in_reply_to ?? null,
      quote_of: m.quote_of ?? null,
      thread_refs: m.references ?? [],
      is_public: m.public,
      direction,
      content_hash: c.hash,
      raw: m.raw === undefined ? null : JSON.stringify(m.raw),
      ...(analyses[i] as AnalysisColumns),
    };
  });

  await store.insertConversations(tx, threads.newConversations);
  await store.insertMessages(tx, rows);
  await store.insertAliases(tx, aliases);
  await store.bumpCounts(tx, workspaceId, counts);
  await foldLateParents(batch, messages, threads, events);
  await store.refreshConversations(tx, workspaceId, [...threads.touched], threads.reopen);
}
