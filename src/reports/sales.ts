import { type Actor, requirePermission } from "../accounts";
import type { ReportQuery, SalesReport, SalesRow } from "../contracts";
import type { DbOrTx } from "../store/db";
import { reportNames } from "../store/reports";
import * as store from "../store/reports-outcomes";
import { rangeOf, reportScope, round } from "./scope";

// The sales report: leads and deals that came from social, their value, and the revenue won in the
// range traced to the first post (the message the deal was made from, else its conversation's first
// post, else its contact's first post), by the network and channel of that post.

const GROUPS = ["all", "network", "channel"] as const;

export async function salesReport(db: DbOrTx, actor: Actor, query: ReportQuery, now = new Date()): Promise<SalesReport> {
  requirePermission(actor, "reports:read");
  const s = await reportScope(db, actor, query, now);
  const [measures, buckets, names] = await Promise.all([
    store.salesMeasures(db, s),
    store.rangeBuckets(db, s),
    reportNames(db, actor.workspaceId),
  ]);
  const figures = (m: (typeof measures)[number] | undefined) => ({
    leads: m?.leads ?? 0,
    deals_created: m?.deals_created ?? 0,
    deals_value: round(m?.deals_value ?? 0) ?? 0,
    won_deals: m?.won_deals ?? 0,
    won_value: round(m?.won_value ?? 0) ?? 0,
  });
  const nameOf = (dimension: SalesRow["dimension"], key: string) => {
    if (dimension === "all") return "All";
    if (key === "none") return dimension === "channel" ? "No channel" : "No post";
    return dimension === "channel" ? (names.channels.get(key) ?? "Deleted channel") : key;
  };
  const all = measures.find((m) => m.dimension === "all");
  const rows: SalesRow[] = [
    { dimension: "all", key: "all", name: "All", ...figures(all) },
    ...measures
      .filter((m): m is typeof m & { dimension: "network" | "channel" } => m.dimension === "network" || m.dimension === "channel")
      .map((m) => ({ dimension: m.dimension, key: m.key, name: nameOf(m.dimension, m.key), ...figures(m) }))
      .sort(
        (a, b) =>
          GROUPS.indexOf(a.dimension) - GROUPS.indexOf(b.dimension) ||
          b.won_value - a.won_value ||
          b.leads + b.deals_created - (a.leads + a.deals_created) ||
          a.name.localeCompare(b.name),
      ),
  ];
  const perBucket = new Map(measures.filter((m) => m.dimension === "bucket").map((m) => [m.key, m]));
  return {
    range: rangeOf(s),
    currencies: [...(all?.currencies ?? [])].sort(),
    rows,
    series: buckets.map((bucket) => {
      const f = figures(perBucket.get(bucket));
      return { bucket, leads: f.leads, deals_created: f.deals_created, deals_value: f.deals_value, won_value: f.won_value };
    }),
  };
}
