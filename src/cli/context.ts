import { openStore, resolveStoreOptions, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";

/** Opens the store named by DATABASE_URL / PARLEY_DATA_DIR and brings its schema up to date. */
export async function openMigratedStore(): Promise<Store> {
  const store = await openStore(resolveStoreOptions());
  await migrateToLatest(store.db);
  return store;
}

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function fail(message: string, json = false): never {
  if (json) process.stdout.write(`${JSON.stringify({ error: { message } })}\n`);
  else process.stderr.write(`parley: ${message}\n`);
  process.exit(1);
}
