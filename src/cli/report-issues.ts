import { stringify } from "csv-stringify/sync";
import { type Issue, issueListQuerySchema } from "../contracts";
import { listIssues } from "../insight";
import { parseWith } from "../shared/validation";
import type { Db } from "../store/db";
import { guardFormula } from "../transfer";
import { cliActor, printJson } from "./context";
import { callServer, type LocalServer } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley report issues`: the emerging issues (most recently active first, the ones in a burst
// flagged) as a table, JSON (--json) or CSV (--csv). Through the running server when one owns the data dir.

export type IssueReportOptions = { workspace?: string; json?: boolean; csv?: boolean; bursting?: boolean; days?: string; limit?: string };

export async function printIssuesReport(db: Db | null, server: LocalServer | null, opts: IssueReportOptions) {
  const raw = { bursting: opts.bursting ? "true" : undefined, days: opts.days, limit: opts.limit ?? "200" };
  const query = parseWith(issueListQuerySchema, raw);
  const page = db
    ? await listIssues(db, cliActor(await pickWorkspace(db, opts.workspace, Boolean(opts.json))), query)
    : (await callServer<{ data: Issue[] }>(server as LocalServer, "GET", "/issues", { query: raw })).data;
  const issues = page.data as Issue[];
  if (opts.json) return printJson(page);
  const rows = issues.map((i) => [
    i.label,
    i.recent_count,
    i.message_count,
    i.bursting ? String(i.burst_started_at) : "",
    String(i.last_message_at),
  ]);
  if (opts.csv) {
    const header = ["issue", "last_7_days", "messages", "burst_since", "latest", "id"];
    process.stdout.write(
      stringify([
        header,
        ...issues.map((i, n) => [...(rows[n] as unknown[]), i.id].map((v) => (typeof v === "string" ? guardFormula(v) : v))),
      ]),
    );
    return;
  }
  if (issues.length === 0) {
    process.stdout.write("No emerging issues yet.\n");
    return;
  }
  const header = ["issue", "7 days", "messages", "burst since", "latest"];
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  for (const r of cells)
    process.stdout.write(`${r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join("  ")}\n`);
}
