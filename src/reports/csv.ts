import { stringify } from "csv-stringify/sync";
import type { Actor } from "../accounts";
import { INTENTS, type ReportName, type ReportQuery } from "../contracts";
import type { DbOrTx } from "../store/db";
import { guardFormula } from "../transfer";
import { listeningReport } from "./listening";
import { serviceReport } from "./service";

// A report's main table as CSV: listening's volume per bucket (sentiment and intent labels as
// columns), service's rows (one per team, agent, channel and priority). Names are guarded against
// spreadsheet formulas; they come from customers and staff.

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
