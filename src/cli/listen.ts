import { createReadStream, type ReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Command } from "commander";
import { parse as parseCsv } from "csv-parse";
import { type IngestOutcome, Ingestor, Notifier } from "../ingest";
import { fromActivityStreams, fromCsvRow, fromTwcsRow, ingestOptions, isActivityStreams, TWCS_COLUMNS } from "../listen";
import { findChannelByName } from "../store/listening";
import { fail, openMigratedStore, printJson } from "./context";
import { progressBar } from "./progress";
import { callServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

type Format = "jsonl" | "csv" | "twcs" | "as2";
const FORMATS: Format[] = ["jsonl", "csv", "twcs", "as2"];

function guessFormat(file: string): Format {
  if (/\.(jsonl|ndjson)$/i.test(file)) return "jsonl";
  if (/\.csv$/i.test(file)) return "csv";
  if (/\.json$/i.test(file)) return "as2";
  return "jsonl";
}

/** Yields normalized-message candidates (or {_error}) from a file, streaming. */
async function* readItems(input: Readable, format: Format): AsyncGenerator<{ line: number; item: unknown }> {
  if (format === "csv" || format === "twcs") {
    const parser = input.pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_quotes: false, trim: false }));
    let line = 1;
    let twcs = format === "twcs";
    let checked = false;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      line++;
      if (!checked) {
        checked = true;
        if (TWCS_COLUMNS.every((c) => c in row)) twcs = true;
        else if (format === "twcs")
          throw new Error(`not the Customer Support on Twitter layout: expected columns ${TWCS_COLUMNS.join(", ")}`);
      }
      yield { line, item: twcs ? fromTwcsRow(row) : fromCsvRow(row) };
    }
    return;
  }
  if (format === "as2") {
    let text = "";
    for await (const chunk of input) text += chunk;
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      let doc: unknown;
      try {
        doc = JSON.parse(trimmed);
        const items = Array.isArray(doc) ? doc : [doc];
        let n = 0;
        for (const d of items) for (const item of isActivityStreams(d) ? fromActivityStreams(d) : [d]) yield { line: ++n, item };
        return;
      } catch {
        // not one JSON document: read it as JSON lines below
      }
    }
    let line = 0;
    for (const raw of trimmed.split(/\r?\n/)) {
      line++;
      if (!raw.trim()) continue;
      try {
        const d = JSON.parse(raw);
        for (const item of isActivityStreams(d) ? fromActivityStreams(d) : [d]) yield { line, item };
      } catch {
        yield { line, item: { _invalid: `line ${line} is not valid JSON` } };
      }
    }
    return;
  }
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) continue;
    try {
      yield { line, item: JSON.parse(raw) };
    } catch {
      yield { line, item: { _invalid: `line ${line} is not valid JSON` } };
    }
  }
}

type IngestTarget = { submit: (items: unknown[]) => Promise<IngestOutcome[]>; close: () => Promise<void> };

/**
 * Where ingested batches go: the running server's batch endpoint when `parley start`
 * holds this data dir (it owns the store; its rules run on what arrives), else the store itself.
 */
async function ingestTarget(
  workspace: string | undefined,
  channelName: string | undefined,
  batchSize: number,
  json: boolean,
): Promise<IngestTarget> {
  const server = serverOnDataDir(workspace);
  if (server) {
    let channelId: string | undefined;
    try {
      // Also checks the workspace before any message is sent.
      const { data } = await callServer<{ data: Array<{ id: string; name: string }> }>(server, "GET", "/channels");
      if (channelName) {
        channelId = data.data.find((c) => c.name.toLowerCase() === channelName.toLowerCase())?.id;
        if (!channelId) fail(`no channel named "${channelName}" in this workspace`, json);
      }
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err), json);
    }
    return {
      submit: async (items) => {
        const results: IngestOutcome[] = [];
        // The endpoint takes up to 1,000 messages a request.
        for (let i = 0; i < items.length; i += 1000) {
          const messages = items.slice(i, i + 1000);
          const { data } = await callServer<{ results: IngestOutcome[] }>(server, "POST", "/messages:batch", {
            json: { ...(channelId ? { channel_id: channelId } : {}), messages },
          });
          results.push(...data.results);
        }
        return results;
      },
      close: async () => {},
    };
  }
  const store = await openMigratedStore();
  const workspaceId = await pickWorkspace(store.db, workspace, json);
  const channel = channelName ? await findChannelByName(store.db, workspaceId, channelName) : null;
  if (channelName && !channel) fail(`no channel named "${channelName}" in this workspace`, json);
  const options = await ingestOptions(store.db, workspaceId, channel);
  const ingestor = new Ingestor(store.db, new Notifier(), { maxBatch: batchSize, maxQueued: batchSize * 4 });
  return { submit: (items) => ingestor.submit(workspaceId, items, options), close: () => store.close() };
}

