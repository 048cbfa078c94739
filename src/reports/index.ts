// Insight (issue #16): reports over what Parley already holds. `listening` is what customers say
// (volume by network, channel and label, sentiment, share of voice over the workspace's dictionary,
// top authors by reach); `service` is how fast and how well we answer (first reply and response,
// resolution, SLA attainment, CSAT, backlog); `product` is ideas and their votes; `sales` is leads,
// deals and won revenue traced to the first post; `engagement` is whether our replies turned
// detractors around. Read-only; managers, admins and owners (reports:read).
import type { Actor } from "../accounts";
import type { ReportName, ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import { engagementReport } from "./engagement";
import { listeningReport } from "./listening";
import { productReport } from "./product";
import { salesReport } from "./sales";
import { serviceReport } from "./service";

export { reportCsv } from "./csv";
export { engagementReport } from "./engagement";
export { home, URGENT_PRIORITY } from "./home";
export { listeningReport } from "./listening";
export { productReport } from "./product";
export { salesReport } from "./sales";
export { MAX_RANGE_DAYS } from "./scope";
export { serviceReport } from "./service";

const REPORTS = {
  listening: listeningReport,
  service: serviceReport,
  product: productReport,
  sales: salesReport,
  engagement: engagementReport,
} satisfies Record<ReportName, (db: DbOrTx, actor: Actor, query: ReportQuery, now?: Date) => Promise<unknown>>;

export type ReportOf<N extends ReportName> = Awaited<ReturnType<(typeof REPORTS)[N]>>;

export function runReport<N extends ReportName>(
  db: DbOrTx,
  actor: Actor,
  name: N,
  query: ReportQuery,
  now = new Date(),
): Promise<ReportOf<N>> {
  return (REPORTS[name] as (db: DbOrTx, actor: Actor, query: ReportQuery, now?: Date) => Promise<ReportOf<N>>)(db, actor, query, now);
}
