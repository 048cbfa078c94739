import { z } from "zod";
import { type Actor, requirePermission } from "../accounts";
import { getContact } from "../crm";
import { invalid } from "../shared/errors";
import { decodeCursor, encodeCursor, pageLimit, pageOf } from "../shared/pagination";
import { plural } from "../shared/plural";
import type { DbOrTx } from "../store/db";
import * as store from "../store/identity";

// The person view: one timeline across every channel and record a contact has,
// and the scores staff read at a glance (influence, sentiment, health).

export const TIMELINE_TYPES = ["message", "activity", "case", "deal", "idea", "merge"] as const;

export const timelineParamsSchema = z
  .object({
    types: z.string().max(200).optional(),
    network: z.string().max(40).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().optional(),
  })
  .strict();

export async function contactTimeline(db: DbOrTx, actor: Actor, contactId: string, params: z.infer<typeof timelineParamsSchema>) {
  requirePermission(actor, "crm:read");
  await getContact(db, actor, contactId);
  const types = new Set<string>(params.types ? params.types.split(",").map((t) => t.trim()) : TIMELINE_TYPES);
  for (const t of types) {
    if (!(TIMELINE_TYPES as readonly string[]).includes(t)) throw invalid("types", `"${t}" is not one of ${TIMELINE_TYPES.join(", ")}`);
  }
  const limit = pageLimit(params.limit);
  const c = decodeCursor(params.cursor, "timeline");
  const rows = await store.timelineOf(db, {
    workspaceId: actor.workspaceId,
    contactId,
    types,
    network: params.network || undefined,
    before: c ? { at: new Date(String(c[0])), id: c[1] } : undefined,
    limit: limit + 1,
  });
  return pageOf(
    rows,
    limit,
    (r) => ({
      type: r.type,
      id: r.id,
      at: r.at,
      title: r.title,
      text: r.text,
      network: r.network,
      direction: r.direction,
      conversation_id: r.conversation_id,
      url: r.url,
      sentiment: r.sentiment,
      labels: r.labels ?? [],
      status: r.status,
      activity_type: r.activity_type,
    }),
    (r) => encodeCursor("timeline", r.at, r.id),
  );
}

const clamp = (x: number, lo = 0, hi = 100) => Math.max(lo, Math.min(hi, x));

/**
 * Scores, each with the reasons behind it:
 * - influence 0–100: reach (followers over all linked profiles, log scale: 100k ≈ 80)
 *   plus engagement (reposts and copies of their posts).
 * - sentiment −1…1: mean sentiment of their inbound messages.
 * - health 0–100 (none for a contact with no messages, unless churned): starts at 70; recent negative messages, churn-risk signals and
 *   silence lower it, praise and being a customer/advocate raise it.
 */
export async function contactInsights(db: DbOrTx, actor: Actor, contactId: string) {
  requirePermission(actor, "crm:read");
  const contact = await getContact(db, actor, contactId);
  const profiles = await store.profilesOfContact(db, actor.workspaceId, contactId);
  const stats = await store.contactMessageStats(db, actor.workspaceId, contactId);
  const t = stats.totals ?? { messages: 0, last_at: null, reposts: 0, copies: 0, recent_negative: 0, recent: 0, churn: 0, praise: 0 };
  const reasons: string[] = [];

  const followers = profiles.reduce((sum, p) => sum + (p.followers ?? 0), 0);
  const reach = followers > 0 ? (Math.log10(followers + 1) / 5) * 80 : 0;
  const engagement = Math.min(20, Math.log2(1 + t.reposts + t.copies) * 4);
  const influence = Math.round(clamp(reach + engagement));
  if (followers > 0) reasons.push(`${plural(followers, "follower")} across ${plural(profiles.length, "profile")}`);
  if (t.reposts + t.copies > 0) reasons.push(`${plural(t.reposts + t.copies, "repost or copy", "reposts or copies")} of their posts`);

  const totalCount = stats.weekly.reduce((s, w) => s + w.count, 0);
  const sentiment = totalCount ? stats.weekly.reduce((s, w) => s + w.average * w.count, 0) / totalCount : null;
  if (sentiment !== null) reasons.push(`average sentiment ${sentiment.toFixed(2)} over ${plural(totalCount, "message")}`);

  let health = 70;
  if (t.recent_negative) {
    health -= Math.min(30, t.recent_negative * 10);
    reasons.push(`${plural(t.recent_negative, "negative message")} in the last 30 days`);
  }
  if (t.churn) {
    health -= Math.min(30, t.churn * 15);
    reasons.push(`${plural(t.churn, "churn-risk signal")}`);
  }
  if (t.praise) {
    health += Math.min(15, t.praise * 5);
    reasons.push(`${plural(t.praise, "message")} of praise`);
  }
  if (contact.lifecycle_stage === "customer" || contact.lifecycle_stage === "advocate") health += 10;
  if (contact.lifecycle_stage === "churned") {
    health -= 40;
    reasons.push("lifecycle stage is churned");
  }
  if (sentiment !== null) health += sentiment * 10;
  const last = t.last_at ? new Date(t.last_at) : null;
  if (last && Date.now() - last.getTime() > 180 * 86_400_000) {
    health -= 10;
    reasons.push("nothing heard from them in 6 months");
  }
  return {
    scores: {
      influence,
      sentiment: sentiment === null ? null : Math.round(sentiment * 100) / 100,
      // Nothing heard and nothing known of their standing: no score rather than a made-up 70.
      health: t.messages === 0 && contact.lifecycle_stage !== "churned" ? null : Math.round(clamp(health)),
      reasons,
    },
    sentiment_series: stats.weekly.map((w) => ({ period: w.period, average: Math.round(w.average * 100) / 100, count: w.count })),
    networks: stats.networks,
    message_count: t.messages,
    last_message_at: t.last_at,
  };
}
