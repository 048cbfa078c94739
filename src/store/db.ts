import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { lockDataDir, type StoreLock } from "./lock";
import { PGliteDialect } from "./pglite-dialect";
import type { Database } from "./schema";
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
    pglite = await PGlite.create(pgDir, { extensions: { pg_trgm } });
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
