import type { Command } from "commander";
import {
  type EngagementReport,
  type ListeningReport,
  type ProductReport,
  REPORT_NAMES,
  type ReportName,
  type ReportQuery,
  reportParams,
  reportQuerySchema,
  type SalesReport,
  type ServiceReport,
} from "../contracts";
import { reportCsv, runReport } from "../reports";
import { parseWith } from "../shared/validation";
import { cliActor, openMigratedStore, printJson, runCommand } from "./context";
import { type InfluenceReportOptions, printInfluenceReport } from "./report-influence";
import { type IssueReportOptions, printIssuesReport } from "./report-issues";
import { printEngagement, printProduct, printSales, table } from "./report-outcomes";
import { callServer, type LocalServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley report listening|service|product|sales|engagement`: the insight reports of the API, as a table, JSON (--json) or
// CSV (--csv, the main table). Through the running server when one owns the data dir.

type Options = {
  from?: string;
  to?: string;
  bucket?: string;
  channel?: string;
  network?: string;
  team?: string;
  segment?: string;
  workspace?: string;
  json?: boolean;
  csv?: boolean;
};

const DESCRIPTION =
  "Print a report (listening, service, product, sales or engagement) for a date range: a table, --json for every figure, --csv for the main table";

function printListening(r: ListeningReport) {
  const out = process.stdout;
  out.write(`Listening ${r.range.from} – ${r.range.to} (${r.range.time_zone})\n`);
  out.write(`${r.totals.messages} messages from ${r.totals.authors} authors, mean sentiment ${r.totals.mean_sentiment ?? "-"}\n\n`);
  out.write(
    table(
      [r.range.bucket, "messages", "positive", "neutral", "negative", "mean"],
      r.volume.map((v) => [v.bucket, v.messages, v.positive, v.neutral, v.negative, v.mean_sentiment]),
    ),
  );
  if (r.share_of_voice.length > 0) {
    out.write("\nShare of voice\n");
    out.write(
      table(
        ["term", "kind", "mentions", "share"],
        r.share_of_voice.map((s) => [s.name, s.kind, s.mentions, s.share]),
      ),
    );
  }
  if (r.top_authors.length > 0) {
    out.write("\nTop authors by reach\n");
    out.write(
      table(
        ["author", "network", "followers", "messages"],
        r.top_authors.map((a) => [a.handle ?? a.display_name ?? a.profile_id, a.network, a.followers, a.messages]),
      ),
    );
  }
}

function printService(r: ServiceReport) {
  const out = process.stdout;
  out.write(`Service ${r.range.from} – ${r.range.to} (${r.range.time_zone}); times in minutes\n\n`);
  out.write(
    table(
      [
        "by",
        "name",
        "conv",
        "reply p50",
        "reply p90",
        "cases",
        "resp p50",
        "resp p90",
        "resol p50",
        "resol p90",
        "SLA resp",
        "SLA resol",
        "CSAT",
      ],
      r.rows.map((row) => [
        row.dimension,
        row.name,
        row.conversations,
        row.conversation_first_reply_p50,
        row.conversation_first_reply_p90,
        row.cases,
        row.first_response_p50,
        row.first_response_p90,
        row.resolution_p50,
        row.resolution_p90,
        row.first_response_attainment,
        row.resolution_attainment,
        row.csat_mean,
      ]),
    ),
  );
  out.write(`\nBacklog now: ${r.backlog.open_conversations} conversations, ${r.backlog.open_cases} cases\n`);
  out.write(
    table(
      ["age", "conversations", "cases"],
      r.backlog.ages.map((a) => [a.age, a.conversations, a.cases]),
    ),
  );
}

export function registerReportCommands(program: Command) {
  program
    .command("report")
    .description(DESCRIPTION)
    .argument(
      "<name>",
      `the report: ${[...REPORT_NAMES, "issues", "influence"].join(", ")} (issues: the emerging issues, --bursting for those in a burst; influence: people by influence)`,
    )
    .option("--from <date>", "start (a date is the start of that day in the workspace's time zone; default 30 days ago)")
    .option("--to <date>", "end (a date alone includes that whole day; default now)")
    .option("--bucket <day|week>", "time series buckets", "day")
    .option("--channel <id>", "only this channel")
    .option("--network <network>", "only this network")
    .option("--team <id>", "only this team's conversations and cases")
    .option("--segment <id>", "only people in this saved segment (their messages, cases, votes, deals and replies)")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "print every figure as JSON")
    .option("--csv", "print the main table as CSV")
    .option("--bursting", "issues: only those in a burst now")
    .option("--days <n>", "issues: only those with a message in the last n days")
    .option("--kind <all|advocates|detractors>", "influence: everyone (default), advocates or detractors")
    .option("--limit <n>", "influence: at most n people (default 50)")
    .option("--refresh", "influence: recompute the figures first")
    .action(async (rawName: string, opts: Options & IssueReportOptions & InfluenceReportOptions) => {
      const json = Boolean(opts.json);
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        if (rawName === "issues") return printIssuesReport(store?.db ?? null, server, opts);
        if (rawName === "influence") return printInfluenceReport(store?.db ?? null, server, opts);
        const { name } = parseWith(reportParams, { name: rawName }) as { name: ReportName };
        const raw = {
          from: opts.from,
          to: opts.to,
          bucket: opts.bucket,
          channel: opts.channel,
          network: opts.network,
          team: opts.team,
          segment: opts.segment,
        };
        const query: ReportQuery = { ...parseWith(reportQuerySchema, raw), format: opts.csv ? "csv" : "json" };
        if (opts.csv) {
          const text = store
            ? await reportCsv(store.db, cliActor(await pickWorkspace(store.db, opts.workspace, json)), name, query)
            : await (
                await callServer<Response>(server as LocalServer, "GET", `/reports/${name}`, { query: { ...raw, format: "csv" } })
              ).data.text();
          process.stdout.write(text);
          return;
        }
        const report = store
          ? await runReport(store.db, cliActor(await pickWorkspace(store.db, opts.workspace, json)), name, query)
          : (await callServer<unknown>(server as LocalServer, "GET", `/reports/${name}`, { query: raw })).data;
        if (json) printJson(report);
        else if (name === "listening") printListening(report as ListeningReport);
        else if (name === "product") printProduct(report as ProductReport);
        else if (name === "sales") printSales(report as SalesReport);
        else if (name === "engagement") printEngagement(report as EngagementReport);
        else printService(report as ServiceReport);
      });
    });
}
