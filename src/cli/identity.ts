import type { Command } from "commander";
import { mergeContacts, mergeInputSchema, scanDuplicates, undoMerge } from "../identity";
import { AppError } from "../shared/errors";
import { isUuid } from "../shared/ids";
import { parseWith } from "../shared/validation";
import * as crm from "../store/crm";
import type { Db } from "../store/db";
import { cliActor, openMigratedStore, printJson, report, runCommand } from "./context";
import { progressBar } from "./progress";
import { callServer, type LocalServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley duplicates`, `parley merge`, `parley unmerge`: identity resolution from the shell.

/** A contact named by its external id (as imported with --id-column) or its Parley id. */
async function contactIdOf(db: Db, workspaceId: string, key: string, field: string): Promise<string> {
  const byExternal = await crm.findContactByExternalId(db, workspaceId, key);
  if (byExternal) return byExternal.id;
  if (isUuid(key) && (await crm.findContact(db, workspaceId, key.toLowerCase()))) return key.toLowerCase();
  throw new AppError("not_found", `${field}: no contact has the id or external id "${key}"`, [{ field, message: "no such contact" }]);
}

type MergeOutcome = Awaited<ReturnType<typeof mergeContacts>>;
type UndoOutcome = Awaited<ReturnType<typeof undoMerge>>;

/** contactIdOf through the running server's API: external id first, then Parley id. */
async function contactIdThrough(server: LocalServer, key: string, field: string): Promise<string> {
  const filter = JSON.stringify({ match: "all", conditions: [{ field: "external_id", op: "eq", value: key }] });
  const { data } = await callServer<{ data: Array<{ id: string; external_id: string | null }> }>(server, "GET", "/contacts", {
    query: { filter, limit: "2" },
  });
  const byExternal = data.data.find((c) => c.external_id === key);
  if (byExternal) return byExternal.id;
  if (isUuid(key)) {
    try {
      await callServer(server, "GET", `/contacts/${key.toLowerCase()}`);
      return key.toLowerCase();
    } catch (err) {
      if (!(err instanceof AppError && err.code === "not_found")) throw err;
    }
  }
  throw new AppError("not_found", `${field}: no contact has the id or external id "${key}"`, [{ field, message: "no such contact" }]);
}

export function registerIdentityCommands(program: Command) {
  program
    .command("duplicates")
    .description("Find likely duplicate contacts (and refresh the review queue); --json prints one JSON line per pair")
    .option("--threshold <x>", "minimum score 0..1 (default: the workspace's, else the engine's default)")
    .option("--no-save", "only print; leave the review queue as it is")
    .option("--json", "JSON lines: {a, b, score, evidence} with external ids where contacts have them")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .action(async (opts: { threshold?: string; save: boolean; json?: boolean; workspace?: string }) => {
      const json = Boolean(opts.json);
      const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
        report(new Error("--threshold must be a number from 0 to 1"), json);
      const store = await openMigratedStore();
      const bar = progressBar("{phase} {bar} {value}/{total}", { json });
      await runCommand(
        store,
        json,
        async () => {
          const workspaceId = await pickWorkspace(store.db, opts.workspace, json);
          let phase = "";
          const result = await scanDuplicates(store.db, workspaceId, {
            threshold,
            save: opts.save,
            onProgress: (p) => {
              if (!bar) return;
              if (p.phase !== phase) {
                if (phase) bar.stop();
                phase = p.phase;
                bar.start(p.total || p.done, p.done, { phase: p.phase.padEnd(8) });
              }
              bar.setTotal(Math.max(p.total, p.done));
              bar.update(p.done, { phase: p.phase.padEnd(8) });
            },
          });
          bar?.stop();
          if (json) {
            for (const p of result.pairs)
              printJson({ a: p.a_key, b: p.b_key, score: Math.round(p.score * 10_000) / 10_000, evidence: p.evidence });
          } else {
            for (const p of result.pairs.slice(0, 50))
              console.log(`${p.score.toFixed(3)}  ${p.a_key}  ${p.b_key}  ${p.evidence.join("; ")}`);
            if (result.pairs.length > 50) console.log(`… and ${result.pairs.length - 50} more (use --json for all)`);
            const s = result.timings;
            console.log(
              `${result.found} likely duplicate pair(s) among ${result.scanned} contacts at threshold ${result.threshold} ` +
                `(load ${(s.load_ms / 1000).toFixed(1)} s, match ${(s.match_ms / 1000).toFixed(1)} s${opts.save ? ", queued for review" : ""})`,
            );
          }
        },
        () => bar?.stop(),
      );
    });

  program
    .command("merge")
    .description("Merge contact B into contact A (ids or external ids); emails, phones, tags are unioned, everything of B moves to A")
    .argument("<a>", "contact to keep (unless --keep says otherwise)")
    .argument("<b>", "contact to merge into it")
    .option("--keep <which>", "which one survives: A or B, or its id (default: A)")
    .option("--prefer <fields>", "comma-separated fields whose value comes from the merged contact (e.g. name,city,custom.plan)")
    .option("--reason <text>", "why: kept in the audit trail")
    .option("--json", "print the merge and the resulting contact as JSON")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .action(async (a: string, b: string, opts: { keep?: string; prefer?: string; reason?: string; json?: boolean; workspace?: string }) => {
      const json = Boolean(opts.json);
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        const workspaceId = store ? await pickWorkspace(store.db, opts.workspace, json) : "";
        const idOf = (key: string, field: string) =>
          store ? contactIdOf(store.db, workspaceId, key, field) : server ? contactIdThrough(server, key, field) : key;
        const idA = await idOf(a, "a");
        const idB = await idOf(b, "b");
        const k = opts.keep;
        const keepB = k !== undefined && (k.toUpperCase() === "B" || k === b || k.toLowerCase() === idB);
        if (k !== undefined && !keepB && !(k.toUpperCase() === "A" || k === a || k.toLowerCase() === idA)) {
          throw new AppError("validation_error", `--keep: "${k}" is neither A nor B`, [{ field: "keep", message: "must name A or B" }]);
        }
        const fields = Object.fromEntries(
          (opts.prefer ?? "")
            .split(",")
            .map((f) => f.trim())
            .filter(Boolean)
            .map((f) => [f, "merge" as const]),
        );
        const input = { keep: keepB ? idB : idA, merge: keepB ? idA : idB, fields, ...(opts.reason ? { reason: opts.reason } : {}) };
        const out: MergeOutcome = store
          ? await mergeContacts(store.db, cliActor(workspaceId), parseWith(mergeInputSchema, input))
          : (await callServer<MergeOutcome>(server as LocalServer, "POST", "/contacts:merge", { json: input })).data;
        if (json) printJson(out);
        else
          console.log(
            `Merged "${out.merge.merged_name}" into "${out.contact.name}" (${out.contact.id}); undo with: parley unmerge ${out.merge.id}`,
          );
      });
    });

  program
    .command("unmerge")
    .description("Undo a merge: both contacts and every moved record come back exactly as before")
    .argument("<merge-id>", "the id printed by `parley merge`")
    .option("--json", "print the result as JSON")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .action(async (mergeId: string, opts: { json?: boolean; workspace?: string }) => {
      const json = Boolean(opts.json);
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        const workspaceId = store ? await pickWorkspace(store.db, opts.workspace, json) : "";
        if (!isUuid(mergeId))
          throw new AppError("validation_error", "merge-id: must be a merge id (UUID)", [{ field: "merge_id", message: "must be a UUID" }]);
        const out: UndoOutcome = store
          ? await undoMerge(store.db, cliActor(workspaceId), mergeId.toLowerCase())
          : (await callServer<UndoOutcome>(server as LocalServer, "POST", `/merges/${mergeId.toLowerCase()}:undo`)).data;
        if (json) printJson(out);
        else console.log(`Undone: "${out.contacts[0]?.name}" and "${out.contacts[1]?.name}" are separate again`);
      });
    });
}
