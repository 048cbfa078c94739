import { sql } from "kysely";
import type { DbOrTx } from "./db";

// Queries about messages' analysis that the rules and re-analysis need beside the
// listening store's: which conversations hold a real (non-spam) inbound message, and
// which messages are the workspace's own (outbound, never spam).

/** Per conversation, its inbound messages that are not labelled spam (conversations without any are absent). */
export async function nonSpamInboundCounts(db: DbOrTx, workspaceId: string, conversationIds: string[]) {
  const out = new Map<string, number>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom("messages")
    .select(["conversation_id", (eb) => eb.fn.countAll<string>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "in", conversationIds)
    .where("direction", "=", "inbound")
    .where(sql<boolean>`not ('spam' = any(labels))`)
    .groupBy("conversation_id")
    .execute();
  for (const r of rows) out.set(r.conversation_id, Number(r.n));
  return out;
}

/** Of the given messages (by workspace and id), the ids of those that are outbound. */
export async function outboundMessageIds(db: DbOrTx, messages: Array<{ workspace_id: string; id: string }>): Promise<Set<string>> {
  const out = new Set<string>();
  const byWorkspace = new Map<string, string[]>();
  for (const m of messages) byWorkspace.set(m.workspace_id, [...(byWorkspace.get(m.workspace_id) ?? []), m.id]);
  for (const [workspaceId, ids] of byWorkspace) {
    const rows = await db
      .selectFrom("messages")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("id", "in", ids)
      .where("direction", "=", "outbound")
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** The intents' and signals' probabilities of the given messages, by id. */
export async function messageProbabilities(db: DbOrTx, workspaceId: string, ids: string[]) {
  const out = new Map<string, { intents: Record<string, number> | null; signals: Record<string, number> | null }>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("messages")
    .select(["id", "intents", "signals"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
  for (const r of rows) out.set(r.id, { intents: r.intents, signals: r.signals });
  return out;
}
