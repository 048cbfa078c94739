import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "kysely";
import type { DbOrTx } from "./db";

// The embedded store's side of backups: which migrations a store has, and loading a
// data dir from the tarball PGlite's dumpDataDir made (see audit/backup.ts for the file).

/** The PGlite folder inside a Parley data dir. */
export const pgDataDir = (dataDir: string) => resolve(dataDir, "pgdata");

/** The migrations applied to this store, in order. */
export async function appliedMigrations(db: DbOrTx): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from parley_migrations order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Whether a data dir holds a database already (PGlite's PG_VERSION is there). */
export function holdsStore(dataDir: string): boolean {
  return existsSync(resolve(pgDataDir(dataDir), "PG_VERSION"));
}

/** Whether a folder exists with anything in it. */
export function isNonEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * Creates the data dir's database from a dumpDataDir tarball, opens it to check it
 * starts, and answers the migrations it holds. The caller holds the data dir's lock.
 */
export async function loadDataDir(dataDir: string, tarball: Blob): Promise<string[]> {
  const pglite = await PGlite.create(pgDataDir(dataDir), { extensions: { pg_trgm }, loadDataDir: tarball });
  try {
    const { rows } = await pglite.query<{ name: string }>("select name from parley_migrations order by name");
    return rows.map((r) => r.name);
  } finally {
    await pglite.close();
  }
}
