// Insight (issue #16): reports over what Parley already holds. `listening` is what customers say
// (volume by network, channel and label, sentiment, share of voice over the workspace's dictionary,
// top authors by reach); `service` is how fast and how well we answer (first reply and response,
// resolution, SLA attainment, CSAT, backlog). Read-only; managers, admins and owners (reports:read).
import type { Actor } from "../accounts";
import type { ReportName, ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import { listeningReport } from "./listening";
import { serviceReport } from "./service";

export { reportCsv } from "./csv";
export { home, URGENT_PRIORITY } from "./home";
export { listeningReport } from "./listening";
export { MAX_RANGE_DAYS } from "./scope";
export { serviceReport } from "./service";

export function runReport(db: DbOrTx, actor: Actor, name: ReportName, query: ReportQuery, now = new Date()) {
  return name === "listening" ? listeningReport(db, actor, query, now) : serviceReport(db, actor, query, now);
}
