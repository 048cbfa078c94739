import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { sql } from "kysely";
import { signUp } from "../accounts";
import { buildContactRow } from "../crm/contacts";
import { scanDuplicates } from "../identity/duplicates";
import { resolveStats } from "../identity/resolve";
import { ingestBatch } from "../ingest";
import { openStore, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import type { NewContactRow } from "../store/schema";
import { mulberry32 } from "../understand";

// `parley bench identity`: how long finding duplicates among N generated
// contacts takes on the embedded store (load from the database + match + save
// the queue), how well it finds the planted ones, and how fast profiles are
// resolved inside the ingest pipeline. Figures are printed, never asserted.

const FIRST = [
  "james",
  "mary",
  "robert",
  "patricia",
  "john",
  "jennifer",
  "michael",
  "linda",
  "david",
  "elizabeth",
  "william",
  "barbara",
  "richard",
  "susan",
  "joseph",
  "jessica",
  "thomas",
  "sarah",
  "charles",
  "karen",
  "chloé",
  "dmitri",
  "emeka",
  "fatima",
  "günter",
  "hana",
  "ines",
  "jonas",
  "kai",
  "lena",
  "mateo",
  "nora",
  "omar",
  "priya",
  "aiko",
  "bongani",
  "carmen",
  "dario",
  "elif",
  "farid",
];
const LAST = [
  "smith",
  "johnson",
  "williams",
  "brown",
  "jones",
  "garcia",
  "miller",
  "davis",
  "rodriguez",
  "martinez",
  "hernandez",
  "lopez",
  "gonzalez",
  "wilson",
  "anderson",
  "thomas",
  "taylor",
  "moore",
  "jackson",
  "martin",
  "müller",
  "okafor",
  "kowalski",
  "nguyen",
  "rossi",
  "silva",
  "tanaka",
  "dubois",
  "jensen",
  "novak",
  "schmidt",
  "yilmaz",
  "ivanova",
  "kim",
  "park",
  "chen",
];
const STREETS = [
  "high street",
  "station road",
  "main street",
  "park avenue",
  "church lane",
  "mill road",
  "king street",
  "queen street",
  "victoria road",
  "green lane",
  "elm street",
  "oak avenue",
  "maple drive",
  "cedar court",
  "river road",
  "hill crescent",
];
const CITIES = ["springfield", "riverside", "franklin", "greenville", "bristol", "clinton", "fairview", "salem", "madison", "georgetown"];

function typo(s: string, r: () => number): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  const k = r();
  if (k < 0.33) return s.slice(0, i) + s.slice(i + 1); // deletion
  if (k < 0.66) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transposition
  return s.slice(0, i) + "aeiourstln"[Math.floor(r() * 10)] + s.slice(i + 1); // substitution
}

type Person = { first: string; last: string; email: string; phone: string; street: string; city: string; postal: string; dob: string };

/** `rows` contacts, of which `dupRate` are altered copies of an earlier one (planted duplicates). */
export function* generatePeople(rows: number, dupRate = 0.05, seed = 42) {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const originals: Array<{ key: string; person: Person }> = [];
  for (let i = 0; i < rows; i++) {
    if (originals.length > 10 && r() < dupRate) {
      const src = originals[Math.floor(r() * originals.length)] as { key: string; person: Person };
      const p = { ...src.person };
      // 2 of: typo in a name, nickname-free initial, dropped email, other phone format, moved street number
      const edits = [
        () => (p.first = typo(p.first, r)),
        () => (p.last = typo(p.last, r)),
        () => (p.email = ""),
        () => (p.phone = p.phone.replace(/^\+1 /, "(").replace(/ /, ") ")),
        () => (p.street = typo(p.street, r)),
        () => (p.dob = ""),
      ];
      for (let k = 0; k < 2; k++) (pick(edits) as () => void)();
      yield { key: `p${i}`, of: src.key, person: p };
    } else {
      const first = pick(FIRST);
      const last = pick(LAST);
      const y = 1940 + Math.floor(r() * 65);
      const m = 1 + Math.floor(r() * 12);
      const d = 1 + Math.floor(r() * 28);
      const person: Person = {
        first,
        last,
        email: `${first.normalize("NFD").replace(/[^a-z]/g, "")}.${last.normalize("NFD").replace(/[^a-z]/g, "")}${i}@example.com`,
        phone: `+1 ${200 + Math.floor(r() * 700)} 555 ${String(Math.floor(r() * 10_000)).padStart(4, "0")}`,
        street: `${1 + Math.floor(r() * 300)} ${pick(STREETS)}`,
        city: pick(CITIES),
        postal: String(10_000 + Math.floor(r() * 89_999)),
        dob: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
      };
      originals.push({ key: `p${i}`, person });
      yield { key: `p${i}`, of: null as string | null, person };
    }
  }
}

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

async function scratchStore(): Promise<Store & { dir: string }> {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-bench-identity-"));
  const store = await openStore({ dataDir: dir });
  await migrateToLatest(store.db);
  return { ...store, dir };
}

