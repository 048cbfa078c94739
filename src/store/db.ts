import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { lockDataDir, type StoreLock } from "./lock";
import { PGliteDialect } from "./pglite-dialect";
import type { Database } from "./schema";
import { DEFAULT_TEMPLATE_DIR, forgetStoreTemplate, storeTemplate } from "./template";
import { watchWrites } from "./write-watch";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: store functions accept both. */
export type DbOrTx = Kysely<Database>;

export type StoreOptions = {
  /** postgres:// URL of a server; when absent the embedded store is used. */
  databaseUrl?: string;
  /** Folder of the embedded store; "memory://" keeps it in memory (tests). */
  dataDir?: string;
  /** What the opening process is (`start`, `ingest`…): named to a second opener of the same embedded store. */
  command?: string;
  /**
   * A new embedded store (an empty data dir, or memory://) starts from the pre-migrated template
   * in this folder (store/template.ts); false creates it with initdb, as a store older than the
   * template was (tests compare the two).
   */
  template?: { dir?: string } | false;
};

export type Store = {
  db: Db;
  kind: "pglite" | "postgres";
  describe: string;
  close: () => Promise<void>;
  /** The embedded data dir's exclusive lock (absent for PostgreSQL and memory://). */
  lock?: StoreLock;
  /** The embedded store's data dir as a gzipped tarball, taken between queries (absent for PostgreSQL). */
  dump?: () => Promise<Blob>;
};

// int8 counts come back as strings from pg; Parley's counts fit in a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function resolveStoreOptions(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.PARLEY_DATA_DIR || resolve(process.cwd(), ".parley"),
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle pooled connection the server ends (restart, failover, a dropped test
    // database) must not crash the process: the pool drops it and reconnects on the next query.
    pool.on("error", (err: Error & { code?: string }) => {
      if (err.code !== "57P01") process.emitWarning(`PostgreSQL: idle connection lost: ${err.message}`);
    });
    // Writes are counted per table so brief in-memory caches forget at once (src/store/write-watch.ts).
    const db = watchWrites(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }));
    const url = new URL(options.databaseUrl);
    return {
      db,
      kind: "postgres",
      describe: `PostgreSQL ${url.host}${url.pathname}`,
      close: () => db.destroy(),
    };
  }
  const dataDir = options.dataDir ?? resolve(process.cwd(), ".parley");
  let pgDir: string | undefined;
  let lock: StoreLock | undefined;
  if (!dataDir.startsWith("memory://")) {
    pgDir = resolve(dataDir, "pgdata");
    mkdirSync(pgDir, { recursive: true });
    // Before PGlite touches the folder: a second process must never open it (issue 12).
    lock = await lockDataDir(dataDir, options.command ?? "node");
  }
  let pglite: PGlite;
  try {
    pglite = await createPGlite(pgDir, options.template === false ? false : (options.template?.dir ?? DEFAULT_TEMPLATE_DIR));
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const db = watchWrites(new Kysely<Database>({ dialect: new PGliteDialect(pglite) }));
  return {
    db,
    kind: "pglite",
    describe: pgDir ? `embedded store in ${dataDir}` : "embedded store in memory",
    close: async () => {
      try {
        await db.destroy();
      } finally {
        await lock?.release();
      }
    },
    lock,
    dump: async () => {
      // Flushed first, so a restore starts from a checkpoint rather than replaying the WAL.
      await pglite.exec("checkpoint");
      return pglite.dumpDataDir("gzip");
    },
  };
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/**
 * Opens PGlite on pgDir (undefined: in memory). A new store is loaded from the pre-migrated
 * template; the migrator run afterwards then finds nothing, or only newer migrations, to apply.
 * A folder with anything in it is an existing store and is opened as it is: only an empty one,
 * under this process's lock, is ever written by the template or cleared after a failed load.
 */
async function createPGlite(pgDir: string | undefined, templateDir: string | false): Promise<PGlite> {
  const isNew = pgDir === undefined || isEmptyDir(pgDir);
  const template = isNew && templateDir !== false ? await storeTemplate(templateDir) : null;
  if (template && templateDir !== false) {
    let pglite: PGlite | undefined;
    try {
      pglite = await PGlite.create(pgDir, { extensions: { pg_trgm }, loadDataDir: template });
      await pglite.query("select count(*) from parley_migrations");
      return pglite;
    } catch (err) {
      process.emitWarning(
        `the store template could not be loaded (${err instanceof Error ? err.message : String(err)}); creating the store from scratch`,
        { code: "PARLEY_STORE_TEMPLATE" },
      );
      await pglite?.close().catch(() => {});
      forgetStoreTemplate(templateDir, { remove: true });
      if (pgDir) {
        // Empty before the load and locked by us: what is in it now is the failed load's alone.
        rmSync(pgDir, { recursive: true, force: true });
        mkdirSync(pgDir, { recursive: true });
      }
    }
  }
  return PGlite.create(pgDir, { extensions: { pg_trgm } });
}

/**
 * Runs fn inside a SAVEPOINT of the caller's transaction: PostgreSQL aborts the whole
 * transaction after any error, so a failure inside fn rolls back only fn's writes.
 */
export async function inSavepoint<T>(tx: DbOrTx, name: string, fn: () => Promise<T>): Promise<T> {
  await sql`savepoint ${sql.id(name)}`.execute(tx);
  try {
    const r = await fn();
    await sql`release savepoint ${sql.id(name)}`.execute(tx);
    return r;
  } catch (err) {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(tx);
    await sql`release savepoint ${sql.id(name)}`.execute(tx);
    throw err;
  }
}
