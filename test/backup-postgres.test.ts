import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/db";
import { migrateToLatest } from "../src/store/migrate";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk } from "./support/posts";

// Backups of a PostgreSQL-backed Parley (issue 13) are PostgreSQL's own tools, exactly as the
// README's Backups section says: pg_dump --format=custom, then pg_restore into a new database.
// A workspace seeded through the API is dumped, restored, and every table the catalog lists is
// compared row by row. Runs with the PostgreSQL suite (PARLEY_TEST_DATABASE_URL) only.

const serverUrl = process.env.PARLEY_TEST_DATABASE_URL;
const run = promisify(execFile);

function databaseUrl(name: string): string {
  const url = new URL(serverUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Every row of every table, each table's rows as sorted JSON text. */
async function snapshot(db: Kysely<unknown>): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.id(table_name)} t`.execute(db);
    out[table_name] = rows.map((r) => r.row).sort();
  }
  return out;
}

describe.skipIf(!serverUrl)("pg_dump and pg_restore of a PostgreSQL-backed Parley", { timeout: 180_000 }, () => {
  let t: TestApp;
  let owner: Caller;
  const work = mkdtempSync(join(tmpdir(), "parley-pgdump-"));
  const restoredName = `parley_test_restored_${Date.now().toString(36)}`;
  let created = false;

  async function ok(method: string, url: string, body?: unknown) {
    const res = await owner.request(method, url, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.body ? res.json() : undefined;
  }

  beforeAll(async () => {
    t = await startTestApp();
    owner = await newWorkspace(t, "Dumped Co");
    const jo = await ok("POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo@example.com"], tags: ["vip"] });
    await ok("POST", "/api/v1/contacts", { name: "Sam Green", emails: ["sam@example.com"] });
    const org = await ok("POST", "/api/v1/organizations", { name: "Brown Ltd", domain: "brown.example" });
    await ok("PATCH", `/api/v1/contacts/${jo.id}`, { organization_id: org.id });
    await ok("POST", `/api/v1/contacts/${jo.id}/activities`, { type: "note", body: "Prefers email" });
    await ok("POST", `/api/v1/contacts/${jo.id}/consent`, { purpose: "marketing_email", status: "granted", source: "web form" });
    await ingestOk(owner, [
      {
        network: "mastodon",
        external_id: "dump-1",
        author: { id: "m-1", handle: "jo@mastodon.example", display_name: "Jo" },
        text: "My grinder broke after two days, I want a refund",
        created_at: "2026-11-01T10:00:00Z",
      },
      {
        network: "mastodon",
        external_id: "dump-2",
        author: { id: "m-2", handle: "ann@mastodon.example", display_name: "Ann" },
        text: "Same problem with the grinder here, refund please",
        created_at: "2026-11-01T10:05:00Z",
        in_reply_to: "dump-1",
      },
      {
        network: "x",
        external_id: "dump-3",
        author: { id: "x-3", handle: "pat", display_name: "Pat" },
        text: "It would be great if the app had a dark mode",
        created_at: "2026-11-01T11:00:00Z",
      },
    ]);
    await ok("POST", "/api/v1/cases", { subject: "Broken grinder", contact_id: jo.id });
    await ok("POST", "/api/v1/deals", { title: "Grinder bulk order", contact_id: jo.id, value: 1200, currency: "EUR" });
    const idea = await ok("POST", "/api/v1/ideas", { title: "Dark mode" });
    await ok("POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: jo.id });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (created) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${restoredName} with (force)`);
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("pg_dump --format=custom, pg_restore into an empty database: every table's rows are equal and Parley opens it", async () => {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.db);
    const sourceName = rows[0]?.name as string;
    const file = join(work, "parley.dump");

    // The README's commands, as written there.
    await run("pg_dump", ["--format=custom", `--file=${file}`, databaseUrl(sourceName)]);
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${restoredName}`);
    created = true;
    await admin.end();
    await run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${databaseUrl(restoredName)}`, file]);

    const restored = await openStore({ databaseUrl: databaseUrl(restoredName) });
    try {
      // Parley starts on it as it is: no migration is missing.
      await migrateToLatest(restored.db);
      const before = await snapshot(t.db as Kysely<unknown>);
      const after = await snapshot(restored.db as Kysely<unknown>);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      // The seeded data is there, so equality is not of empty tables.
      expect(before.contacts?.length).toBeGreaterThanOrEqual(2);
      expect(before.messages?.length).toBeGreaterThanOrEqual(3);
      for (const table of ["organizations", "activities", "consent_events", "cases", "deals", "ideas", "idea_votes", "profiles"])
        expect(before[table]?.length, table).toBeGreaterThan(0);
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
      // The full-text index came back too: a search finds the post.
      const { rows: found } = await sql<{ n: number }>`select count(*)::int as n from messages
        where search @@ plainto_tsquery('simple', 'grinder')`.execute(restored.db);
      expect(found[0]?.n).toBe(2);
    } finally {
      await restored.close();
    }
  });
});
