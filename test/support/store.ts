import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "../../src/store/db";
import { migrateToLatest } from "../../src/store/migrate";

/**
 * A migrated store for one test file: in-memory PGlite by default, or a fresh
 * database on the server named by PARLEY_TEST_DATABASE_URL (dropped afterwards).
 */
export async function openTestStore(): Promise<Store & { drop: () => Promise<void> }> {
  const serverUrl = process.env.PARLEY_TEST_DATABASE_URL;
  if (!serverUrl) {
    const store = await openStore({ dataDir: "memory://" });
    await migrateToLatest(store.db);
    return { ...store, drop: () => store.close() };
  }
  const name = `parley_test_${randomBytes(6).toString("hex")}`;
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
