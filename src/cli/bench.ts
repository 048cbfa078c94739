import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { type Actor, createApiKey, signUp } from "../accounts";
import { Ingestor, Notifier } from "../ingest";
import { benchRules, setBenchRules } from "../rules/bench";
import { buildApp } from "../server/app";
import { newId } from "../shared/ids";
import type { Store } from "../store/db";
import { importFile } from "../transfer";
import { registerIdentityBench } from "./bench-identity";
import { registerInboxBench } from "./bench-inbox";
import { registerInfluenceBench } from "./bench-influence";
import { registerPortalBench } from "./bench-portal";
import { benchReports } from "./bench-reports";
import { fmt, type PostgresOptions, percentile, postgresTarget, benchTargets as targets, withPostgresOptions } from "./bench-support";

// `parley bench`: speed figures printed, never asserted. Each run builds its own
// scratch stores (a temp PGlite dir, a temp database on the PostgreSQL server).

const FIRST = [
  "Ada",
  "Ben",
  "Chloé",
  "Dmitri",
  "Emeka",
  "Fatima",
  "Günter",
  "Hana",
  "Ines",
  "Jonas",
  "Kai",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
];
const LAST = ["Brown", "Müller", "García", "Okafor", "Kowalski", "Nguyen", "Rossi", "Silva", "Tanaka", "Dubois", "Jensen", "Novak"];
const COUNTRIES = ["DE", "FR", "US", "GB", "NL", "ES", "IT", "PL", "BR", "JP"];
const STAGES = ["subscriber", "lead", "prospect", "opportunity", "customer", "advocate", "churned"];

const ascii = (s: string | undefined) =>
  (s ?? "")
    .normalize("NFD")
    .replace(/[^a-zA-Z]/g, "")
    .toLowerCase();

async function writeContactsCsv(file: string, rows: number) {
  const out = createWriteStream(file);
  out.write("External ID,First Name,Last Name,Email,Phone,Company,Job Title,Lifecycle Stage,Tags,City,Country\n");
  for (let i = 0; i < rows; i++) {
    const f = FIRST[i % FIRST.length];
    const l = LAST[(i * 7) % LAST.length];
    const line = `c${i},${f},${l},${ascii(f)}.${ascii(l)}${i}@example.com,+49 30 ${String(1000000 + i)},,${i % 3 ? "Engineer" : "Buyer"},${STAGES[i % STAGES.length]},${i % 10 === 0 ? "vip" : "newsletter"},Berlin,${COUNTRIES[i % COUNTRIES.length]}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function ownerActor(store: Store): Promise<Actor> {
  const { userId, workspaceId } = await signUp(
    store.db,
    {
      email: `bench-${newId()}@example.com`,
      name: "Bench",
      password: "bench password",
      workspaceName: "Bench",
    },
    // the rules bench makes a workspace per run on one store: sign-up stays open for it
    { serverOpen: true },
  );
  return { workspaceId, userId, role: "owner", kind: "user", label: "bench" };
}

async function benchImport(opts: { rows: number; pg: string | false; samples: number }) {
  const scratch = mkdtempSync(resolve(tmpdir(), "parley-bench-"));
  try {
    const file = resolve(scratch, "contacts.csv");
    process.stderr.write(`Generating ${fmt(opts.rows)} contacts as CSV…\n`);
    await writeContactsCsv(file, opts.rows);
    for (const target of targets(opts.pg, scratch)) {
      const store = await target.open();
      try {
        const actor = await ownerActor(store);
        let last = 0;
        const started = performance.now();
        const summary = await importFile(store.db, actor, createReadStream(file), {
          entity: "contacts",
          format: "csv",
          idColumn: "External ID",
          onProgress: ({ rows }) => {
            if (rows - last >= 100_000) {
              last = rows;
              process.stderr.write(`  ${target.label}: ${fmt(rows)} rows…\n`);
            }
          },
        });
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `import ${target.label}: ${fmt(summary.created)} contacts in ${seconds.toFixed(1)} s = ${fmt(summary.created / seconds)} contacts/s (target ≥ 50,000/s: ${((summary.created / seconds / 50_000) * 100).toFixed(0)}%)`,
        );

        const { app } = await buildApp({ db: store.db });
        const key = await createApiKey(store.db, null, { workspaceId: actor.workspaceId, name: "bench", role: "viewer" });
        const headers = { authorization: `Bearer ${key.secret}` };
        const queries = [
          "/api/v1/contacts?lifecycle_stage=customer&sort=name&limit=50",
          "/api/v1/contacts?country=DE&sort=-created_at&limit=50",
          `/api/v1/contacts?filter=${encodeURIComponent(
            JSON.stringify({
              match: "all",
              conditions: [
                { field: "tags", op: "contains", value: "vip" },
                { field: "country", op: "eq", value: "FR" },
              ],
            }),
          )}&sort=name&limit=50`,
          "/api/v1/contacts?q=dmitri.tanaka1&limit=50",
        ];
        for (const url of queries) {
          for (let i = 0; i < 20; i++) await app.inject({ method: "GET", url, headers });
          const times: number[] = [];
          for (let i = 0; i < opts.samples; i++) {
            const t0 = performance.now();
            const res = await app.inject({ method: "GET", url, headers });
            times.push(performance.now() - t0);
            if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
          }
          times.sort((a, b) => a - b);
          const label = decodeURIComponent(url.replace("/api/v1/contacts?", "")).slice(0, 90);
          console.log(
            `  list ${target.label} [${label}]: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (target p99 ≤ 20 ms)`,
          );
        }
        await app.close();
      } finally {
        await store.drop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const NETWORKS = ["x", "mastodon", "bluesky", "reddit"] as const;
const TEXTS = [
  "@acmehelp my order #{n} still hasn't shipped, it's been a week. Refund please?",
  "Is there a way to export invoices from Acme as PDF? Asking for our accountant {n}",
  "Loving the new Acme dashboard, the dark mode is 🔥 {n}",
  "Acme should add SSO with Okta, we'd upgrade to the team plan tomorrow {n}",
  "Thinking about switching from Acme to Globex, prices went up again {n}",
  "Anyone else seeing 502 errors on Acme checkout right now? {n}",
];

export function generateMessages(count: number, offset = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const network = NETWORKS[i % NETWORKS.length] as string;
    const reply = i % 4 === 3;
    return {
      network,
      external_id: `bench-${i}`,
      url: `https://${network}.example/p/${i}`,
      author: { id: `a${i % 5000}`, handle: `user${i % 5000}`, display_name: `User ${i % 5000}`, followers: (i * 37) % 50_000 },
      text: (TEXTS[i % TEXTS.length] as string).replace("{n}", String(i)),
      created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      in_reply_to: reply ? `bench-${i - 1}` : null,
      language: "en",
    };
  });
}

