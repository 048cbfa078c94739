import type { Command } from "commander";
import { analysisColumns, modelVersion } from "../ingest";
import { outboundMessageIds } from "../store/analysis";
import * as store from "../store/listening";
import { fail, openMigratedStore, printJson } from "./context";
import { progressBar } from "./progress";

const PAGE = 1000;

export function registerReanalyzeCommand(program: Command) {
  program
    .command("reanalyze")
    .description("Re-analyze stored messages with the current model (those analyzed by another model version, or all with --force)")
    .option("--since <date>", "only messages posted since this date (YYYY-MM-DD or ISO time)")
    .option("--force", "re-analyze even messages the current model already analyzed")
    .option("--json", "machine-readable summary")
    .action(async (opts: { since?: string; force?: boolean; json?: boolean }) => {
      const since = opts.since ? new Date(opts.since) : undefined;
      if (since && Number.isNaN(since.getTime())) fail(`--since: "${opts.since}" is not a date`, opts.json);
      const s = await openMigratedStore();
      const version = modelVersion();
      const total = await store.countToReanalyze(s.db, { since, version, force: Boolean(opts.force) });
      const bar = progressBar("reanalyze [{bar}] {value}/{total} | {rate}/s", { json: opts.json });
      bar?.start(total, 0, { rate: 0 });
      const started = Date.now();
      const products = new Map<string, string[]>();
      let done = 0;
      let afterId: string | undefined;
      for (;;) {
        const page = await store.messagesToReanalyze(s.db, { since, afterId, limit: PAGE, version, force: Boolean(opts.force) });
        if (page.length === 0) break;
        const rows: Parameters<typeof store.saveAnalyses>[1] = [];
        const outbound = await outboundMessageIds(s.db, page);
        for (const m of page) {
          if (!products.has(m.workspace_id)) products.set(m.workspace_id, await store.productNames(s.db, m.workspace_id));
          const { analyzed_at: _a, ...columns } = analysisColumns(
            m.subject ? `${m.subject}\n${m.text}` : m.text,
            { followers: m.followers ?? undefined, products: products.get(m.workspace_id), outbound: outbound.has(m.id) },
            m.language,
          );
          rows.push({ workspace_id: m.workspace_id, id: m.id, ...columns });
        }
        await s.db.transaction().execute((tx) => store.saveAnalyses(tx, rows));
        done += page.length;
        afterId = page[page.length - 1]?.id;
        if (!opts.json && !bar) process.stderr.write(`reanalyzed ${done}/${total}\n`);
        bar?.update(done, { rate: Math.round(done / Math.max((Date.now() - started) / 1000, 0.001)) });
        if (page.length < PAGE) break;
      }
      bar?.stop();
      await s.close();
      const seconds = (Date.now() - started) / 1000;
      if (opts.json) printJson({ reanalyzed: done, model_version: version, seconds: Number(seconds.toFixed(2)) });
      else console.log(`Re-analyzed ${done} messages with model ${version} in ${seconds.toFixed(1)} s`);
    });
}
