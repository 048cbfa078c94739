import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Db, openStore, type Store } from "../src/store/db";
import { MIGRATION_NAMES, migrateToLatest } from "../src/store/migrate";
import { findStoreTemplate, storeTemplate, templateKey } from "../src/store/template";

// A new embedded store starts from the pre-migrated template (store/template.ts) instead of
// initdb and every migration. These tests hold it to being the same store, per store, and
// never a risk to a store that exists.

// Each test creates or loads several PGlite stores, some with initdb: seconds each, minutes on a busy machine.
const LOADS_SEVERAL_STORES = 300_000;
const scratch = mkdtempSync(resolve(tmpdir(), "parley-store-template-"));
const opened: Store[] = [];
const sum = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

async function open(options: Parameters<typeof openStore>[0]): Promise<Store> {
  const store = await openStore(options);
  opened.push(store);
  return store;
}

/** A template folder of this test alone, seeded with a copy of the current template. */
let goodTemplate: Uint8Array;
function templateDir(seed = true): string {
  const dir = mkdtempSync(join(scratch, "template-"));
  if (seed) writeFileSync(join(dir, `store-${templateKey()}-${sum(goodTemplate)}.tar.gz`), goodTemplate);
  return dir;
}

/** A template that passes every check but holds a table no migration makes: shows which stores were loaded from it. */
async function plantedTemplate(dir: string, key = templateKey()): Promise<string> {
  const pglite = await PGlite.create({ extensions: { pg_trgm }, loadDataDir: new Blob([goodTemplate as Uint8Array<ArrayBuffer>]) });
  await pglite.exec("create table planted_marker (id int); checkpoint;");
  const bytes = new Uint8Array(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
  await pglite.close();
  const path = join(dir, `store-${key}-${sum(bytes)}.tar.gz`);
  writeFileSync(path, bytes);
  return path;
}

async function hasTable(db: Db, name: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = ${name}`.execute(
    db,
  );
  return rows[0]?.n === 1;
}

/** Everything a migration defines, as sorted lines: two stores with equal fingerprints have the same schema. */
async function schemaFingerprint(db: Db): Promise<string[]> {
  const queries = [
    sql<{
      line: string;
    }>`select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || coalesce(column_default, '') as line
      from information_schema.columns where table_schema = 'public'`,
    sql<{ line: string }>`select 'index ' || tablename || ' ' || indexdef as line from pg_indexes where schemaname = 'public'`,
    sql<{ line: string }>`select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as line
      from pg_constraint where connamespace = 'public'::regnamespace`,
    sql<{ line: string }>`select 'trigger ' || tgrelid::regclass::text || ' ' || tgname as line from pg_trigger where not tgisinternal`,
    sql<{
      line: string;
    }>`select 'function ' || proname || ' ' || md5(prosrc) as line from pg_proc where pronamespace = 'public'::regnamespace`,
    sql<{ line: string }>`select 'extension ' || extname || ' ' || extversion as line from pg_extension`,
    sql<{
      line: string;
    }>`select 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused') as line from pg_sequences where schemaname = 'public'`,
    sql<{ line: string }>`select 'view ' || table_name as line from information_schema.views where table_schema = 'public'`,
  ];
  const lines: string[] = [];
  for (const q of queries) lines.push(...(await q.execute(db)).rows.map((r) => r.line));
  return lines.sort();
}

/** Tables that hold rows, with their counts (the migrator's own two aside: the same in every store). */
async function tablesWithRows(db: Db): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('parley_migrations', 'parley_migrations_lock')`.execute(
    db,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    if (rows[0]?.n) counts[name] = rows[0].n;
  }
  return counts;
}

async function migrationNames(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from parley_migrations order by name`.execute(db);
  return rows.map((r) => r.name);
}

async function addWorkspace(db: Db, name: string): Promise<string> {
  const id = randomUUID();
  await sql`insert into workspaces (id, name) values (${id}, ${name})`.execute(db);
  return id;
}

const warnings: string[] = [];
const onWarning = (w: Error & { code?: string }) => {
  if (w.code === "PARLEY_STORE_TEMPLATE") warnings.push(w.message);
};

beforeAll(async () => {
  // The template this program uses (made now when the build did not make it).
  const blob = await storeTemplate();
  if (!blob) throw new Error("no store template could be made");
  goodTemplate = new Uint8Array(await blob.arrayBuffer());
  process.on("warning", onWarning);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  warnings.length = 0;
});

afterAll(() => {
  process.off("warning", onWarning);
  rmSync(scratch, { recursive: true, force: true });
});

