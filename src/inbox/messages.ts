import { z } from "zod";
import { type Actor, requirePermission } from "../accounts";
import { newId } from "../shared/ids";
import { timePage } from "../shared/pagination";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/listening";
import { NETWORKS } from "../store/schema";
import { INTENTS, SENTIMENTS } from "../understand";
import { presentMessage } from "./present";

export const messageSearchSchema = z.object({
  query: z.string().max(500).optional(),
  label: z.enum(INTENTS).optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
  language: z.string().max(20).optional(),
  min_priority: z.coerce.number().int().min(0).max(100).optional(),
  network: z.enum(NETWORKS).optional(),
  channel_id: z.uuid().optional(),
  conversation_id: z.uuid().optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export async function searchMessages(db: DbOrTx, actor: Actor, params: z.infer<typeof messageSearchSchema>) {
  requirePermission(actor, "crm:read");
  return timePage(
    params,
    (page) =>
      store.searchMessages(db, {
        workspaceId: actor.workspaceId,
        query: params.query,
        network: params.network,
        channelId: params.channel_id,
        conversationId: params.conversation_id,
        label: params.label,
        sentiment: params.sentiment,
        language: params.language,
        minPriority: params.min_priority,
        ...page,
      }),
    presentMessage,
    (r) => r.posted_at,
  );
}

// ---------- Corrections: agents fix a label; the old and new values are kept as training data

export const correctionSchema = z
  .object({
    sentiment: z.enum(SENTIMENTS).optional(),
    labels: z.array(z.enum(INTENTS)).max(7).optional(),
    language: z.string().trim().min(2).max(20).optional(),
  })
  .strict()
  .refine((v) => v.sentiment !== undefined || v.labels !== undefined || v.language !== undefined, {
    message: "give sentiment, labels or language",
  });
export type Correction = z.output<typeof correctionSchema>;

export async function correctMessage(db: Db, actor: Actor, messageId: string, input: Correction) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const message = await store.findMessageOrThrow(tx, actor.workspaceId, messageId);
    const changes: Array<{ field: "sentiment" | "labels" | "language"; old: unknown; next: unknown }> = [];
    if (input.sentiment !== undefined && input.sentiment !== message.sentiment)
      changes.push({ field: "sentiment", old: message.sentiment, next: input.sentiment });
    if (input.labels !== undefined) {
      const next = [...new Set(input.labels)].sort();
      if (JSON.stringify(next) !== JSON.stringify([...message.labels].sort())) changes.push({ field: "labels", old: message.labels, next });
    }
    if (input.language !== undefined && input.language !== message.language)
      changes.push({ field: "language", old: message.language, next: input.language });
    for (const c of changes) {
      await store.insertCorrection(tx, {
        workspace_id: actor.workspaceId,
        id: newId(),
        message_id: messageId,
        field: c.field,
        old_value: JSON.stringify(c.old ?? null),
        new_value: JSON.stringify(c.next),
        user_id: actor.userId,
      });
    }
    await store.applyCorrection(tx, actor.workspaceId, messageId, {
      ...(input.sentiment !== undefined ? { sentiment: input.sentiment } : {}),
      ...(input.labels !== undefined ? { labels: [...new Set(input.labels)] } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
    });
    const row = await store.findMessageOrThrow(tx, actor.workspaceId, messageId);
    return { message: presentMessage(row), corrections: changes.length };
  });
}

/** Corrected messages as training examples: the text with the labels agents settled on. */
export async function correctionsAsTrainingData(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.correctedMessages(db, actor.workspaceId);
  return rows.map((r) => ({
    id: r.id,
    text: r.subject ? `${r.subject}\n${r.text}` : r.text,
    network: r.network,
    language: r.language,
    sentiment: r.sentiment,
    labels: r.labels,
    corrected_fields: r.fields,
    corrected_at: r.corrected_at,
  }));
}

export async function listCorrections(db: DbOrTx, actor: Actor, messageId: string) {
  requirePermission(actor, "crm:read");
  await store.findMessageOrThrow(db, actor.workspaceId, messageId);
  const rows = await store.correctionsOf(db, actor.workspaceId, messageId);
  return {
    data: rows.map((r) => ({
      id: r.id,
      field: r.field,
      old_value: r.old_value,
      new_value: r.new_value,
      user_id: r.user_id,
      created_at: r.created_at,
    })),
  };
}
