import { type InfluenceList, type InfluenceRun, influenceQuerySchema } from "../contracts";
import { listInfluence, runInfluence } from "../insight";
import { plural } from "../shared/plural";
import { parseWith } from "../shared/validation";
import type { Db } from "../store/db";
import { cliActor, printJson } from "./context";
import { terminalLine } from "./output";
import { callServer, type LocalServer } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley report influence`: people by influence (PageRank over who replies to, mentions and
// quotes whom), or only --kind advocates|detractors, as a table or JSON (--json); --refresh
// recomputes the figures first. Through the running server when one owns the data dir.

export type InfluenceReportOptions = { workspace?: string; json?: boolean; kind?: string; limit?: string; refresh?: boolean };

export async function printInfluenceReport(db: Db | null, server: LocalServer | null, opts: InfluenceReportOptions) {
  const raw = { kind: opts.kind, limit: opts.limit };
  const query = parseWith(influenceQuerySchema, raw);
  let list: InfluenceList;
  if (db) {
    const actor = cliActor(await pickWorkspace(db, opts.workspace, Boolean(opts.json)));
    if (opts.refresh) await runInfluence(db, actor);
    list = await listInfluence(db, actor, query);
  } else {
    const live = server as LocalServer;
    if (opts.refresh) await callServer<InfluenceRun>(live, "POST", "/people/influence:run");
    list = (await callServer<InfluenceList>(live, "GET", "/people/influence", { query: raw })).data;
  }
  if (opts.json) return printJson(list);
  const out = process.stdout;
  if (!list.run) {
    out.write("Influence has not been computed yet: run `parley report influence --refresh`.\n");
    return;
  }
  const r = list.run;
  out.write(
    `Influence from ${plural(r.interactions, "interaction")} between ${plural(r.people, "person", "people")} (last ${r.window_days} days), ${plural(r.communities, "community", "communities")}, computed ${r.computed_at}\n\n`,
  );
  if (list.data.length === 0) {
    out.write(`No ${list.kind === "all" ? "people" : list.kind} yet.\n`);
    return;
  }
  const header = ["rank", "person", "network", "index", "stance", "community", "why"];
  const cells = [
    header,
    ...list.data.map((p) => [
      String(p.rank),
      oneLine(p.name),
      p.network ?? "contact",
      p.index.toFixed(2),
      p.stance,
      String(p.community),
      p.why.slice(0, 2).join("; "),
    ]),
  ];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  for (const row of cells) out.write(`${row.map((v, c) => (c === row.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join("  ")}\n`);
}

/** Names are written by strangers: no control characters or line breaks reach the terminal. */
const oneLine = (text: string) => terminalLine(text, 60);
