import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { sql } from "kysely";
import { signUp } from "../accounts";
import { buildApp } from "../server/app";
import { newId } from "../shared/ids";
import { openStore } from "../store/db";
import { migrateToLatest } from "../store/migrate";

// `parley bench portal`: the community portal's pages on the embedded store with --posts
// generated posts (a fifth questions, the rest answers and comments): time to first byte
// (p50/p99 over --samples requests, served in-process, so the figure is the server's work)
// and page weight (HTML, and the one script). Printed, never asserted.
// Targets (issue #17): p99 ≤ 100 ms at 100k posts; first page ≤ 150 kB of JS.

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function benchPortal(o: { posts: number; samples: number }) {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-bench-portal-"));
  const store = await openStore({ dataDir: resolve(dir, "data") });
  try {
    await migrateToLatest(store.db);
    const { app } = await buildApp({ db: store.db, openSignup: true });
    await app.ready();
    const { workspaceId: ws } = await signUp(
      store.db,
      { email: `bench-${newId()}@example.com`, name: "Bench", password: "bench password", workspaceName: "Portal bench" },
      { serverOpen: true },
    );
    const portal = await store.db.selectFrom("community_portals").select("slug").where("workspace_id", "=", ws).executeTakeFirstOrThrow();
    const members = Math.max(10, Math.floor(o.posts / 100));
    const questions = Math.max(1, Math.floor(o.posts / 5));
    const started = performance.now();
    await sql`insert into community_members (workspace_id, id, email, display_name, trust_level)
      select ${ws}, md5(${ws}::text || 'm' || g)::uuid, 'member' || g || '@example.com', 'Member ' || g, g % 3
      from generate_series(1, ${members}) g`.execute(store.db);
    await sql`insert into community_posts (workspace_id, id, kind, member_id, title, body, answer_count, score, created_at)
      select ${ws}, md5(${ws}::text || 'q' || g)::uuid, 'question', md5(${ws}::text || 'm' || (g % ${members} + 1))::uuid,
        (array['How do I descale the grinder', 'Where is my order', 'Which beans for espresso', 'Grinder makes a noise', 'Refund for a broken lid'])[g % 5 + 1] || ' #' || g,
        'Some **details** about question ' || g || ' with a [link](https://example.com/' || g || ')', 3, g % 7,
        now() - (g || ' minutes')::interval
      from generate_series(1, ${questions}) g`.execute(store.db);
    await sql`insert into community_posts (workspace_id, id, kind, member_id, question_id, parent_id, body, score, created_at)
      select ${ws}, gen_random_uuid(), case when g % 4 = 0 then 'comment' else 'answer' end,
        md5(${ws}::text || 'm' || (g % ${members} + 1))::uuid, md5(${ws}::text || 'q' || (g % ${questions} + 1))::uuid,
        md5(${ws}::text || 'q' || (g % ${questions} + 1))::uuid, 'An answer, number ' || g || ', with *some* Markdown.', g % 5,
        now() - (g || ' seconds')::interval
      from generate_series(1, ${o.posts - questions}) g`.execute(store.db);
    await sql`analyze`.execute(store.db);
    const seeded = (performance.now() - started) / 1000;
    const firstQuestion = await store.db
      .selectFrom("community_posts")
      .select("id")
      .where("workspace_id", "=", ws)
      .where("kind", "=", "question")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    const base = `/c/${portal.slug}`;
    const js = await app.inject({ method: "GET", url: "/c/assets/portal.js" });
    process.stdout.write(
      `portal bench: ${o.posts.toLocaleString("en")} posts (${questions.toLocaleString("en")} questions, ${members.toLocaleString("en")} members) seeded in ${seeded.toFixed(1)} s, embedded store\n`,
    );
    const pages = [
      { label: "home", url: base },
      { label: "questions", url: `${base}/questions` },
      { label: "question thread", url: `${base}/q/${firstQuestion.id}` },
      { label: "search", url: `${base}/search?q=grinder` },
      { label: "ideas", url: `${base}/ideas` },
      { label: "roadmap", url: `${base}/roadmap` },
    ];
    for (const p of pages) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < o.samples; i++) {
        const t0 = performance.now();
        const res = await app.inject({ method: "GET", url: p.url });
        times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${p.url} answered ${res.statusCode}`);
        bytes = res.rawPayload.length;
      }
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 0.99);
      process.stdout.write(
        `  ${p.label.padEnd(16)} TTFB p50 ${percentile(times, 0.5).toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  HTML ${(bytes / 1024).toFixed(1).padStart(5)} kB  (target p99 ≤ 100 ms: ${p99 <= 100 ? "met" : "missed"})\n`,
      );
    }
    const jsKb = js.rawPayload.length / 1024;
    process.stdout.write(`  script (every page)  ${jsKb.toFixed(1)} kB of JS (target ≤ 150 kB: ${jsKb <= 150 ? "met" : "missed"})\n`);
    await app.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerPortalBench(bench: Command) {
  bench
    .command("portal")
    .description("Community portal pages: time to first byte (p50/p99) and page weight at --posts posts (embedded store)")
    .option("--posts <n>", "community posts to generate", "100000")
    .option("--samples <n>", "requests per page", "200")
    .action(async (o: { posts: string; samples: string }) => {
      await benchPortal({ posts: Number(o.posts), samples: Number(o.samples) });
    });
}
