import { type Actor, requirePermission } from "../accounts";
import { ENGAGEMENT_WINDOW_DAYS, type EngagementReport, type EngagementRow, REPLY_TIME_BANDS, type ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import { reportNames } from "../store/reports";
import * as store from "../store/reports-outcomes";
import { rangeOf, reportScope, round } from "./scope";

// The engagement outcome: did our answers help? For each person we replied to in the range (counted at
// our first reply), their sentiment in the window before and after it, as the understanding labelled
// their messages; detractors recovered (negative before, not negative after) and churn-risk signals,
// by the agent who replied, the conversation's team, the rule whose send_reply action answered and
// how long the person had waited.

const GROUPS = ["all", "agent", "team", "rule", "reply_time"] as const;
const BAND_NAMES: Record<(typeof REPLY_TIME_BANDS)[number], string> = {
  under_1h: "Under 1 hour",
  "1h_4h": "1–4 hours",
  "4h_24h": "4–24 hours",
  over_24h: "Over 24 hours",
  none: "Follow-up (no message waiting)",
};

const share = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

export async function engagementReport(db: DbOrTx, actor: Actor, query: ReportQuery, now = new Date()): Promise<EngagementReport> {
  requirePermission(actor, "reports:read");
  const s = await reportScope(db, actor, query, now);
  const [measures, buckets, names, rules] = await Promise.all([
    store.engagementMeasures(db, s, ENGAGEMENT_WINDOW_DAYS),
    store.rangeBuckets(db, s),
    reportNames(db, actor.workspaceId),
    store.ruleNames(db, actor.workspaceId),
  ]);
  const nameOf = (dimension: EngagementRow["dimension"], key: string) => {
    if (dimension === "all") return "All";
    if (dimension === "reply_time") return BAND_NAMES[key as keyof typeof BAND_NAMES] ?? key;
    if (dimension === "rule") return key === "none" ? "Not sent by a rule" : (rules.get(key) ?? "Deleted rule");
    if (key === "none") return dimension === "team" ? "No team" : "Outside Parley";
    return dimension === "team" ? (names.teams.get(key) ?? "Deleted team") : (names.users.get(key) ?? "Former member");
  };
  const rowOf = (dimension: EngagementRow["dimension"], key: string, m: store.EngagementMeasures | undefined): EngagementRow => {
    const people = m?.people ?? 0;
    const withBefore = m?.with_before ?? 0;
    const withAfter = m?.with_after ?? 0;
    const negativeBefore = m?.negative_before ?? 0;
    const negativeAfter = m?.negative_after ?? 0;
    const recovered = m?.recovered ?? 0;
    return {
      dimension,
      key,
      name: nameOf(dimension, key),
      people,
      with_before: withBefore,
      with_after: withAfter,
      negative_before: negativeBefore,
      negative_after: negativeAfter,
      negative_share_before: share(negativeBefore, withBefore),
      negative_share_after: share(negativeAfter, withAfter),
      recovered,
      worsened: m?.worsened ?? 0,
      recovery_rate: share(recovered, m?.detractors_answered ?? 0),
      churn_risk_before: m?.churn_risk_before ?? 0,
      churn_risk_after: m?.churn_risk_after ?? 0,
    };
  };
  const grouped = measures.filter(
    (m): m is store.EngagementMeasures & { dimension: "agent" | "team" | "rule" | "reply_time" } =>
      m.dimension === "agent" || m.dimension === "team" || m.dimension === "rule" || m.dimension === "reply_time",
  );
  const bandRank = (key: string) => REPLY_TIME_BANDS.indexOf(key as (typeof REPLY_TIME_BANDS)[number]);
  const rows = [
    rowOf(
      "all",
      "all",
      measures.find((m) => m.dimension === "all"),
    ),
    ...grouped
      .map((m) => rowOf(m.dimension, m.key, m))
      .sort((a, b) => {
        const byGroup = GROUPS.indexOf(a.dimension) - GROUPS.indexOf(b.dimension);
        if (byGroup !== 0) return byGroup;
        if (a.dimension === "reply_time") return bandRank(a.key) - bandRank(b.key);
        // the rules first; people's replies (no rule) after them
        if (a.dimension === "rule" && (a.key === "none") !== (b.key === "none")) return a.key === "none" ? 1 : -1;
        return b.people - a.people || a.name.localeCompare(b.name);
      }),
  ];
  const perBucket = new Map(measures.filter((m) => m.dimension === "bucket").map((m) => [m.key, m]));
  return {
    range: rangeOf(s),
    window_days: ENGAGEMENT_WINDOW_DAYS,
    rows,
    series: buckets.map((bucket) => {
      const m = perBucket.get(bucket);
      return { bucket, people: m?.people ?? 0, detractors: m?.negative_before ?? 0, recovered: m?.recovered ?? 0 };
    }),
  };
}
