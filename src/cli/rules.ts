import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import type { AlertStatus } from "../contracts/rules";
import { checkAlertsNow, exportRules, importRules, listAlerts } from "../rules";
import { AppError } from "../shared/errors";
import { cliActor, openMigratedStore, printJson, report, runCommand } from "./context";
import { terminalLine } from "./output";
import { callServer, type LocalServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley rules export|import`: rule sets as JSON, keyed by each rule's stable key,
// so a file kept in version control can be imported again (updates, no duplicates).
// `parley rules alerts`: the threshold alert rules, their state and their metric now.

type ImportOutcome = Awaited<ReturnType<typeof importRules>>;

export function registerRulesCommands(program: Command) {
  const rules = program.command("rules").description("Automation rules: export and import as JSON");

  rules
    .command("export")
    .description("Write the workspace's rules as JSON (standard output unless --file)")
    .option("--file <file>", "write to this file")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "print a JSON summary when writing to --file")
    .action(async (opts: { file?: string; workspace?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const store = await openMigratedStore();
      await runCommand(store, json, async () => {
        const workspaceId = await pickWorkspace(store.db, opts.workspace, json);
        const data = await exportRules(store.db, workspaceId);
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.file) {
          writeFileSync(opts.file, text);
          if (json) printJson({ file: opts.file, rules: data.rules.length });
          else process.stderr.write(`${data.rules.length} rules written to ${opts.file}\n`);
        } else process.stdout.write(text);
      });
    });

  rules
    .command("import")
    .description("Import rules from a JSON file (FILE - reads standard input); rules are matched by key")
    .argument("<file>", "the file, or - for standard input")
    .option("--replace", "delete the rules whose keys are not in the file")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "print one JSON summary")
    .action(async (file: string, opts: { replace?: boolean; workspace?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      let raw: unknown;
      try {
        const text = readFileSync(file === "-" ? 0 : file, "utf8");
        try {
          raw = JSON.parse(text);
        } catch (err) {
          throw new AppError("validation_error", `${file} is not JSON: ${(err as Error).message}`);
        }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        report(e.code === "ENOENT" ? new Error(`cannot read ${file}: no such file`) : err, json);
      }
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        const summary: ImportOutcome = store
          ? await importRules(store.db, await pickWorkspace(store.db, opts.workspace, json), raw, {
              replace: Boolean(opts.replace),
              actor: "cli",
            })
          : (
              await callServer<ImportOutcome>(server as LocalServer, "POST", "/rules:import", {
                query: { replace: opts.replace ? "true" : undefined },
                json: raw,
              })
            ).data;
        if (json) printJson(summary);
        else
          process.stdout.write(
            `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged${opts.replace ? `, ${summary.deleted} deleted` : ""}\n`,
          );
      });
    });

  rules
    .command("alerts")
    .description("Threshold alert rules: firing or armed, crossings, and each metric now (--check measures and fires now)")
    .option("--check", "measure now, as the alert worker does every minute: crossings fire their rules")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "print JSON")
    .action(async (opts: { check?: boolean; workspace?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        const actor = store ? cliActor(await pickWorkspace(store.db, opts.workspace, json)) : null;
        const call = async <T>(method: "GET" | "POST", path: string) => (await callServer<T>(server as LocalServer, method, path)).data;
        const checked = !opts.check
          ? null
          : store && actor
            ? await checkAlertsNow(store.db, actor)
            : await call<Awaited<ReturnType<typeof checkAlertsNow>>>("POST", "/alerts:check");
        const { data } = store && actor ? await listAlerts(store.db, actor) : await call<{ data: AlertStatus[] }>("GET", "/alerts");
        if (json) return printJson(checked ? { checked, alerts: data } : { alerts: data });
        if (checked) process.stdout.write(`${checked.checked} checked, ${checked.fired} fired, ${checked.rearmed} re-armed\n`);
        if (data.length === 0) process.stdout.write("No alert rules (a rule with trigger alert.threshold).\n");
        for (const a of data) {
          const state = a.firing ? `FIRING since ${a.fired_at}` : "armed";
          const line = `${a.name} [${a.enabled ? state : "disabled"}, ${a.crossings} crossings]: ${a.current.summary}`;
          // a rule's name is typed by people: no control characters reach the terminal
          process.stdout.write(`${terminalLine(line)}\n`);
        }
      });
    });
}
