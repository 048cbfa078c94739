import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTar, tarParts } from "../src/shared/tar";
import { unzip } from "../src/shared/zip";
import { openStore } from "../src/store/db";
import { cliEnv, freePort, parley, ROOT, scratchDataDir, startServerProcess } from "./support/cli";

// `parley backup`, `parley restore` (and `parley privacy export`) as a user runs them: real processes on embedded stores,
// and a restored store compared table by table (every table the catalog lists) with its source.

const fixture = (...p: string[]) => resolve(ROOT, "test/fixtures", ...p);
const source = scratchDataDir();
const work = scratchDataDir();
const env = cliEnv(source.dir);
const envAt = (name: string) => cliEnv(resolve(work.dir, name));

/** Every row of every table of the store, each table's rows as sorted JSON text. */
async function snapshot(dataDir: string): Promise<Record<string, string[]>> {
  const store = await openStore({ dataDir });
  try {
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(store.db);
    const out: Record<string, string[]> = {};
    for (const { table_name } of tables) {
      const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.id(table_name)} t`.execute(store.db);
      out[table_name] = rows.map((r) => r.row).sort();
    }
    return out;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const made = await parley(
    ["user", "create", "--email", "a@b.co", "--name", "A", "--password", "password1", "--workspace-name", "Acme", "--json"],
    env,
  );
  expect(made.code, made.stderr).toBe(0);
  const imported = await parley(["import", "contacts", fixture("transfer", "contacts-mixed.csv"), "--json"], env);
  expect(imported.code, imported.stderr).toBe(0);
  const ingested = await parley(["ingest", fixture("listen", "messages.jsonl"), "--json"], env);
  expect(ingested.code, ingested.stderr).toBe(0);
  const rules = resolve(work.dir, "rules.json");
  writeFileSync(
    rules,
    JSON.stringify({
      rules: [
        {
          key: "vip.escalate",
          name: "VIP",
          trigger: { type: "message.received" },
          conditions: { match: "all", conditions: [{ field: "contact.tags", op: "contains", value: "vip" }] },
          actions: [{ type: "set_priority", priority: 95 }],
        },
      ],
    }),
  );
  const ruled = await parley(["rules", "import", rules, "--json"], env);
  expect(ruled.code, ruled.stderr).toBe(0);
}, 240_000);

afterAll(() => {
  source.cleanup();
  work.cleanup();
});

describe("parley backup and restore", { timeout: 300_000 }, () => {
  const file = () => resolve(work.dir, "acme.parley-backup");

  it("restores a backup into a new data dir with every table's rows equal to the source's", async () => {
    const backup = await parley(["backup", file(), "--json"], env);
    expect(backup.code, backup.stderr).toBe(0);
    const out = JSON.parse(backup.stdout);
    expect(out.manifest).toMatchObject({ format: "parley-backup", version: 1, workspaces: 1, store: "pglite" });
    expect(out.manifest.migrations).toContain("013-audit");
    expect(out.manifest.migration_level).toBe(out.manifest.migrations.at(-1));
    // A plain tar: the manifest beside PGlite's dump.
    const names = readTar(readFileSync(file()))?.map((e) => e.name);
    expect(names).toEqual(["parley-backup.json", "pgdata.tar.gz"]);

    const restored = await parley(["restore", file()], envAt("copy"));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Restored 1 workspace(s) from ${file()}`);

    const before = await snapshot(source.dir);
    const after = await snapshot(resolve(work.dir, "copy"));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    // The data the test made is there, so equality is not of empty tables.
    expect(before.contacts?.length).toBeGreaterThan(3);
    expect(before.messages?.length).toBeGreaterThanOrEqual(3);
    expect(before.rules?.some((r) => r.includes('"VIP"'))).toBe(true);
    expect(before.audit_events?.some((r) => r.includes('"store.backup"'))).toBe(true);
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
  });

  it("refuses a data dir that holds a store unless --force, and then keeps the old one aside", async () => {
    const target = envAt("copy");
    const again = await parley(["restore", file()], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("holds a store already");
    expect(again.stderr).toContain("--force");

    const forced = await parley(["restore", file(), "--force", "--json"], target);
    expect(forced.code, forced.stderr).toBe(0);
    const out = JSON.parse(forced.stdout);
    expect(out.moved_aside).toMatch(/copy\.before-restore-/);
    expect(existsSync(resolve(out.moved_aside, "pgdata", "PG_VERSION"))).toBe(true);
    expect(existsSync(resolve(work.dir, "copy", "pgdata", "PG_VERSION"))).toBe(true);
  });

  it("verifies the file: not a backup, damaged, or from a newer Parley, each with a clear error and nothing written", async () => {
    const target = envAt("never");
    const notBackup = await parley(["restore", resolve(ROOT, "package.json"), "--json"], target);
    expect(notBackup.code).toBe(1);
    expect(JSON.parse(notBackup.stdout).error).toMatchObject({
      code: "validation_error",
      message: expect.stringContaining("not a Parley backup"),
    });

    const entries = readTar(readFileSync(file()));
    if (!entries) throw new Error("backup is not a tar");
    const [manifestEntry, dataEntry] = entries;
    if (!manifestEntry || !dataEntry) throw new Error("backup lacks its files");
    const manifest = JSON.parse(new TextDecoder().decode(manifestEntry.data));
    const write = (name: string, m: unknown, data: Uint8Array) => {
      const path = resolve(work.dir, name);
      writeFileSync(
        path,
        Buffer.concat(
          tarParts([
            { name: "parley-backup.json", data: Buffer.from(JSON.stringify(m)) },
            { name: "pgdata.tar.gz", data },
          ]),
        ),
      );
      return path;
    };

    const flipped = new Uint8Array(dataEntry.data);
    flipped[1000] = (flipped[1000] ?? 0) ^ 0xff;
    const damaged = await parley(["restore", write("damaged", manifest, flipped)], target);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain("damaged");

    const newer = await parley(
      ["restore", write("newer", { ...manifest, migrations: [...manifest.migrations, "999-future"] }, dataEntry.data)],
      target,
    );
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain("newer Parley");
    expect(newer.stderr).toContain("999-future");

    const format2 = await parley(["restore", write("format2", { ...manifest, version: 2 }, dataEntry.data)], target);
    expect(format2.code).toBe(1);
    expect(format2.stderr).toContain("format 2");

    const missing = await parley(["restore", resolve(work.dir, "nope")], target);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    expect(existsSync(resolve(work.dir, "never", "pgdata", "PG_VERSION"))).toBe(false);
  });

  it("while a server runs and ingests, backup (consistent) and privacy export go through it and restore over it is refused", async () => {
    const contactId = JSON.parse((await snapshot(source.dir)).contacts?.[0] ?? "{}").id as string;
    const offline = await parley(["privacy", "export", contactId, "--out", resolve(work.dir, "offline.zip"), "--json"], env);
    expect(offline.code, offline.stderr).toBe(0);
    const port = await freePort();
    const server = await startServerProcess(env, port);
    const live = resolve(work.dir, "live.parley-backup");
    let sent = 0;
    try {
      // parley privacy export goes through the server too
      const exported = await parley(["privacy", "export", contactId, "--out", resolve(work.dir, "subject.zip")], env);
      expect(exported.code, exported.stderr).toBe(0);
      for (const name of ["offline.zip", "subject.zip"]) {
        const files = unzip(readFileSync(resolve(work.dir, name))).map((e) => e.name);
        expect(files).toContain("subject.json");
        expect(files).toContain("contacts.csv");
      }
      // Messages keep arriving through the API while the backup is taken.
      const writer = await parley(["apikey", "create", "--name", "writer", "--role", "admin", "--json"], env);
      const writerSecret = JSON.parse(writer.stdout).secret as string;
      let ingesting = true;
      const ingest = (async () => {
        while (ingesting) {
          const batch = Array.from({ length: 10 }, (_, i) => ({
            network: "reddit",
            external_id: `live-${sent}-${i}`,
            author: { id: `author-${(sent + i) % 7}`, handle: `author${(sent + i) % 7}` },
            text: `Live message ${sent + i} about the grinder`,
            created_at: new Date(Date.UTC(2026, 10, 21, 0, 0, sent + i)).toISOString(),
            in_reply_to: i > 0 ? `live-${sent}-0` : undefined,
          }));
          const res = await fetch(`${server.base}/api/v1/messages:batch`, {
            method: "POST",
            headers: { authorization: `Bearer ${writerSecret}`, "content-type": "application/json" },
            body: JSON.stringify({ messages: batch }),
          });
          expect(res.status).toBe(200);
          sent += batch.length;
        }
      })();
      await new Promise((r) => setTimeout(r, 1500));
      const backup = await parley(["backup", live], env);
      ingesting = false;
      await ingest;
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain(`taken by the running server on port ${port}`);
      expect(sent).toBeGreaterThan(0);
      const refused = await parley(["restore", live, "--force"], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("Parley is running on this data dir");
      // An agent's API key cannot take a backup: only an owner can.
      const key = await parley(["apikey", "create", "--name", "agent", "--role", "agent", "--json"], env);
      const secret = JSON.parse(key.stdout).secret as string;
      const denied = await fetch(`${server.base}/api/v1/admin/backup`, { method: "POST", headers: { authorization: `Bearer ${secret}` } });
      expect(denied.status).toBe(403);
    } finally {
      const exited = new Promise<void>((r) => server.child.once("exit", () => r()));
      server.child.kill("SIGTERM");
      await exited;
    }
    const restored = await parley(["restore", live], envAt("from-live"));
    expect(restored.code, restored.stderr).toBe(0);
    // Taken mid-ingest, the copy is consistent: whole batches only, every conversation's count
    // equals its messages, and nothing after the backup is in it.
    const store = await openStore({ dataDir: resolve(work.dir, "from-live") });
    try {
      const { rows: drift } = await sql<{ id: string }>`
        select c.id from conversations c
        where c.message_count <> (select count(*) from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id)`.execute(
        store.db,
      );
      expect(drift).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from messages where external_id like 'live-%'`.execute(store.db);
      const copied = rows[0]?.n ?? 0;
      expect(copied % 10).toBe(0);
      expect(copied).toBeLessThanOrEqual(sent);
      const { rows: keys } = await sql<{ name: string }>`select name from api_keys order by name`.execute(store.db);
      // the agent's key was made after the backup
      expect(keys.map((k) => k.name)).toEqual(["writer"]);
    } finally {
      await store.close();
    }
  });
});
