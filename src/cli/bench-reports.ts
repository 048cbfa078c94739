import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { sql } from "kysely";
import { type Actor, signUp } from "../accounts";
import type { ReportName, ReportQuery } from "../contracts";
import { runReport } from "../reports";
import { newId } from "../shared/ids";
import { type Db, openStore, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import { openScratchDatabase } from "../store/scratch";
import { ensureDefaultPipeline } from "../work";

// `parley bench reports`: every report's latency (p50, p99, max over --samples runs) on a workspace of
// generated messages, conversations, replies and cases spread over a year, on the embedded store and
// on PostgreSQL (ideas and votes, contacts and deals, replies sent by a member for the product, sales
// and engagement reports). The data is generated in SQL (generate_series) so seeding a million rows is quick;
// the figures are printed, never asserted. Target (issue #16): p99 ≤ 300 ms at 1M messages / 100k cases.

export type ReportsBenchOptions = { messages: number; cases: number; samples: number; pg: string | false };

const YEAR_START = "2026-01-01T00:00:00Z";
const SPAN_SECONDS = 365 * 86_400;

/** A time in the year from an SQL expression of the row number. */
const at = (expr: string) => sql.raw(`(timestamptz '${YEAR_START}' + ((${expr}) % ${SPAN_SECONDS}) * interval '1 second')`);

async function seed(db: Db, o: ReportsBenchOptions): Promise<{ actor: Actor; segmentId: string }> {
  const { workspaceId } = await signUp(
    db,
    { email: `bench-${newId()}@example.com`, name: "Bench", password: "bench password", workspaceName: "Reports bench" },
    { serverOpen: true },
  );
  const ws = workspaceId;
  const conversations = Math.max(1, Math.floor(o.messages / 4));
  const profiles = Math.max(1, Math.floor(o.messages / 20));
  const team = await db.selectFrom("teams").select("id").where("workspace_id", "=", ws).executeTakeFirst();
  for (const [i, name] of ["Acme", "Widget", "Globex", "Initech", "Umbrella"].entries()) {
    await db
      .insertInto("dictionary_terms")
      .values({ workspace_id: ws, id: newId(), kind: i % 2 === 0 ? "brand" : "product", name, aliases: [] })
      .execute();
  }
  const channels = [newId(), newId(), newId()];
  for (const [i, id] of channels.entries()) {
    await db
      .insertInto("channels")
      .values({ workspace_id: ws, id, name: `Channel ${i + 1}`, network: "webhook", config: "{}", state: "{}" })
      .execute();
  }
  await sql`insert into profiles (workspace_id, id, network, network_id, handle, followers, first_seen_at, last_seen_at)
    select ${ws}, md5(${ws}::text || 'p' || g)::uuid, 'x', 'p' || g, 'user' || g, (g * 7919) % 100000, now(), now()
    from generate_series(1, ${profiles}) g`.execute(db);
  await sql`insert into conversations (workspace_id, id, channel_id, network, status, team_id, first_message_at, last_message_at)
    select ${ws}, md5(${ws}::text || 'c' || g)::uuid, (${channels}::uuid[])[g % 3 + 1], 'x',
      (array['new','open','pending','closed'])[g % 4 + 1], case when g % 2 = 0 then ${team?.id ?? null}::uuid end,
      ${at("g::bigint * 104729")}, ${at("g::bigint * 104729")}
    from generate_series(1, ${conversations}) g`.execute(db);
  await sql`insert into messages (workspace_id, id, channel_id, network, external_id, conversation_id, profile_id, text, posted_at,
      direction, sentiment, sentiment_score, labels)
    select ${ws}, gen_random_uuid(), (${channels}::uuid[])[(g % ${conversations}) % 3 + 1], 'x', 'm' || g,
      md5(${ws}::text || 'c' || (g % ${conversations} + 1))::uuid, md5(${ws}::text || 'p' || (g % ${profiles} + 1))::uuid,
      (array['Acme is down again', 'I love the Widget', 'Globex or Acme?', 'Where is my order', 'Initech support rocks'])[g % 5 + 1],
      ${at(`(g % ${conversations} + 1)::bigint * 104729 + (g / ${conversations}) * 600`)},
      'inbound', (array['negative','neutral','positive'])[g % 3 + 1], ((g % 21) - 10) / 10.0,
      case g % 4 when 0 then array['complaint'] when 1 then array['question'] when 2 then array['praise'] else array['complaint','churn_risk'] end
    from generate_series(1, ${o.messages}) g`.execute(db);
  // A reply in every other conversation, minutes to hours after its first message.
  await sql`insert into messages (workspace_id, id, channel_id, network, external_id, conversation_id, text, posted_at, direction)
    select ${ws}, gen_random_uuid(), c.channel_id, 'x', 'r' || c.id, c.id, 'Thanks, looking into it',
      c.first_message_at + ((abs(hashtext(c.id::text)) % 480) + 5) * interval '1 minute', 'outbound'
    from conversations c where c.workspace_id = ${ws} and abs(hashtext(c.id::text)) % 2 = 0`.execute(db);
  await sql`insert into cases (workspace_id, id, number, subject, status, priority, team_id, created_at, first_responded_at,
      resolved_at, first_response_due_at, resolution_due_at, satisfaction_rating)
    select ${ws}, gen_random_uuid(), 1000 + g, 'Case ' || g,
      case when g % 5 = 0 then 'open' else 'solved' end, (array['low','normal','high','urgent'])[g % 4 + 1],
      case when g % 2 = 0 then ${team?.id ?? null}::uuid end, t, t + (g % 300) * interval '1 minute',
      case when g % 5 <> 0 then t + (g % 3000) * interval '1 minute' end,
      t + interval '4 hours', t + interval '2 days', case when g % 3 = 0 then g % 5 + 1 end
    from (select g, ${at("g::bigint * 7919")} as t from generate_series(1, ${o.cases}) g) s`.execute(db);
  await sql`insert into case_conversations (workspace_id, case_id, conversation_id)
    select k.workspace_id, k.id, md5(${ws}::text || 'c' || (k.number % ${conversations} + 1))::uuid
    from cases k where k.workspace_id = ${ws} and k.number % 2 = 0`.execute(db);
  await seedOutcomes(db, ws, o, profiles);
  // A saved segment of a third of the contacts (tagged vip), for the segment filter's queries.
  await sql`update contacts set tags = array['vip'] where workspace_id = ${ws} and substr(name, 9)::int % 3 = 0`.execute(db);
  const segmentId = newId();
  await db
    .insertInto("segments")
    .values({
      workspace_id: ws,
      id: segmentId,
      name: "VIPs",
      entity: "contact",
      filter: JSON.stringify({ match: "all", conditions: [{ field: "tags", op: "contains", value: "vip" }] }),
      created_by: null,
    })
    .execute();
  await sql`analyze`.execute(db);
  return { actor: { workspaceId: ws, role: "owner", kind: "user", userId: null, label: "bench" }, segmentId };
}

/**
 * What the product, sales and engagement reports read: replies sent by a member, a contact for every
 * tenth profile, a deal from every twentieth message (a fifth of them won), and an idea per thousand
 * messages with a vote from every tenth message (every third vote on the portal or by staff).
 */
async function seedOutcomes(db: Db, ws: string, o: ReportsBenchOptions, profiles: number) {
  const member = await db.selectFrom("memberships").select("user_id").where("workspace_id", "=", ws).executeTakeFirst();
  await sql`update messages set sent_by = ${member?.user_id ?? null}::uuid, delivery_status = 'sent'
    where workspace_id = ${ws} and direction = 'outbound'`.execute(db);
  await sql`insert into contacts (workspace_id, id, name, lifecycle_stage, search, custom, created_at, updated_at)
    select ${ws}, md5(${ws}::text || 'k' || g)::uuid, 'Contact ' || g, 'lead', 'contact ' || g, '{}',
      ${at("g::bigint * 15485863")}, ${at("g::bigint * 15485863")}
    from generate_series(1, ${Math.max(1, Math.floor(profiles / 10))}) g`.execute(db);
  await sql`update profiles set contact_id = md5(${ws}::text || 'k' || (substr(network_id, 2)::int / 10))::uuid
    where workspace_id = ${ws} and substr(network_id, 2)::int % 10 = 0`.execute(db);
  await ensureDefaultPipeline(db, ws);
  const stage = await db.selectFrom("pipeline_stages").select(["pipeline_id", "id"]).where("workspace_id", "=", ws).executeTakeFirst();
  if (stage) {
    await sql`insert into deals (workspace_id, id, title, value, currency, pipeline_id, stage_id, status, message_id, conversation_id,
        contact_id, created_at, closed_at)
      select m.workspace_id, gen_random_uuid(), 'Deal', (abs(hashtext(m.id::text)) % 5000) + 100, 'EUR', ${stage.pipeline_id}::uuid,
        ${stage.id}::uuid, case when r % 5 = 0 then 'won' else 'open' end, m.id, m.conversation_id, p.contact_id, m.posted_at,
        case when r % 5 = 0 then m.posted_at + (r % 30) * interval '1 day' end
      from (select m.*, row_number() over (order by m.id) as r from messages m
        where m.workspace_id = ${ws} and m.direction = 'inbound' and m.external_id ~ '^m[0-9]+$'
          and substr(m.external_id, 2)::int % 20 = 0) as m
      left join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id`.execute(db);
  }
  const ideas = Math.max(1, Math.floor(o.messages / 1000));
  await sql`insert into ideas (workspace_id, id, title, status, created_at, updated_at)
    select ${ws}, md5(${ws}::text || 'i' || g)::uuid, 'Idea ' || g,
      (array['new','under_review','planned','in_progress','done','declined'])[g % 6 + 1], ${at("g::bigint * 7919")}, now()
    from generate_series(1, ${ideas}) g`.execute(db);
  await sql`insert into idea_votes (workspace_id, id, idea_id, profile_id, message_id, created_by, created_at)
    select m.workspace_id, gen_random_uuid(), md5(${ws}::text || 'i' || (g % ${ideas} + 1))::uuid, m.profile_id,
      case when g % 3 = 0 then m.id end, case g % 3 when 0 then 'rule:bench' when 1 then 'community' else 'user:bench' end, m.posted_at
    from (select m.*, substr(m.external_id, 2)::int as g from messages m
      where m.workspace_id = ${ws} and m.direction = 'inbound' and m.external_id ~ '^m[0-9]+$'
        and substr(m.external_id, 2)::int % 10 = 0) as m
    on conflict do nothing`.execute(db);
  await sql`update ideas i set vote_count = v.n
    from (select idea_id, count(*)::int as n from idea_votes where workspace_id = ${ws} group by idea_id) as v
    where i.workspace_id = ${ws} and i.id = v.idea_id`.execute(db);
}

/** Stands for the seeded segment's id in QUERIES. */
const SEGMENT = "segment";

const QUERIES: Array<{ name: ReportName; label: string; query: Partial<ReportQuery> }> = [
  { name: "listening", label: "listening, 30 days by day", query: { from: "2026-06-01", to: "2026-06-30" } },
  { name: "listening", label: "listening, the year by week", query: { from: "2026-01-01", to: "2026-12-31", bucket: "week" } },
  { name: "service", label: "service, 30 days", query: { from: "2026-06-01", to: "2026-06-30" } },
  { name: "service", label: "service, the year", query: { from: "2026-01-01", to: "2026-12-31" } },
  { name: "product", label: "product, 30 days", query: { from: "2026-06-01", to: "2026-06-30" } },
  { name: "product", label: "product, the year by week", query: { from: "2026-01-01", to: "2026-12-31", bucket: "week" } },
  { name: "sales", label: "sales, 30 days", query: { from: "2026-06-01", to: "2026-06-30" } },
  { name: "sales", label: "sales, the year by week", query: { from: "2026-01-01", to: "2026-12-31", bucket: "week" } },
  { name: "engagement", label: "engagement, 30 days", query: { from: "2026-06-01", to: "2026-06-30" } },
  { name: "engagement", label: "engagement, the year", query: { from: "2026-01-01", to: "2026-12-31", bucket: "week" } },
  // The same 30 days narrowed to a saved segment (a third of the contacts; a tenth of the profiles have one).
  ...(["listening", "service", "product", "sales", "engagement"] as const).map((name) => ({
    name,
    label: `${name}, 30 days, a segment`,
    query: { from: "2026-06-01", to: "2026-06-30", segment: SEGMENT },
  })),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

async function measure(store: Store, label: string, o: ReportsBenchOptions) {
  const t0 = performance.now();
  const { actor, segmentId } = await seed(store.db, o);
  console.log(
    `${label}: seeded ${o.messages.toLocaleString("en")} messages and ${o.cases.toLocaleString("en")} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  for (const q of QUERIES) {
    const times: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      const start = performance.now();
      const query = q.query.segment === SEGMENT ? { ...q.query, segment: segmentId } : q.query;
      await runReport(store.db, actor, q.name, { bucket: "day", format: "json", ...query });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 0.99);
    console.log(
      `  ${q.label.padEnd(34)} p50 ${percentile(times, 0.5).toFixed(0).padStart(6)} ms  p99 ${p99.toFixed(0).padStart(6)} ms  max ${(times.at(-1) ?? 0).toFixed(0).padStart(6)} ms  (target p99 ≤ 300 ms: ${p99 <= 300 ? "met" : "missed"})`,
    );
  }
}

export async function benchReports(o: ReportsBenchOptions) {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-bench-reports-"));
  try {
    const store = await openStore({ dataDir: resolve(dir, "data") });
    try {
      await migrateToLatest(store.db);
      await measure(store, "embedded store (PGlite)", o);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (o.pg) {
    const scratch = await openScratchDatabase(o.pg, "parley_bench_reports");
    try {
      await measure(scratch, "PostgreSQL", o);
    } finally {
      await scratch.drop();
    }
  }
}
