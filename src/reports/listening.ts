import { type Actor, requirePermission } from "../accounts";
import type { ListeningReport, ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import * as store from "../store/reports";
import { rangeOf, reportScope, round } from "./scope";

// The listening report: what customers say, where, in what mood, about whom (brand and products), and
// who of them reaches the most people. Inbound messages only; the workspace's own posts are not listening.

const TOP_AUTHORS = 10;

export async function listeningReport(db: DbOrTx, actor: Actor, query: ReportQuery, now = new Date()): Promise<ListeningReport> {
  requirePermission(actor, "reports:read");
  const s = await reportScope(db, actor, query, now);
  const [volume, split, totals, terms, authors] = await Promise.all([
    store.listeningVolume(db, s),
    store.listeningVolumeSplit(db, s),
    store.listeningTotals(db, s),
    store.shareOfVoice(db, s),
    store.topAuthors(db, s, TOP_AUTHORS),
  ]);
  const mentions = terms.reduce((sum, t) => sum + t.mentions, 0);
  return {
    range: rangeOf(s),
    totals: { messages: totals.messages, authors: totals.authors, mean_sentiment: round(totals.mean_sentiment, 4) },
    volume: volume.map((v) => ({ ...v, mean_sentiment: round(v.mean_sentiment, 4) })),
    volume_by: split,
    share_of_voice: terms.map((t) => ({ ...t, share: mentions > 0 ? (round(t.mentions / mentions, 4) ?? 0) : 0 })),
    top_authors: authors,
  };
}
