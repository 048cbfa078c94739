import { createHash } from "node:crypto";
import { mkdirSync, renameSync } from "node:fs";
import { z } from "zod";
import { type Actor, audit, auditActor, cliActor } from "../accounts";
import { AppError } from "../shared/errors";
import { readTar, tarParts } from "../shared/tar";
import { firstWorkspace } from "../store/accounts";
import { allWorkspaceIds } from "../store/audit";
import { appliedMigrations, holdsStore, isNonEmptyDir, loadDataDir, pgDataDir } from "../store/backup";
import type { Db } from "../store/db";
import { lockDataDir, runningServer } from "../store/lock";
import { MIGRATION_NAMES } from "../store/migrate";

// A Parley backup is a plain tar of two files: parley-backup.json (what it is: format
// version, when, the store's migration level, the data's checksum) and pgdata.tar.gz
// (PGlite's own dump of the embedded store's data dir). PostgreSQL is backed up with
// pg_dump (README → Backups).

export const BACKUP_FORMAT = "parley-backup";
export const BACKUP_VERSION = 1;
const MANIFEST_FILE = "parley-backup.json";
const DATA_FILE = "pgdata.tar.gz";

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(1),
  created_at: z.string(),
  store: z.literal("pglite"),
  migrations: z.array(z.string()),
  migration_level: z.string().nullable(),
  workspaces: z.number().int(),
  data_file: z.string(),
  data_bytes: z.number().int(),
  data_sha256: z.string(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export type Backup = { manifest: BackupManifest; parts: Uint8Array[]; bytes: number };

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * A backup holds every workspace of the store, so only someone who runs the server may
 * take one: the command line on this machine, or the owner of the server's first workspace.
 */
async function assertMayBackUp(db: Db, actor: Actor) {
  if (actor.role !== "owner") throw new AppError("forbidden", "Only a workspace owner can back up the store");
  if (auditActor(actor) === "cli") return;
  const first = await firstWorkspace(db);
  if (first?.id !== actor.workspaceId) {
    throw new AppError("forbidden", "A backup holds every workspace: it is taken by the owner of this server's first workspace");
  }
}

/**
 * Takes a consistent copy of the embedded store: `dump` runs between queries (PGlite
 * serves one at a time), after a checkpoint. Each workspace's audit log records it.
 * `actor` is null for the command line working on the store itself.
 */
export async function takeBackup(db: Db, dump: (() => Promise<Blob>) | undefined, actor: Actor | null): Promise<Backup> {
  if (actor) await assertMayBackUp(db, actor);
  if (!dump) {
    throw new AppError("bad_request", "This server runs on PostgreSQL: back it up with pg_dump (see README, Backups)");
  }
  const workspaces = await allWorkspaceIds(db);
  await db.transaction().execute(async (tx) => {
    for (const workspaceId of workspaces) {
      const who = actor ? { ...actor, workspaceId } : cliActor(workspaceId);
      await audit(tx, who, "store.backup", { type: "store" }, "Backed up the whole store (every workspace)");
    }
  });
  const migrations = await appliedMigrations(db);
  const data = new Uint8Array(await (await dump()).arrayBuffer());
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    created_at: new Date().toISOString(),
    store: "pglite",
    migrations,
    migration_level: migrations[migrations.length - 1] ?? null,
    workspaces: workspaces.length,
    data_file: DATA_FILE,
    data_bytes: data.length,
    data_sha256: sha256(data),
  };
  const parts = tarParts([
    { name: MANIFEST_FILE, data: new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: DATA_FILE, data },
  ]);
  return { manifest, parts, bytes: parts.reduce((n, p) => n + p.length, 0) };
}

const notABackup = (why: string) => new AppError("validation_error", `not a Parley backup: ${why}`, [{ field: "file", message: why }]);

