import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { type BackupManifest, readBackup, restoreBackup, takeBackup } from "../audit";
import { AppError } from "../shared/errors";
import { resolveStoreOptions } from "../store/db";
import { openMigratedStore, printJson, report, runCommand } from "./context";
import { progressBar } from "./progress";
import { callServer, serverOnDataDir } from "./server-client";

// `parley backup FILE` and `parley restore FILE` for the embedded store. While `parley start`
// runs on the data dir, the backup is the server's (POST /api/v1/admin/backup): one process
// owns a PGlite data dir, and the server takes the copy between two queries.

const PG_DUMP_HINT = "DATABASE_URL names a PostgreSQL server: back it up with pg_dump and restore with pg_restore (see README, Backups)";

type Flags = { json?: boolean; workspace?: string; force?: boolean };

const megabytes = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** A byte-counting progress bar on a terminal (none under --json or when stderr is not a terminal). */
function byteBar(json: boolean, label: string) {
  return progressBar(`${label} {bar} {percentage}% | {value_mb} of {total_mb}`, { json });
}

function step(json: boolean, message: string) {
  if (!json && process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

/** Writes the chunks to FILE.partial, then renames it: a failed backup never leaves a half file under FILE. */
async function writeAtomically(file: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, total: number, json: boolean) {
  const partial = `${file}.partial`;
  const bar = byteBar(json, "Writing");
  const fd = openSync(partial, "w");
  let written = 0;
  try {
    bar?.start(total, 0, { value_mb: megabytes(0), total_mb: megabytes(total) });
    for await (const chunk of chunks) {
      writeSync(fd, chunk);
      written += chunk.length;
      bar?.update(Math.min(written, total), { value_mb: megabytes(written), total_mb: megabytes(total) });
    }
    bar?.stop();
    closeSync(fd);
    renameSync(partial, file);
  } catch (err) {
    bar?.stop();
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  return written;
}

function printBackup(file: string, bytes: number, manifest: BackupManifest, via: string, json: boolean) {
  if (json) printJson({ file, bytes, via, manifest });
  else
    console.log(
      `Backed up ${manifest.workspaces} workspace(s) to ${file} (${megabytes(bytes)}, migration level ${manifest.migration_level ?? "none"}, ${via})`,
    );
}

async function backupThroughServer(file: string, opts: Flags) {
  const server = serverOnDataDir(opts.workspace);
  if (!server) return false;
  const json = Boolean(opts.json);
  step(json, `Parley is running (pid ${server.pid}): asking it for a consistent copy…`);
  try {
    const { response } = await callServer<Response>(server, "POST", "/admin/backup");
    const total = Number(response.headers.get("content-length") ?? 0);
    if (!response.body) throw new AppError("internal", "the server answered no backup file");
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    const bytes = await writeAtomically(file, body, total, json);
    // Read back and checked whole, as restore will check it.
    const { manifest } = readBackup(readFileSync(file));
    printBackup(file, bytes, manifest, `taken by the running server on port ${server.port}`, json);
  } catch (err) {
    report(err, json);
  }
  return true;
}

export function registerBackupCommands(program: Command) {
  program
    .command("backup")
    .description("Back up the embedded store (every workspace) to FILE; through the running server when one owns the data dir")
    .argument("<file>", "where to write the backup")
    .option("--workspace <id-or-name>", "with a running server and several workspaces: the first workspace, whose owner backs up")
    .option("--json", "machine-readable output")
    .action(async (fileArg: string, opts: Flags) => {
      const json = Boolean(opts.json);
      const file = resolve(fileArg);
      if (resolveStoreOptions().databaseUrl) report(new AppError("bad_request", PG_DUMP_HINT), json);
      if (await backupThroughServer(file, opts)) return;
      const store = await openMigratedStore("backup");
      await runCommand(store, json, async () => {
        step(json, `Dumping ${store.describe}…`);
        const backup = await takeBackup(store.db, store.dump, null);
        const bytes = await writeAtomically(file, backup.parts, backup.bytes, json);
        printBackup(file, bytes, backup.manifest, store.describe, json);
      });
    });

  program
    .command("restore")
    .description("Restore the embedded store from a backup FILE into the data dir ($PARLEY_DATA_DIR or ./.parley)")
    .argument("<file>", "a file written by `parley backup`")
    .option("--force", "restore over a data dir that holds a store: the current one is moved aside, not deleted")
    .option("--json", "machine-readable output")
    .action(async (fileArg: string, opts: Flags) => {
      const json = Boolean(opts.json);
      const options = resolveStoreOptions();
      try {
        if (options.databaseUrl) throw new AppError("bad_request", PG_DUMP_HINT);
        const dataDir = resolve(options.dataDir ?? ".parley");
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(resolve(fileArg));
        } catch (err) {
          throw new AppError("validation_error", `cannot read ${fileArg}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, [
            { field: "file", message: "cannot be read" },
          ]);
        }
        step(json, `Checking ${fileArg} (${megabytes(bytes.length)})…`);
        const result = await restoreBackup(bytes, dataDir, { force: Boolean(opts.force), onStep: (s) => step(json, s) });
        if (json) printJson({ data_dir: result.dataDir, moved_aside: result.movedAside, manifest: result.manifest });
        else
          console.log(
            `Restored ${result.manifest.workspaces} workspace(s) from ${fileArg} (taken ${result.manifest.created_at}) into ${result.dataDir}` +
              (result.movedAside ? `; the previous store is kept in ${result.movedAside}` : ""),
          );
      } catch (err) {
        report(err, json);
      }
    });
}