async function loadContacts(store: Store, workspaceId: string, rows: number) {
  // A scratch store: secondary indexes would only slow the load; the scan reads in primary-key order.
  const indexes = await sql<{ name: string }>`
    select indexname as name from pg_indexes where tablename = 'contacts' and indexname not like '%pkey'`.execute(store.db);
  for (const i of indexes.rows) await sql`drop index if exists ${sql.id(i.name)}`.execute(store.db);
  const planted: Array<[string, string]> = [];
  const bar = new cliProgress.SingleBar(
    { format: "loading  {bar} {value}/{total} contacts", stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(rows, 0);
  let batch: NewContactRow[] = [];
  const flush = async () => {
    if (batch.length) await store.db.insertInto("contacts").values(batch).execute();
    batch = [];
  };
  let n = 0;
  for (const g of generatePeople(rows)) {
    if (g.of) planted.push([g.of, g.key]);
    const p = g.person;
    batch.push(
      buildContactRow(
        workspaceId,
        {
          first_name: p.first,
          last_name: p.last,
          emails: p.email ? [p.email] : [],
          phones: [p.phone],
          street: p.street,
          city: p.city,
          postal_code: p.postal,
          birth_date: p.dob || null,
          external_id: g.key,
        },
        [],
      ),
    );
    if (batch.length === 2000) await flush();
    if (++n % 10_000 === 0) bar.update(n);
  }
  await flush();
  bar.update(rows);
  bar.stop();
  return planted;
}

export async function benchIdentity(o: { rows: number; messages: number }) {
  console.log(`Duplicates among ${o.rows.toLocaleString("en")} generated contacts (embedded store)`);
  const store = await scratchStore();
  try {
    const { workspaceId } = await signUp(store.db, {
      email: "bench@example.com",
      name: "Bench",
      password: "bench-bench",
      workspaceName: "Bench",
    });
    const t0 = performance.now();
    const planted = await loadContacts(store, workspaceId, o.rows);
    const loadMs = performance.now() - t0;
    const scan = await scanDuplicates(store.db, workspaceId, {});
    const found = new Set(scan.pairs.map((p) => [p.a_key, p.b_key].sort().join("|")));
    const truth = new Set(planted.map((p) => [...p].sort().join("|")));
    const hit = [...truth].filter((p) => found.has(p)).length;
    const total = scan.timings.load_ms + scan.timings.match_ms + scan.timings.save_ms;
    console.log(`  generated and stored in ${ms(loadMs)} (not part of the figure)`);
    console.log(
      `  find duplicates: ${ms(total)} = read ${ms(scan.timings.load_ms)} + match ${ms(scan.timings.match_ms)} + queue ${ms(scan.timings.save_ms)}  (target ≤ 60 s)`,
    );
    console.log(
      `  pairs found ${scan.found.toLocaleString("en")}; planted ${truth.size.toLocaleString("en")}, recovered ${hit.toLocaleString("en")} ` +
        `(recall ${((hit / Math.max(1, truth.size)) * 100).toFixed(1)}%); pairs not planted ${(scan.found - hit).toLocaleString("en")}`,
    );
  } finally {
    await store.close();
    rmSync(store.dir, { recursive: true, force: true });
  }

  console.log(`\nProfile resolution inside the ingest pipeline (${o.messages.toLocaleString("en")} messages, new authors)`);
  const small = await scratchStore();
  try {
    const { workspaceId } = await signUp(small.db, {
      email: "bench@example.com",
      name: "Bench",
      password: "bench-bench",
      workspaceName: "Bench",
    });
    const people = [...generatePeople(20_000, 0)].map((g) => g.person);
    for (let i = 0; i < people.length; i += 2000) {
      await small.db
        .insertInto("contacts")
        .values(
          people
            .slice(i, i + 2000)
            .map((p) => buildContactRow(workspaceId, { first_name: p.first, last_name: p.last, emails: [p.email] }, [])),
        )
        .execute();
    }
    const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    const messages = Array.from({ length: o.messages }, (_, i) => {
      const p = people[i % people.length] as Person;
      const kind = i % 3; // a third by email (strong), a third by a similar name on X (suggestion), a third strangers
      return {
        network: kind === 0 ? "email" : "x",
        external_id: `m${i}`,
        author:
          kind === 0
            ? { id: p.email, handle: p.email, display_name: `${cap(p.first)} ${cap(p.last)}` }
            : kind === 1
              ? {
                  id: `x${i}`,
                  handle: `${p.first}_${p.last}`.normalize("NFD").replace(/[^a-z_]/g, ""),
                  display_name: `${cap(p.first)} ${cap(p.last)}`,
                }
              : { id: `s${i}`, handle: `stranger${i}` },
        text: "Where is my order? It has been two weeks.",
        created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        public: kind !== 0,
      };
    });
    const before = { ...resolveStats };
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += 500) await ingestBatch(small.db, workspaceId, messages.slice(i, i + 500));
    const wall = performance.now() - t0;
    const profiles = resolveStats.profiles - before.profiles;
    const spent = resolveStats.ms - before.ms;
    const linked = await small.db
      .selectFrom("profiles")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("contact_id", "is not", null)
      .executeTakeFirstOrThrow();
    const suggested = await small.db
      .selectFrom("profile_suggestions")
      .select(sql<number>`count(distinct profile_id)::int`.as("n"))
      .executeTakeFirstOrThrow();
    console.log(
      `  ${profiles.toLocaleString("en")} new profiles resolved in ${ms(spent)} = ${Math.round(profiles / (spent / 1000)).toLocaleString("en")} profiles/s ` +
        `(${((spent / wall) * 100).toFixed(0)}% of the pipeline's ${ms(wall)}; ${Math.round(o.messages / (wall / 1000)).toLocaleString("en")} messages/s end to end)`,
    );
    console.log(`  linked on strong evidence ${linked.n.toLocaleString("en")}, with suggestions ${suggested.n.toLocaleString("en")}`);
  } finally {
    await small.close();
    rmSync(small.dir, { recursive: true, force: true });
  }
}

export function registerIdentityBench(bench: Command) {
  bench
    .command("identity")
    .description("Time to find duplicates among generated contacts (embedded store); profile resolution rate in the pipeline")
    .option("--rows <n>", "contacts to generate", "1000000")
    .option("--messages <n>", "messages with new authors for the resolution figure", "30000")
    .action(async (o: { rows: string; messages: string }) => {
      await benchIdentity({ rows: Number(o.rows), messages: Number(o.messages) });
    });
}