export function registerListenCommands(program: Command) {
  program
    .command("ingest")
    .description("Ingest messages from a file: JSONL (normalized), CSV, the Customer Support on Twitter CSV (twcs), or ActivityStreams 2.0")
    .argument("<file>", "file to read, or - for standard input")
    .option("--format <format>", `one of ${FORMATS.join(", ")} (default: from the file name)`)
    .option("--channel <name>", "channel the messages came through (its listening queries apply)")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--batch <n>", "messages per transaction", "1000")
    .option("--json", "machine-readable summary")
    .action(async (file: string, opts: { format?: string; channel?: string; workspace?: string; batch: string; json?: boolean }) => {
      const format = (opts.format ?? (file === "-" ? "jsonl" : guessFormat(file))) as Format;
      if (!FORMATS.includes(format)) fail(`--format must be one of ${FORMATS.join(", ")}`, opts.json);
      const batchSize = Math.max(1, Math.min(5000, Number(opts.batch) || 1000));
      let totalBytes = 0;
      if (file !== "-") {
        try {
          totalBytes = statSync(file).size;
        } catch {
          fail(`cannot read ${file}`, opts.json);
        }
      }

      const { submit, close } = await ingestTarget(opts.workspace, opts.channel, batchSize, Boolean(opts.json));

      // Opened only now: a stream that flowed while the store opened would lose its start.
      const input: Readable = file === "-" ? process.stdin : createReadStream(file);
      const bytesRead = () => (input as ReadStream).bytesRead ?? 0;
      const bar =
        totalBytes > 0 ? progressBar("ingest [{bar}] {percentage}% | {read} read, {stored} stored | {rate}/s", { json: opts.json }) : null;
      bar?.start(totalBytes, 0, { read: 0, stored: 0, rate: 0 });
      const started = Date.now();
      const totals = { read: 0, stored: 0, duplicates: 0, collapsed: 0, filtered: 0 };
      const rejected: Array<{ line: number; external_id: string | null; reason: string }> = [];
      const inFlight: Promise<void>[] = [];
      let batch: Array<{ line: number; item: unknown }> = [];

      const flush = async (items: Array<{ line: number; item: unknown }>) => {
        const valid = items.filter((i) => !(typeof i.item === "object" && i.item !== null && "_invalid" in i.item));
        for (const i of items)
          if (!valid.includes(i))
            rejected.push({ line: i.line, external_id: null, reason: String((i.item as { _invalid: string })._invalid) });
        const outcomes: IngestOutcome[] = valid.length ? await submit(valid.map((v) => v.item)) : [];
        outcomes.forEach((o, k) => {
          if (o.status === "rejected")
            rejected.push({ line: valid[k]?.line ?? 0, external_id: o.external_id ?? null, reason: o.reason ?? "" });
          else if (o.status === "stored") totals.stored++;
          else if (o.status === "duplicate") totals.duplicates++;
          else if (o.status === "collapsed") totals.collapsed++;
          else if (o.status === "filtered") totals.filtered++;
        });
        const secs = (Date.now() - started) / 1000;
        bar?.update(bytesRead(), { read: totals.read, stored: totals.stored, rate: Math.round(totals.read / Math.max(secs, 0.001)) });
      };

      try {
        for await (const entry of readItems(input, format)) {
          totals.read++;
          batch.push(entry);
          if (batch.length >= batchSize) {
            inFlight.push(flush(batch));
            batch = [];
            // Two batches in flight keep the reader and the database both busy.
            if (inFlight.length >= 2) await inFlight.shift();
          }
        }
        if (batch.length) inFlight.push(flush(batch));
        await Promise.all(inFlight);
      } catch (err) {
        bar?.stop();
        await close();
        fail(`${file}: ${err instanceof Error ? err.message : String(err)}`, opts.json);
      }
      bar?.update(totalBytes);
      bar?.stop();
      await close();
      const seconds = (Date.now() - started) / 1000;
      const summary = { ...totals, rejected, seconds: Number(seconds.toFixed(2)) };
      if (opts.json) printJson(summary);
      else {
        console.log(
          `${totals.read} read, ${totals.stored} stored, ${totals.duplicates} duplicates, ${totals.collapsed} collapsed onto originals, ${totals.filtered} filtered by queries, ${rejected.length} rejected (${seconds.toFixed(1)} s)`,
        );
        for (const r of rejected.slice(0, 20)) console.log(`  line ${r.line}${r.external_id ? ` (${r.external_id})` : ""}: ${r.reason}`);
        if (rejected.length > 20) console.log(`  … and ${rejected.length - 20} more (use --json for all)`);
      }
    });
}
