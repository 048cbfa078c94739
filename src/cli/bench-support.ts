import { resolve } from "node:path";
import type { Command } from "commander";
import pg from "pg";
import { newId } from "../shared/ids";
import { openStore, type Store } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import { openScratchDatabase } from "../store/scratch";

// What the `parley bench …` commands share: the stores a bench runs on (a scratch embedded data
// dir, then a scratch database on the PostgreSQL server when it is reachable) and how figures print.

export const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres";

export type BenchTarget = { label: string; open: () => Promise<Store & { drop: () => Promise<void> }> };

export function benchTargets(pgUrl: string | false, scratch: string): BenchTarget[] {
  const list: BenchTarget[] = [
    {
      label: "embedded (PGlite)",
      open: async () => {
        const dir = resolve(scratch, `pglite-${newId()}`);
        const store = await openStore({ dataDir: dir });
        await migrateToLatest(store.db);
        return { ...store, drop: async () => store.close() };
      },
    },
  ];
  if (pgUrl) list.push({ label: "PostgreSQL", open: () => openScratchDatabase(pgUrl, "parley_bench") });
  return list;
}

export async function pgReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The p-th percentile (0–100) of an ascending list. */
export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export type PostgresOptions = { pg?: string; postgres?: boolean };

/** --pg and --no-postgres, for a bench that measures PostgreSQL after the embedded store. */
export function withPostgresOptions(command: Command): Command {
  return command
    .option("--pg <url>", `PostgreSQL server for the second run (default: $DATABASE_URL or ${DEFAULT_PG})`)
    .option("--no-postgres", "measure the embedded store only");
}

/** The PostgreSQL server the second run measures, or false when skipped or not reachable. */
export async function postgresTarget(o: PostgresOptions): Promise<string | false> {
  if (o.postgres === false) return false;
  const url = o.pg ?? process.env.DATABASE_URL ?? DEFAULT_PG;
  if (await pgReachable(url)) return url;
  process.stderr.write(`PostgreSQL at ${url} is not reachable: measuring the embedded store only\n`);
  return false;
}
