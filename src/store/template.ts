import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely } from "kysely";
import { migrateToLatest, migrationsDigest } from "./migrate";
import { PGliteDialect } from "./pglite-dialect";

// A new embedded store starts from a pre-migrated template instead of running initdb and every
// migration (issue #15: initdb alone took most of a first `parley start`, and every test file paid it).
// The template is PGlite's dumpDataDir("gzip") of an in-memory store with every migration applied and
// nothing else: the migrations insert no rows on an empty store, so it holds schema only, the same
// for every store (the data dir's secret key is a file beside the store, never in it).
// It is made at install (scripts/build.mjs) and again, lazily, by the first store that finds it
// missing or stale. Its name carries a key (PGlite's version and a digest of the migrations' SQL),
// so a template made by other code is never used, and a checksum of its bytes, so a damaged one
// is noticed before it is loaded.

const ROOT = resolve(import.meta.dirname, "../..");
/** Where templates are kept: beside the installed packages, ignored by git, one set per checkout. */
export const DEFAULT_TEMPLATE_DIR = resolve(ROOT, "node_modules/.cache/parley");

/** Bumped when what goes into a template changes in a way the key would not see (extensions, dump format). */
const FORMAT = "parley-store-template/1 pg_trgm gzip";
const NAME = /^store-([0-9a-f]{16})-([0-9a-f]{16})\.tar\.gz$/;

let pgliteVersionCache: string | undefined;

/** The installed PGlite's version: a data dir made by one PGlite build may not open in another. */
export function pgliteVersion(): string {
  if (pgliteVersionCache) return pgliteVersionCache;
  let dir = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@electric-sql/pglite" && pkg.version) {
        pgliteVersionCache = pkg.version;
        return pkg.version;
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find @electric-sql/pglite's package.json");
    dir = up;
  }
}

/** What a template must have been made from to be used by this program. */
export function templateKey(): string {
  return createHash("sha256").update(`${FORMAT}\0${pgliteVersion()}\0${migrationsDigest()}`).digest("hex").slice(0, 16);
}

const checksum = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

export type TemplateStatus = { key: string; path: string | null };

function templateFiles(dir: string): { name: string; key: string; sum: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const m = NAME.exec(name);
    return m?.[1] && m[2] ? [{ name, key: m[1], sum: m[2] }] : [];
  });
}

/** The current template's path in dir, when one was made for this program (its bytes not yet checked). */
export function findStoreTemplate(dir = DEFAULT_TEMPLATE_DIR): TemplateStatus {
  const key = templateKey();
  const file = templateFiles(dir).find((f) => f.key === key);
  return { key, path: file ? join(dir, file.name) : null };
}

function warn(message: string) {
  process.emitWarning(message, { code: "PARLEY_STORE_TEMPLATE" });
}

function removeQuietly(path: string) {
  try {
    rmSync(path, { force: true });
  } catch {
    // another process removed or replaced it; the next reader decides again
  }
}

/** Reads the current template, checking its bytes against the checksum in its name; a damaged one is removed. */
function readTemplate(dir: string, key: string): Uint8Array | null {
  for (const file of templateFiles(dir).filter((f) => f.key === key)) {
    const path = join(dir, file.name);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // replaced by another process meanwhile
    }
    if (checksum(bytes) === file.sum) return bytes;
    warn(`the store template ${path} is damaged (checksum mismatch); it is removed and made again`);
    removeQuietly(path);
  }
  return null;
}

/** A new in-memory store with every migration applied, as a gzipped tarball of its data dir. */
async function dumpMigratedStore(): Promise<Uint8Array> {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the schema type applies.
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    // Flushed, so a store loaded from it starts from a checkpoint rather than replaying the WAL.
    await pglite.exec("checkpoint");
    return new Uint8Array(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    await db.destroy();
  }
}

/**
 * Saves a template atomically (written beside, then renamed: a reader sees the whole file or
 * none) and removes templates made for other code. Answers the path.
 */
function saveTemplate(dir: string, key: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `store-${key}-${checksum(bytes)}.tar.gz`);
  const partial = join(dir, `.store-${key}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    // Templates of other keys are stale; a partial file an hour old was left by a killed writer.
    if ((m && m[1] !== key) || (name.startsWith(".store-") && name.endsWith(".tmp") && mtimeMs(join(dir, name)) < hourAgo)) {
      removeQuietly(join(dir, name));
    }
  }
  return path;
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Makes the current template in dir (even when one is there) and answers its path. */
export async function makeStoreTemplate(dir = DEFAULT_TEMPLATE_DIR): Promise<string> {
  const key = templateKey();
  return saveTemplate(dir, key, await dumpMigratedStore());
}

// Read once per process: a test file opens several in-memory stores.
let cached: { dir: string; key: string; blob: Blob } | undefined;

/**
 * The pre-migrated template for a new store: read from dir, or made (and saved there) when it is
 * missing, stale or damaged. Null when none can be had; the caller then creates the store as before.
 */
export async function storeTemplate(dir = DEFAULT_TEMPLATE_DIR): Promise<Blob | null> {
  const key = templateKey();
  if (cached && cached.dir === dir && cached.key === key) return cached.blob;
  let bytes = readTemplate(dir, key);
  if (!bytes) {
    try {
      bytes = await dumpMigratedStore();
    } catch (err) {
      warn(`could not make the store template: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    try {
      saveTemplate(dir, key, bytes);
    } catch (err) {
      // Still used by this process; the next one tries again.
      warn(`could not save the store template in ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  cached = { dir, key, blob };
  return blob;
}

/** Forgets the template read by this process (after it failed to load, or when a test replaces it). */
export function forgetStoreTemplate(dir = DEFAULT_TEMPLATE_DIR, options: { remove?: boolean } = {}) {
  if (cached?.dir === dir) cached = undefined;
  if (!options.remove) return;
  const key = templateKey();
  for (const file of templateFiles(dir).filter((f) => f.key === key)) removeQuietly(join(dir, file.name));
}
