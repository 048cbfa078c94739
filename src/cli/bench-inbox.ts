import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { type RawBuilder, sql } from "kysely";
import { createApiKey, signUp } from "../accounts";
import { deliverOutbox } from "../rules";
import { buildApp } from "../server/app";
import { newId } from "../shared/ids";
import type { Db } from "../store/db";
import { benchTargets, fmt, type PostgresOptions, percentile, postgresTarget, withPostgresOptions } from "./bench-support";

// `parley bench inbox`: the team inbox under load, over real HTTP on both stores.
//  - the conversation list API (filters, sort by priority, search) and the contacts list API with
//    --connections clients at once: requests/s and p50/p99 latency, at --messages messages;
//  - replies: created through the API by the same clients, then delivered by the outbox to a local
//    receiver (a webhook channel's reply_url): replies/s for each step.
// Printed, never asserted. Targets (issues #14, #15): list p99 ≤ 100 ms and ≥ 500 req/s embedded,
// ≥ 1,500 req/s and p99 ≤ 50 ms on PostgreSQL.

export type InboxBenchOptions = { messages: number; connections: number; requests: number; replies: number; pg: string | false };

const YEAR_START = "2026-01-01T00:00:00Z";
const SPAN_SECONDS = 365 * 86_400;

/** A v4-shaped UUID made from the workspace, a tag and a number (the API checks ids are UUIDs). */
const uid = (ws: string, tag: string, n: RawBuilder<unknown>) =>
  sql`overlay(overlay(md5(${ws}::text || ${tag} || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

export async function seedInbox(db: Db, messages: number) {
  const { workspaceId: ws } = await signUp(
    db,
    { email: `bench-${newId()}@example.com`, name: "Bench", password: "bench password", workspaceName: "Inbox bench" },
    { serverOpen: true },
  );
  const { secret } = await createApiKey(db, null, { workspaceId: ws, name: "bench", role: "admin" });
  const channel = newId();
  await db
    .insertInto("channels")
    .values({ workspace_id: ws, id: channel, name: "Helpdesk", network: "webhook", config: "{}", state: "{}" })
    .execute();
  const conversations = Math.max(1, Math.floor(messages / 4));
  const profiles = Math.max(1, Math.floor(messages / 20));
  const at = (expr: string) => sql.raw(`(timestamptz '${YEAR_START}' + ((${expr}) % ${SPAN_SECONDS}) * interval '1 second')`);
  await sql`insert into contacts (workspace_id, id, name, lifecycle_stage, search, custom, created_at, updated_at)
    select ${ws}, ${uid(ws, "k", sql.raw(`g`))}, 'Contact ' || g, (array['lead','customer','subscriber'])[g % 3 + 1],
      'contact ' || g, '{}', ${at("g::bigint * 15485863")}, ${at("g::bigint * 15485863")}
    from generate_series(1, ${profiles}) g`.execute(db);
  await sql`insert into profiles (workspace_id, id, network, network_id, handle, followers, contact_id, first_seen_at, last_seen_at)
    select ${ws}, ${uid(ws, "p", sql.raw(`g`))}, 'webhook', 'p' || g, 'user' || g, (g * 7919) % 100000,
      ${uid(ws, "k", sql.raw(`g`))}, now(), now()
    from generate_series(1, ${profiles}) g`.execute(db);
  await sql`insert into conversations (workspace_id, id, channel_id, network, status, priority, message_count,
      first_message_at, last_message_at, last_inbound_at)
    select ${ws}, ${uid(ws, "c", sql.raw(`g`))}, ${channel}::uuid, 'webhook',
      (array['new','open','pending','closed'])[g % 4 + 1], (g * 37) % 100, 4,
      ${at("g::bigint * 104729")}, ${at("g::bigint * 104729")} + interval '30 minutes', ${at("g::bigint * 104729")} + interval '30 minutes'
    from generate_series(1, ${conversations}) g`.execute(db);
  await sql`insert into messages (workspace_id, id, channel_id, network, external_id, conversation_id, profile_id, author_handle,
      text, posted_at, direction, sentiment, sentiment_score, labels)
    select ${ws}, gen_random_uuid(), ${channel}::uuid, 'webhook', 'm' || g,
      ${uid(ws, "c", sql.raw(`(g % ${conversations} + 1)`))}, ${uid(ws, "p", sql.raw(`(g % ${profiles} + 1)`))},
      'user' || (g % ${profiles} + 1),
      (array['My order never arrived and I want a refund', 'I love the new grinder', 'How do I reset my password?',
        'The app crashes when I upload photos', 'Can I get a discount for a team of ten?'])[g % 5 + 1],
      ${at(`(g % ${conversations} + 1)::bigint * 104729`)} + (g / ${conversations}) * interval '10 minutes',
      'inbound', (array['negative','positive','neutral','negative','neutral'])[g % 5 + 1], ((g % 21) - 10) / 10.0,
      array[(array['complaint','praise','question','complaint','buying_signal'])[g % 5 + 1]]
    from generate_series(1, ${messages}) g`.execute(db);
  await sql`analyze`.execute(db);
  return { ws, key: secret, conversations };
}

type Load = { rps: number; p50: number; p99: number; errors: number; firstError: string | null };

/** `total` requests from `connections` clients at once; each client waits for its answer before the next. */
async function load(base: string, key: string, paths: string[], connections: number, total: number, method = "GET"): Promise<Load> {
  const times: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < total; i = next++) {
      const path = paths[i % paths.length] as string;
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
        ...(method === "POST" ? { body: JSON.stringify({ text: `Thanks for writing, we are on it (#${i})` }) } : {}),
      });
      const text = await res.text();
      times.push(performance.now() - t0);
      if (res.status >= 400) {
        errors++;
        firstError ??= `${res.status} ${text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { rps: total / seconds, p50: percentile(times, 50), p99: percentile(times, 99), errors, firstError };
}

const line = (label: string, r: Load, target: { p99: number; rps: number }) =>
  `  ${label.padEnd(34)} ${fmt(r.rps).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms` +
  `${r.errors ? `  ${r.errors} errors, first: ${r.firstError}` : ""}  (target ≥ ${fmt(target.rps)} req/s, p99 ≤ ${target.p99} ms: ${r.rps >= target.rps && r.p99 <= target.p99 ? "met" : "missed"})\n`;

export async function benchInbox(o: InboxBenchOptions) {
  const scratch = mkdtempSync(resolve(tmpdir(), "parley-bench-inbox-"));
  // The replies' receiver listens on this machine: let the outbox reach it (as an admin would allow an intranet host).
  const savedAllow = process.env.PARLEY_ALLOW_PRIVATE_URLS;
  process.env.PARLEY_ALLOW_PRIVATE_URLS = "127.0.0.1";
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `r-${received}` }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const replyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/replies`;
  try {
    for (const target of benchTargets(o.pg, scratch)) {
      const store = await target.open();
      try {
        const started = performance.now();
        const { ws, key, conversations } = await seedInbox(store.db, o.messages);
        process.stdout.write(
          `inbox bench, ${target.label}: ${fmt(o.messages)} messages in ${fmt(conversations)} conversations seeded in ${((performance.now() - started) / 1000).toFixed(1)} s; ${o.connections} connections\n`,
        );
        const { app } = await buildApp({ db: store.db });
        await app.listen({ port: 0, host: "127.0.0.1" });
        const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
        const goal = store.kind === "postgres" ? { p99: 50, rps: 1500 } : { p99: 100, rps: 500 };
        try {
          const shapes: [string, string[]][] = [
            ["inbox, newest first", ["/conversations?limit=25"]],
            ["inbox, open, by priority", ["/conversations?status=open&sort=priority&limit=25"]],
            ["inbox, complaints", ["/conversations?label=complaint&limit=25"]],
            ["inbox, longest waiting", ["/conversations?sort=waiting&limit=25"]],
            ['inbox, search "refund"', ["/conversations?q=refund&limit=25"]],
            ["contacts list", ["/contacts?limit=25"]],
          ];
          for (const [label, paths] of shapes) {
            await load(base, key, paths, 2, 20); // warm the plan and the connection pool
            process.stdout.write(line(label, await load(base, key, paths, o.connections, o.requests), goal));
          }

          // Replies: the channel answers on a local receiver; one reply per conversation.
          await store.db
            .updateTable("channels")
            .set({ config: JSON.stringify({ reply_url: replyUrl }) })
            .where("workspace_id", "=", ws)
            .execute();
          const ids = await store.db
            .selectFrom("conversations")
            .select("id")
            .where("workspace_id", "=", ws)
            .orderBy("id")
            .limit(o.replies)
            .execute();
          const created = await load(
            base,
            key,
            ids.map((c) => `/conversations/${c.id}/replies`),
            o.connections,
            ids.length,
            "POST",
          );
          process.stdout.write(line("replies created (API)", created, { p99: goal.p99 * 2, rps: 100 }));
          const before = received;
          const t0 = performance.now();
          while ((await deliverOutbox(store.db, { retryBaseSeconds: 1 }, 200)) > 0) {
            // until the outbox has nothing due
          }
          const seconds = (performance.now() - t0) / 1000;
          const delivered = received - before;
          process.stdout.write(
            `  ${"replies delivered (outbox → receiver)".padEnd(34)} ${fmt(delivered / seconds).padStart(6)} replies/s (${fmt(delivered)} of ${fmt(ids.length)} in ${seconds.toFixed(1)} s)\n`,
          );
        } finally {
          await app.close();
        }
      } finally {
        await store.drop();
      }
    }
  } finally {
    if (savedAllow === undefined) delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    else process.env.PARLEY_ALLOW_PRIVATE_URLS = savedAllow;
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function registerInboxBench(bench: Command) {
  withPostgresOptions(
    bench
      .command("inbox")
      .description("Inbox and contacts list API under concurrent load (req/s, p50/p99) and replies/s through the outbox, on both stores")
      .option("--messages <n>", "messages to generate", "1000000")
      .option("--connections <n>", "clients at once", "20")
      .option("--requests <n>", "requests per list shape", "2000")
      .option("--replies <n>", "replies to create and deliver", "1000"),
  ).action(async (o: { messages: string; connections: string; requests: string; replies: string } & PostgresOptions) => {
    await benchInbox({
      messages: Number(o.messages),
      connections: Number(o.connections),
      requests: Number(o.requests),
      replies: Number(o.replies),
      pg: await postgresTarget(o),
    });
  });
}