async function benchIngest(opts: { messages: number; pg: string | false; ruleMessages: number }) {
  const scratch = mkdtempSync(resolve(tmpdir(), "parley-bench-"));
  const batch = 1000;
  try {
    for (const target of targets(opts.pg, scratch)) {
      // end to end: the whole pipeline through the ingest queue, two batches in flight
      const store = await target.open();
      let e2e = 0;
      try {
        const actor = await ownerActor(store);
        await setBenchRules(store.db, actor.workspaceId, "off"); // the pipeline itself; rules are measured below
        const notifier = new Notifier();
        const ingestor = new Ingestor(store.db, notifier, { maxBatch: batch, maxQueued: batch * 4 });
        const started = performance.now();
        const inFlight: Promise<unknown>[] = [];
        for (let i = 0; i < opts.messages; i += batch) {
          inFlight.push(ingestor.submit(actor.workspaceId, generateMessages(Math.min(batch, opts.messages - i), i)));
          if (inFlight.length >= 2) await inFlight.shift();
        }
        await Promise.all(inFlight);
        const seconds = (performance.now() - started) / 1000;
        e2e = opts.messages / seconds;
        console.log(
          `ingest ${target.label}: ${fmt(opts.messages)} messages end to end in ${seconds.toFixed(1)} s = ${fmt(e2e)} messages/s (target ≥ 10,000/s)`,
        );
        // automation rules: off, default routing only, default rules on (src/rules/bench.ts)
        await benchRules(store.db, {
          newWorkspace: async () => (await ownerActor(store)).workspaceId,
          generate: generateMessages,
          messages: Math.min(opts.messages, opts.ruleMessages),
          batch,
          label: target.label,
        });

        // notify latency: stored (published after commit) → received on the real SSE stream
        const { app } = await buildApp({ db: store.db, notifier });
        await app.listen({ port: 0, host: "127.0.0.1" });
        const addr = app.server.address();
        const port = typeof addr === "object" && addr ? addr.port : 0;
        const key = await createApiKey(store.db, null, { workspaceId: actor.workspaceId, name: "bench", role: "agent" });
        const publishedAt = new Map<string, number>();
        const originalPublish = notifier.publish.bind(notifier);
        notifier.publish = (events) => {
          const now = performance.now();
          for (const e of events) publishedAt.set(e.message_id, now);
          originalPublish(events);
        };
        const latencies: number[] = [];
        const controller = new AbortController();
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/stream`, {
          headers: { authorization: `Bearer ${key.secret}` },
          signal: controller.signal,
        });
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        const reading = (async () => {
          for (;;) {
            const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            for (const m of buffer.matchAll(/^id: (.+)$/gm)) {
              const at = publishedAt.get(m[1] as string);
              if (at !== undefined) latencies.push(performance.now() - at);
            }
            buffer = buffer.slice(buffer.lastIndexOf("\n\n") + 2);
          }
        })();
        for (let i = 0; i < 50; i++) {
          await fetch(`http://127.0.0.1:${port}/api/v1/messages:batch`, {
            method: "POST",
            headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
            body: JSON.stringify({ messages: generateMessages(20, opts.messages + i * 20) }),
          });
        }
        await new Promise((r) => setTimeout(r, 500));
        controller.abort();
        await reading;
        await app.close();
        latencies.sort((a, b) => a - b);
        console.log(
          `  notify ${target.label}: stored → on the SSE stream p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms over ${latencies.length} messages (target p99 ≤ 250 ms)`,
        );
      } finally {
        await store.drop();
      }

      // bare store: the same rows inserted directly, no pipeline
      const bare = await target.open();
      try {
        const actor = await ownerActor(bare);
        const started = performance.now();
        for (let i = 0; i < opts.messages; i += batch) {
          const msgs = generateMessages(Math.min(batch, opts.messages - i), i);
          await bare.db.transaction().execute(async (tx) => {
            const rows = msgs.map((m) => ({
              workspace_id: actor.workspaceId,
              id: newId(),
              network: m.network,
              external_id: m.external_id,
              url: m.url,
              conversation_id: newId(),
              author_handle: m.author.handle,
              author_name: m.author.display_name,
              text: m.text,
              posted_at: new Date(m.created_at),
              in_reply_to: m.in_reply_to,
              language: m.language,
            }));
            for (let k = 0; k < rows.length; k += 500)
              await tx
                .insertInto("messages")
                .values(rows.slice(k, k + 500))
                .execute();
          });
        }
        const seconds = (performance.now() - started) / 1000;
        const rate = opts.messages / seconds;
        console.log(`  bare insert ${target.label}: ${fmt(rate)} messages/s; pipeline / bare = ${(e2e / rate).toFixed(2)} (target ≥ 0.7)`);
      } finally {
        await bare.drop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function benchCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "bench") ??
    program.command("bench").description("Measure Parley's speed (prints figures; asserts nothing)")
  );
}