describe("a new store from the template", { timeout: LOADS_SEVERAL_STORES }, () => {
  it("has exactly the migrations and the schema of a store migrated from scratch, and no rows", async () => {
    const fromScratch = await open({ dataDir: "memory://", template: false });
    const scratchReport = await migrateToLatest(fromScratch.db);
    const fromTemplate = await open({ dataDir: "memory://", template: { dir: templateDir() } });
    const templateReport = await migrateToLatest(fromTemplate.db);

    expect(scratchReport.applied).toEqual([...MIGRATION_NAMES]);
    expect(templateReport.applied).toEqual([]); // the template held them all
    expect(await migrationNames(fromTemplate.db)).toEqual(await migrationNames(fromScratch.db));

    const a = await schemaFingerprint(fromScratch.db);
    const b = await schemaFingerprint(fromTemplate.db);
    expect(a.length).toBeGreaterThan(500);
    expect(b.filter((line) => !a.includes(line))).toEqual([]);
    expect(a.filter((line) => !b.includes(line))).toEqual([]);

    expect(await tablesWithRows(fromTemplate.db)).toEqual({});
    expect(await tablesWithRows(fromScratch.db)).toEqual({});
  });

  it("searches with pg_trgm after loading", async () => {
    const store = await open({ dataDir: "memory://", template: { dir: templateDir() } });
    const { rows } = await sql<{ s: number }>`select similarity('checkout crashes', 'checkout crashed') as s`.execute(store.db);
    expect(rows[0]?.s).toBeGreaterThan(0.5);
  });

  it("is loaded into an empty data dir, which then opens again as an existing store", async () => {
    const dataDir = join(scratch, "new-data");
    const dir = templateDir(false);
    await plantedTemplate(dir);
    const store = await open({ dataDir, template: { dir } });
    expect(await hasTable(store.db, "planted_marker")).toBe(true); // it came from the template
    expect((await migrateToLatest(store.db)).applied).toEqual([]);
    const id = await addWorkspace(store.db, "Kept");
    await store.close();

    const again = await open({ dataDir, template: { dir } });
    const { rows } = await sql<{ name: string }>`select name from workspaces where id = ${id}`.execute(again.db);
    expect(rows.map((r) => r.name)).toEqual(["Kept"]);
  });
});

describe("per-store data", { timeout: LOADS_SEVERAL_STORES }, () => {
  it("two new stores share nothing, and the template file is not changed by them", async () => {
    const dir = templateDir();
    const before = readdirSync(dir).map((name) => [name, sum(readFileSync(join(dir, name)))]);
    const one = await open({ dataDir: join(scratch, "one"), template: { dir } });
    const two = await open({ dataDir: join(scratch, "two"), template: { dir } });
    const inMemory = await open({ dataDir: "memory://", template: { dir } });

    const id = await addWorkspace(one.db, "Only in one");
    await sql`create table only_in_one (id int)`.execute(one.db);
    await one.dump?.(); // checkpointed to disk

    for (const other of [two, inMemory]) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from workspaces where id = ${id}`.execute(other.db);
      expect(rows[0]?.n).toBe(0);
      expect(await hasTable(other.db, "only_in_one")).toBe(false);
      expect(await tablesWithRows(other.db)).toEqual({});
    }
    expect(readdirSync(dir).map((name) => [name, sum(readFileSync(join(dir, name)))])).toEqual(before);
    // The data dir's secret key is the data dir's own file, never part of the store or the template.
    expect(existsSync(join(scratch, "one", "pgdata", "secret.key"))).toBe(false);
  });
});

describe("an existing data dir", { timeout: LOADS_SEVERAL_STORES }, () => {
  it("is opened as it is, never reset or loaded from the template", async () => {
    const dataDir = join(scratch, "existing");
    const first = await open({ dataDir, template: { dir: templateDir() } });
    await migrateToLatest(first.db);
    const id = await addWorkspace(first.db, "Existing");
    await first.close();

    const dir = templateDir(false);
    await plantedTemplate(dir);
    const again = await open({ dataDir, template: { dir } });
    expect(await hasTable(again.db, "planted_marker")).toBe(false);
    const { rows } = await sql<{ name: string }>`select name from workspaces where id = ${id}`.execute(again.db);
    expect(rows.map((r) => r.name)).toEqual(["Existing"]);
  });
});

describe("a template that cannot be used", { timeout: LOADS_SEVERAL_STORES }, () => {
  it("is made again when it was made for other migrations or another PGlite (stale)", async () => {
    const dir = templateDir(false);
    const stale = await plantedTemplate(dir, "0123456789abcdef");
    const store = await open({ dataDir: "memory://", template: { dir } });
    expect(await hasTable(store.db, "planted_marker")).toBe(false);
    await migrateToLatest(store.db);
    expect(await migrationNames(store.db)).toEqual([...MIGRATION_NAMES]);
    expect(existsSync(stale)).toBe(false); // replaced by the current one
    expect(findStoreTemplate(dir).path).not.toBeNull();
  });

  it("is removed and made again when its bytes do not match its checksum (damaged)", async () => {
    const dir = templateDir(false);
    const damaged = join(dir, `store-${templateKey()}-${sum(goodTemplate)}.tar.gz`);
    const bytes = Uint8Array.from(goodTemplate);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    writeFileSync(damaged, bytes);

    const store = await open({ dataDir: join(scratch, "after-damaged"), template: { dir } });
    expect((await migrateToLatest(store.db)).applied).toEqual([]);
    expect(warnings.join("\n")).toMatch(/damaged/);
    const remade = findStoreTemplate(dir).path;
    expect(remade).not.toBeNull();
    expect(sum(readFileSync(remade as string))).toBe(remade?.match(/-([0-9a-f]{16})\.tar\.gz$/)?.[1]);
  });

  it("falls back to creating the store from scratch when it does not load (corrupt content)", async () => {
    const dir = templateDir(false);
    const junk = new TextEncoder().encode("not a data dir tarball");
    writeFileSync(join(dir, `store-${templateKey()}-${sum(junk)}.tar.gz`), junk);
    const dataDir = join(scratch, "after-corrupt");

    const store = await open({ dataDir, template: { dir } });
    expect(warnings.join("\n")).toMatch(/could not be loaded.*from scratch/);
    expect((await migrateToLatest(store.db)).applied).toEqual([...MIGRATION_NAMES]);
    await addWorkspace(store.db, "Works");
    expect(findStoreTemplate(dir).path).toBeNull(); // the bad one is gone: the next store makes a new one
    await store.close();

    const again = await open({ dataDir, template: { dir } });
    expect(await tablesWithRows(again.db)).toEqual({ workspaces: 1 });
  });
});
