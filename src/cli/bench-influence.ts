import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { sql } from "kysely";
import { type Actor, signUp } from "../accounts";
import { computeInfluence, listInfluence } from "../insight";
import { newId } from "../shared/ids";
import { openStore, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import { openScratchDatabase } from "../store/scratch";

// `parley bench influence`: how long one workspace's influence run takes (read the reply,
// mention and quote graph, PageRank, communities, write the figures) at N generated messages
// between P people, and the list's read time. On a scratch embedded store, then a scratch
// database on the PostgreSQL server when --pg is given. Figures are printed, never asserted.

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

/**
 * Generated in SQL: P profiles; N messages over 80 days by uniformly chosen authors, 40% replying
 * to an earlier message (skewed toward early, popular posts), 15% mentioning a handle chosen with a
 * heavy tail, a third each positive, neutral and negative.
 */
async function seed(store: Store, workspaceId: string, people: number, messages: number) {
  const conversation = newId();
  await sql`insert into conversations (workspace_id, id, network, first_message_at, last_message_at)
    values (${workspaceId}, ${conversation}, 'mastodon', now(), now())`.execute(store.db);
  await sql`insert into profiles (workspace_id, id, network, network_id, handle)
    select ${workspaceId}, gen_random_uuid(), 'mastodon', 'u' || g, 'u' || g from generate_series(1, ${people}) g`.execute(store.db);
  const chunk = 100_000;
  for (let from = 1; from <= messages; from += chunk) {
    const to = Math.min(messages, from + chunk - 1);
    await sql`insert into messages (workspace_id, id, network, external_id, conversation_id, profile_id, text, posted_at, in_reply_to, sentiment)
      select ${workspaceId}, gen_random_uuid(), 'mastodon', 'm' || s.g, ${conversation}, p.id,
        case when s.r2 < 0.15 then 'hey @u' || (1 + floor(${people} * power(random(), 3)))::int || ' have a look' else 'just a post' end,
        now() - random() * interval '80 days',
        case when s.r1 < 0.4 and s.g > 1 then 'm' || (1 + floor((s.g - 1) * power(random(), 2)))::int end,
        (array['positive', 'neutral', 'negative'])[1 + floor(random() * 3)::int]
      from (select g, random() as r1, random() as r2, 1 + floor(random() * ${people})::int as a from generate_series(${from}::int, ${to}::int) g) s
      join profiles p on p.workspace_id = ${workspaceId} and p.network = 'mastodon' and p.network_id = 'u' || s.a`.execute(store.db);
  }
  await sql`analyze`.execute(store.db);
}

async function benchOne(label: string, store: Store, people: number, messages: number) {
  const { workspaceId } = await signUp(store.db, {
    email: "bench@example.com",
    name: "Bench",
    password: "bench-bench",
    workspaceName: "Bench",
  });
  let t = performance.now();
  await seed(store, workspaceId, people, messages);
  const seeded = performance.now() - t;
  t = performance.now();
  const run = await computeInfluence(store.db, workspaceId);
  const took = performance.now() - t;
  const actor: Actor = { workspaceId, role: "owner", kind: "user", userId: null, label: "bench" };
  const reads: number[] = [];
  for (let i = 0; i < 20; i++) {
    const r = performance.now();
    await listInfluence(store.db, actor, { kind: i % 2 ? "advocates" : "all", limit: 50 });
    reads.push(performance.now() - r);
  }
  reads.sort((a, b) => a - b);
  process.stdout.write(
    `${label}: ${messages.toLocaleString("en")} messages, ${people.toLocaleString("en")} profiles (seeded in ${ms(seeded)})\n` +
      `  influence run ${ms(took)}: ${run.people.toLocaleString("en")} people, ${run.links.toLocaleString("en")} links, ` +
      `${run.interactions.toLocaleString("en")} interactions, ${run.communities.toLocaleString("en")} communities, ` +
      `PageRank ${run.iterations} iterations (${run.converged ? "converged" : "not converged"})\n` +
      `  list of 50 p50 ${ms(reads[10] ?? 0)}, max ${ms(reads[19] ?? 0)}\n`,
  );
}

export async function benchInfluence(opts: { people: number; messages: number; pg?: string }) {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-bench-influence-"));
  try {
    const embedded = await openStore({ dataDir: dir });
    await migrateToLatest(embedded.db);
    try {
      await benchOne("embedded (PGlite)", embedded, opts.people, opts.messages);
    } finally {
      await embedded.close();
    }
    if (opts.pg) {
      const server = await openScratchDatabase(opts.pg, "parley_bench");
      try {
        await benchOne("PostgreSQL", server, opts.people, opts.messages);
      } finally {
        await server.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerInfluenceBench(bench: Command) {
  bench
    .command("influence")
    .description("Time of one workspace's influence run (graph, PageRank, communities, figures written) at N generated messages")
    .option("--messages <n>", "messages to generate", "1000000")
    .option("--people <n>", "authors to generate", "100000")
    .option("--pg <url>", "also on a scratch database of this PostgreSQL server")
    .action(async (o: { messages: string; people: string; pg?: string }) => {
      await benchInfluence({ messages: Number(o.messages), people: Number(o.people), pg: o.pg });
    });
}
