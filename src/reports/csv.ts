import { stringify } from "csv-stringify/sync";
import type { Actor } from "../accounts";
import { INTENTS, type ReportName, type ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import { guardFormula } from "../transfer";
import { engagementReport } from "./engagement";
import { listeningReport } from "./listening";
import { productReport } from "./product";
import { salesReport } from "./sales";
import { serviceReport } from "./service";

// A report's main table as CSV: listening's volume per bucket (sentiment and intent labels as
// columns), service's rows (one per team, agent, channel and priority), product's votes per bucket
// by source, sales' rows (all, by network and channel of the first post), engagement's rows (all,
// by agent, team, rule and reply time). Names are guarded against spreadsheet formulas; they come from
// customers and staff.

const SALES_COLUMNS = ["dimension", "key", "name", "leads", "deals_created", "deals_value", "won_deals", "won_value"] as const;
const ENGAGEMENT_COLUMNS = [
  "dimension",
  "key",
  "name",
  "people",
  "with_before",
  "with_after",
  "negative_before",
  "negative_after",
  "negative_share_before",
  "negative_share_after",
  "recovered",
  "worsened",
  "recovery_rate",
  "churn_risk_before",
  "churn_risk_after",
] as const;

const cell = (value: string | number | null) => (value === null ? "" : typeof value === "string" ? guardFormula(value) : value);

export async function reportCsv(db: DbOrTx, actor: Actor, name: ReportName, query: ReportQuery, now = new Date()): Promise<string> {
  if (name === "listening") {
    const report = await listeningReport(db, actor, query, now);
    const labels = new Map<string, number>();
    for (const s of report.volume_by) if (s.dimension === "label") labels.set(`${s.bucket}:${s.key}`, s.messages);
    const header = ["bucket", "messages", "positive", "neutral", "negative", "unanalyzed", "mean_sentiment", ...INTENTS];
    const rows = report.volume.map((v) => [
      v.bucket,
      v.messages,
      v.positive,
      v.neutral,
      v.negative,
      v.unanalyzed,
      cell(v.mean_sentiment),
      ...INTENTS.map((label) => labels.get(`${v.bucket}:${label}`) ?? 0),
    ]);
    return stringify([header, ...rows]);
  }
  if (name === "product") {
    const report = await productReport(db, actor, query, now);
    const columns = ["bucket", "votes", "social", "community", "staff"] as const;
    return stringify([columns, ...report.votes.map((v) => columns.map((c) => cell(v[c])))]);
  }
  if (name === "sales") {
    const report = await salesReport(db, actor, query, now);
    return stringify([SALES_COLUMNS, ...report.rows.map((row) => SALES_COLUMNS.map((c) => cell(row[c])))]);
  }
  if (name === "engagement") {
    const report = await engagementReport(db, actor, query, now);
    return stringify([ENGAGEMENT_COLUMNS, ...report.rows.map((row) => ENGAGEMENT_COLUMNS.map((c) => cell(row[c])))]);
  }
  const report = await serviceReport(db, actor, query, now);
  const columns = [
    "dimension",
    "key",
    "name",
    "conversations",
    "conversation_first_reply_p50",
    "conversation_first_reply_p90",
    "cases",
    "first_response_p50",
    "first_response_p90",
    "resolution_p50",
    "resolution_p90",
    "first_response_met",
    "first_response_breached",
    "first_response_attainment",
    "resolution_met",
    "resolution_breached",
    "resolution_attainment",
    "csat_responses",
    "csat_mean",
    "csat_satisfied",
  ] as const;
  return stringify([columns, ...report.rows.map((row) => columns.map((c) => cell(row[c])))]);
}
