import { publish } from "../events";
import type { Db } from "../store/db";
import * as store from "../store/listening";
import { findPrivacySettings } from "../store/retention";
import type { IngestOptions } from "./batch";
import { byNetwork, collapse, dedupeBatch, dedupeStored, findReferences } from "./dedupe";
import { normalize } from "./normalize";
import type { MessageEvent } from "./notify";
import type { IngestOutcome } from "./outcomes";
import { persist } from "./persist";
import { redactBatch } from "./redact";
import { resolveAuthors } from "./resolve";
import { dropSuppressed } from "./suppress";
import { ownHandles, thread } from "./thread";
import { understand } from "./understand";

/**
 * One batch through the stages: normalize → dedupe → understand → resolve →
 * thread → persist, in one transaction (all of the batch is stored, or none of
 * it); notify follows the commit (see Ingestor). Every item gets its outcome.
 */
export async function ingestBatch(
  db: Db,
  workspaceId: string,
  items: unknown[],
  options: IngestOptions = {},
): Promise<{ outcomes: IngestOutcome[]; events: MessageEvent[] }> {
  const outcomes: IngestOutcome[] = new Array(items.length);
  const channel = options.channel ?? null;
  const candidates = dedupeBatch(normalize(items, options.accepts, outcomes), outcomes);
  const events: MessageEvent[] = [];
  if (candidates.length === 0) return { outcomes, events };

  await db.transaction().execute(async (tx) => {
    const own = await ownHandles(tx, workspaceId);
    const products = await store.productNames(tx, workspaceId);
    const privacy = await findPrivacySettings(tx, workspaceId);
    for (const [network, group] of byNetwork(candidates)) {
      const batch = { tx, workspaceId, network, channel, outcomes };
      const kept = await dropSuppressed(batch, group);
      redactBatch(kept, privacy ? { emails: privacy.redact_emails, phones: privacy.redact_phones, cards: privacy.redact_cards } : null);
      const fresh = await dedupeStored(batch, kept);
      const references = await findReferences(batch, fresh);
      const collapsed = collapse(batch, fresh, references);
      // Threading decides each message's direction, which understanding needs: own posts are never spam.
      const threads = thread(batch, collapsed.messages, references, own);
      const analyses = understand(collapsed.messages, products, threads.placements);
      const profileIds = await resolveAuthors(batch, collapsed.messages);
      await persist(batch, { ...collapsed, analyses, profileIds, threads }, events);
    }
    // subscribers (rules, case timers) run in this same transaction (src/events)
    if (events.length > 0) await publish(tx, workspaceId, { type: "message.stored", messages: events });
    if (channel) await store.addChannelItems(tx, workspaceId, channel.id, events.length);
  });
  return { outcomes, events };
}
