import { openStore, type Store } from "../../src/store/db";
import { migrateToLatest } from "../../src/store/migrate";
import { openScratchDatabase } from "../../src/store/scratch";

/**
 * A migrated store for one test file: in-memory PGlite by default, or a fresh
 * database on the server named by PARLEY_TEST_DATABASE_URL (dropped afterwards).
 */
export async function openTestStore(): Promise<Store & { drop: () => Promise<void> }> {
  const serverUrl = process.env.PARLEY_TEST_DATABASE_URL;
  if (serverUrl) return openScratchDatabase(serverUrl, "parley_test");
  const store = await openStore({ dataDir: "memory://" });
  await migrateToLatest(store.db);
  return { ...store, drop: () => store.close() };
}