/** Checks a backup file whole (manifest, version, checksum, migrations this program knows) and returns its parts. */
export function readBackup(bytes: Uint8Array): { manifest: BackupManifest; data: Uint8Array } {
  const entries = readTar(bytes);
  if (!entries) throw notABackup("the file is not a tar archive (or it is cut short)");
  const manifestEntry = entries.find((e) => e.name === MANIFEST_FILE);
  if (!manifestEntry) throw notABackup(`it holds no ${MANIFEST_FILE}`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(manifestEntry.data));
  } catch {
    throw notABackup(`${MANIFEST_FILE} is not JSON`);
  }
  const format = (raw as { format?: unknown; version?: unknown } | null) ?? {};
  if (format.format !== BACKUP_FORMAT) throw notABackup(`${MANIFEST_FILE} does not say format "${BACKUP_FORMAT}"`);
  if (typeof format.version === "number" && format.version > BACKUP_VERSION) {
    throw new AppError("unprocessable", `this backup is format ${format.version}, made by a newer Parley: upgrade Parley to restore it`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw notABackup(`${MANIFEST_FILE} is incomplete (${parsed.error.issues[0]?.path.join(".")})`);
  const manifest = parsed.data;
  const data = entries.find((e) => e.name === manifest.data_file)?.data;
  if (!data) throw notABackup(`it holds no ${manifest.data_file}`);
  if (data.length !== manifest.data_bytes || sha256(data) !== manifest.data_sha256) {
    throw new AppError("unprocessable", "this backup is damaged: its data does not match the checksum its manifest recorded");
  }
  const unknown = manifest.migrations.filter((m) => !MIGRATION_NAMES.includes(m));
  if (unknown.length) {
    throw new AppError(
      "unprocessable",
      `this backup comes from a newer Parley (its store has migration ${unknown.join(", ")}, which this version does not know): upgrade Parley to restore it`,
    );
  }
  return { manifest, data };
}

export type RestoreResult = { manifest: BackupManifest; dataDir: string; movedAside: string | null };

/**
 * Creates the embedded store in `dataDir` from a backup. Refuses while a server runs on the
 * data dir, and refuses a data dir holding a store unless `force`; then the old one is moved
 * aside to `<dataDir>.before-restore-<time>`, never deleted.
 */
export async function restoreBackup(
  bytes: Uint8Array,
  dataDir: string,
  options: { force?: boolean; now?: Date; onStep?: (step: string) => void } = {},
): Promise<RestoreResult> {
  const { manifest, data } = readBackup(bytes);
  const server = runningServer(dataDir);
  if (server) {
    throw new AppError("conflict", `Parley is running on this data dir (pid ${server.pid}, port ${server.port}): stop it before restoring`);
  }
  let movedAside: string | null = null;
  if (holdsStore(dataDir) || isNonEmptyDir(pgDataDir(dataDir))) {
    if (!options.force) {
      throw new AppError(
        "conflict",
        `${dataDir} holds a store already: restore into an empty data dir, or give --force to set the current one aside and restore`,
      );
    }
    // Taking the lock proves no other process uses the old store while it is moved.
    const old = await lockDataDir(dataDir, "restore");
    await old.release();
    movedAside = `${dataDir}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
    renameSync(dataDir, movedAside);
    options.onStep?.(`Moved the current store aside to ${movedAside}`);
  }
  mkdirSync(pgDataDir(dataDir), { recursive: true });
  const lock = await lockDataDir(dataDir, "restore");
  try {
    options.onStep?.(`Loading ${(data.length / 1e6).toFixed(1)} MB of data`);
    const applied = await loadDataDir(dataDir, new Blob([new Uint8Array(data)]));
    if (applied.join(",") !== manifest.migrations.join(",")) {
      throw new AppError(
        "unprocessable",
        "the restored store's migrations differ from the backup's manifest: the backup is not consistent",
      );
    }
  } finally {
    await lock.release();
  }
  return { manifest, dataDir, movedAside };
}
