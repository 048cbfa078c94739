import { createReadStream, createWriteStream, readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Argument, type Command, Option } from "commander";
import { exportFile, guessFormat, type ImportFormat, type ImportSummary, importFile } from "../transfer";
import { cliActor, openMigratedStore, printJson, report, runCommand } from "./context";
import { progressBar } from "./progress";
import { callServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// `parley import` and `parley export`: the CLI over src/transfer.

type ImportFlags = {
  format?: ImportFormat;
  idColumn?: string;
  dryRun?: boolean;
  createFields?: boolean;
  json?: boolean;
  workspace?: string;
};
type ExportFlags = { format?: ImportFormat; out?: string; workspace?: string };

/** The CLI acts with the owner's authority over the workspace it is pointed at. */
function printSummary(s: ImportSummary, dryRun: boolean) {
  const suppressed = s.suppressed ?? 0;
  const rejectedRows = s.total - s.created - s.updated - suppressed;
  const verb = dryRun ? "Would import" : "Imported";
  const skipped = suppressed ? `, ${suppressed} skipped (people who asked to be erased)` : "";
  console.log(
    `${verb} ${s.total} rows: ${s.created} created, ${s.updated} updated, ${rejectedRows} rejected${skipped}${dryRun ? " (dry run: nothing written)" : ""}`,
  );
  if (s.rejected.length) {
    console.log("\nRejected:");
    for (const r of s.rejected.slice(0, 50)) console.log(`  row ${r.row}${r.column ? ` [${r.column}]` : ""}: ${r.message}`);
    if (s.rejected.length > 50) console.log(`  … and ${s.rejected.length - 50} more (use --json for all)`);
  }
  if (s.warnings?.length) {
    console.log("\nKept, with a value left empty:");
    for (const r of s.warnings.slice(0, 20)) console.log(`  row ${r.row}${r.column ? ` [${r.column}]` : ""}: ${r.message}`);
    if (s.warnings.length > 20) console.log(`  … and ${s.warnings.length - 20} more (use --json for all)`);
  }
  if (s.unmapped_columns.length) {
    console.log("\nNot imported (no matching field; --create-fields adds them as custom fields):");
    for (const c of s.unmapped_columns) console.log(`  ${c.column} (looks like ${c.suggested_type})`);
  }
  const mapped = Object.entries(s.mapping);
  if (mapped.length) {
    console.log("\nColumns:");
    for (const [column, field] of mapped) console.log(`  ${column} → ${field}`);
  }
}

export function registerTransferCommands(program: Command) {
  const entity = new Argument("<entity>", "what the file holds").choices(["contacts", "organizations"]);
  const format = new Option("--format <format>", "file format (default: from the file's extension)").choices(["csv", "vcard"]);

  program
    .command("import")
    .description("Import contacts or organizations from a CSV or vCard file (FILE - reads standard input)")
    .addArgument(entity)
    .argument("<file>", "the file, or - for standard input")
    .addOption(format)
    .option("--id-column <column>", "column whose values key the rows (kept as external id; UID for vCard): importing again updates")
    .option("--dry-run", "check everything and report, write nothing")
    .option("--create-fields", "create custom fields for columns that match no field")
    .option("--json", "print one JSON summary")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .action(async (what: "contacts" | "organizations", file: string, opts: ImportFlags) => {
      const json = Boolean(opts.json);
      const chosen = opts.format ?? guessFormat({ fileName: file });
      if (!chosen) report(new Error(`cannot tell the format of "${file}": give --format csv or --format vcard`), json);
      let size: number | undefined;
      if (file !== "-") {
        try {
          const stat = statSync(file);
          if (!stat.isFile()) throw new Error("not a file");
          size = stat.size;
        } catch (err) {
          report(
            new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`),
            json,
          );
        }
      }
      const server = serverOnDataDir(opts.workspace);
      if (server) {
        // The running server owns the store: the file goes to its import endpoint.
        try {
          const text = file === "-" ? await readAll(process.stdin) : readFileSync(file, "utf8");
          const { data: summary } = await callServer<ImportSummary>(server, "POST", `/imports/${what}`, {
            query: {
              format: chosen,
              id_column: opts.idColumn,
              dry_run: opts.dryRun ? "true" : undefined,
              create_fields: opts.createFields ? "true" : undefined,
            },
            body: text,
            contentType: chosen === "vcard" ? "text/vcard" : "text/csv",
          });
          if (json) printJson(summary);
          else printSummary(summary, Boolean(opts.dryRun));
        } catch (err) {
          report(err, json);
        }
        return;
      }
      const store = await openMigratedStore();
      const bar = progressBar(size ? "{bar} {percentage}% | {rows} rows | {eta_formatted} left" : "{rows} rows read", { json });
      await runCommand(
        store,
        json,
        async () => {
          const workspaceId = await pickWorkspace(store.db, opts.workspace, json);
          bar?.start(size ?? 0, 0, { rows: 0 });
          const source = file === "-" ? process.stdin : createReadStream(file);
          const summary = await importFile(store.db, cliActor(workspaceId), source, {
            entity: what,
            format: chosen,
            idColumn: opts.idColumn,
            dryRun: Boolean(opts.dryRun),
            createFields: Boolean(opts.createFields),
            onProgress: (p) => bar?.update(size ? Math.min(p.bytes, size) : 0, { rows: p.rows }),
          });
          if (bar) {
            bar.update(size ?? 0, { rows: summary.total });
            bar.stop();
          }
          if (json) printJson(summary);
          else printSummary(summary, Boolean(opts.dryRun));
        },
        () => bar?.stop(),
      );
    });

  program
    .command("export")
    .description("Export contacts or organizations as CSV or vCard 4.0 (to standard output unless --out)")
    .addArgument(entity)
    .addOption(format)
    .option("--out <file>", "write to this file")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .action(async (what: "contacts" | "organizations", opts: ExportFlags) => {
      const chosen = opts.format ?? (opts.out ? guessFormat({ fileName: opts.out }) : undefined) ?? "csv";
      const server = serverOnDataDir(opts.workspace);
      if (server) {
        try {
          const { data } = await callServer<Response>(server, "GET", `/exports/${what}`, { query: { format: chosen } });
          if (!data.body) throw new Error("the server sent no file");
          const out = opts.out ? createWriteStream(opts.out) : process.stdout;
          await pipeline(Readable.fromWeb(data.body as import("node:stream/web").ReadableStream), out, { end: Boolean(opts.out) });
        } catch (err) {
          report(err, false);
        }
        return;
      }
      const store = await openMigratedStore();
      await runCommand(store, false, async () => {
        const workspaceId = await pickWorkspace(store.db, opts.workspace, false);
        const chunks = await exportFile(store.db, cliActor(workspaceId), { entity: what, format: chosen });
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        await pipeline(Readable.from(chunks), out, { end: Boolean(opts.out) });
      });
    });
}
