import { type Actor, requirePermission } from "../accounts";
import { IDEA_STATUSES, type ProductReport, type ReportQuery, type VOTE_SOURCES } from "../contracts";
import type { DbOrTx } from "../store/db";
import * as store from "../store/reports-outcomes";
import { rangeOf, reportScope } from "./scope";

// The product report: ideas by status and their votes, votes over time, where the votes came from
// (posts on social networks, the community portal, staff) and the ideas that gathered most in the
// range. Filters narrow the votes by the post they came from; the status counts are of all ideas now.

const TOP_IDEAS = 10;
const SOURCE_NAMES: Record<(typeof VOTE_SOURCES)[number], string> = {
  social: "Social posts",
  community: "Community portal",
  staff: "Staff",
};

export async function productReport(db: DbOrTx, actor: Actor, query: ReportQuery, now = new Date()): Promise<ProductReport> {
  requirePermission(actor, "reports:read");
  const s = await reportScope(db, actor, query, now);
  const [statuses, votes, origins, top, totals] = await Promise.all([
    store.ideasByStatus(db, s),
    store.votesOverTime(db, s),
    store.voteOrigins(db, s),
    store.topIdeas(db, s, TOP_IDEAS),
    store.ideaTotals(db, s),
  ]);
  return {
    range: rangeOf(s),
    totals,
    by_status: IDEA_STATUSES.map((status) => {
      const hit = statuses.find((r) => r.status === status);
      return {
        status,
        ideas: hit?.ideas ?? 0,
        votes: hit?.votes ?? 0,
        created: hit?.created ?? 0,
        votes_in_range: hit?.votes_in_range ?? 0,
      };
    }),
    votes,
    origins: origins.map((o) => (o.dimension === "source" ? { ...o, name: SOURCE_NAMES[o.key as keyof typeof SOURCE_NAMES] ?? o.key } : o)),
    top_ideas: top.map((i) => ({ ...i, status: i.status as ProductReport["top_ideas"][number]["status"] })),
  };
}