export function registerBenchCommands(program: Command) {
  const bench = benchCommand(program);
  registerIdentityBench(bench);
  registerPortalBench(bench);
  registerInboxBench(bench);
  registerInfluenceBench(bench);
  bench
    .command("startup")
    .description(
      "Cold `parley --help` and `parley classify` beside `node -e 0`; `parley start` to its first page, new and existing data dir",
    )
    .option("--runs <n>", "runs of each command", "5")
    .action(async (o: { runs: string }) => (await import("./bench-startup")).benchStartup({ runs: Number(o.runs) }));
  withPostgresOptions(
    bench
      .command("import")
      .description("Import generated contacts from CSV on the embedded store and PostgreSQL; list API latency at that size")
      .option("--rows <n>", "contacts to generate", "1000000")
      .option("--samples <n>", "list requests per query shape", "200"),
  ).action(async (o: { rows: string; samples: string } & PostgresOptions) => {
    await benchImport({ rows: Number(o.rows), samples: Number(o.samples), pg: await postgresTarget(o) });
  });
  withPostgresOptions(
    bench
      .command("ingest")
      .description("Messages/s through the whole pipeline vs the bare store insert rate; notify latency")
      .option("--messages <n>", "messages to generate", "100000")
      .option("--rule-messages <n>", "messages per automation-rules run (rules off / routing / default rules)", "5000"),
  ).action(async (o: { messages: string; ruleMessages: string } & PostgresOptions) => {
    await benchIngest({ messages: Number(o.messages), ruleMessages: Number(o.ruleMessages), pg: await postgresTarget(o) });
  });
  withPostgresOptions(
    bench
      .command("reports")
      .description("Latency of every report (p50/p99) on generated messages and cases spread over a year, on both stores")
      .option("--messages <n>", "inbound messages to generate", "1000000")
      .option("--cases <n>", "cases to generate", "100000")
      .option("--samples <n>", "runs per report and range", "20"),
  ).action(async (o: { messages: string; cases: string; samples: string } & PostgresOptions) => {
    await benchReports({ messages: Number(o.messages), cases: Number(o.cases), samples: Number(o.samples), pg: await postgresTarget(o) });
  });
}
