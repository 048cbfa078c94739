import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "./db";
import { migrateToLatest } from "./migrate";

/**
 * A fresh, migrated database on a PostgreSQL server, dropped by `drop()`:
 * for test runs and benchmarks that must not touch anyone's data.
 */
export async function openScratchDatabase(serverUrl: string, prefix = "parley_scratch"): Promise<Store & { drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString() });
  await migrateToLatest(store.db);
  return {
    ...store,
    drop: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
