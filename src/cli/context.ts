import { ensureRuleSets } from "../rules";
import { AppError } from "../shared/errors";
import { openStore, resolveStoreOptions, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import { printJson } from "./output";

/**
 * Opens the store named by DATABASE_URL / PARLEY_DATA_DIR and brings it up to date: its
 * schema, and the default rules of workspaces made before they came with the workspace.
 */
export async function openMigratedStore(command = process.argv[2] ?? "cli"): Promise<Store> {
  const store = await openStore({ ...resolveStoreOptions(), command });
  await migrateToLatest(store.db);
  await ensureRuleSets(store.db);
  return store;
}

/** The CLI acts as the workspace's owner (it runs with access to the database itself). */
export { cliActor } from "../accounts";
export { fail, printJson } from "./output";

/**
 * Runs a command's work and closes the store after it (null when a running server does the work).
 * A failure is reported (as JSON with --json) and exits 1, once `onFailure` has tidied up (stopped
 * a progress bar) and the store is closed.
 */
export async function runCommand(store: Store | null, json: boolean, work: () => Promise<void>, onFailure?: () => void) {
  try {
    await work();
  } catch (err) {
    onFailure?.();
    await store?.close();
    report(err, json);
  }
  await store?.close();
}

/** Prints an error (JSON with its code and details under --json) and exits 1. */
export function report(error: unknown, json: boolean): never {
  const e = error instanceof AppError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  if (json) printJson({ error: { code: e?.code ?? "error", message, ...(e?.details ? { details: e.details } : {}) } });
  else process.stderr.write(`parley: ${message}\n`);
  process.exit(1);
}
