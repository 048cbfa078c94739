import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { cliActor } from "../accounts";
import { eraseContact, exportSubject } from "../audit";
import type { ErasureResult } from "../contracts";
import { openMigratedStore, printJson, report, runCommand } from "./context";
import { callServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley privacy export CONTACT_ID`: everything held about a person as a zip (subject.json
// and a CSV per table), through the running server when one owns the data dir.

type Flags = { out?: string; workspace?: string; json?: boolean };

function printDone(file: string, bytes: number, json: boolean) {
  if (json) printJson({ file, bytes });
  else console.log(`Wrote everything held about the contact to ${file} (${bytes} bytes)`);
}

export function registerPrivacyCommands(program: Command) {
  const privacy = program.command("privacy").description("Privacy requests: export or erase everything held about a person");
  privacy
    .command("export")
    .description("Export everything held about a contact (profiles, messages, cases, deals, votes, notes, audit) as a zip")
    .argument("<contact-id>", "the contact's id")
    .option("--out <file>", "where to write the zip (default: privacy-export-<id>.zip)")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "machine-readable output")
    .action(async (contactId: string, opts: Flags) => {
      const json = Boolean(opts.json);
      const file = resolve(opts.out ?? `privacy-export-${contactId}.zip`);
      const server = serverOnDataDir(opts.workspace);
      if (server) {
        try {
          const { response } = await callServer<Response>(server, "GET", `/contacts/${encodeURIComponent(contactId)}/privacy-export`);
          const bytes = Buffer.from(await response.arrayBuffer());
          writeFileSync(file, bytes);
          printDone(file, bytes.length, json);
        } catch (err) {
          report(err, json);
        }
        return;
      }
      const store = await openMigratedStore("privacy");
      await runCommand(store, json, async () => {
        const workspaceId = await pickWorkspace(store.db, opts.workspace, json);
        const out = await exportSubject(store.db, cliActor(workspaceId), contactId);
        writeFileSync(file, out.archive);
        printDone(file, out.archive.length, json);
      });
    });
  privacy
    .command("erase")
    .description("Erase a contact irreversibly: profiles, votes, notes, activities and consent go, messages stay as tombstones")
    .argument("<contact-id>", "the contact's id")
    .requiredOption("--confirm <name>", "the contact's name, typed again")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "machine-readable output")
    .action(async (contactId: string, opts: Flags & { confirm: string }) => {
      const json = Boolean(opts.json);
      const done = (r: ErasureResult) => {
        if (json) printJson(r);
        else
          console.log(
            `Erased contact ${r.contact_id}: ${r.messages_tombstoned} messages kept as tombstones, ${r.profiles_deleted} profiles deleted, ${r.suppressions} identities suppressed`,
          );
      };
      const server = serverOnDataDir(opts.workspace);
      if (server) {
        try {
          const path = `/contacts/${encodeURIComponent(contactId)}/privacy-erase`;
          done((await callServer<ErasureResult>(server, "POST", path, { json: { confirm_name: opts.confirm } })).data);
        } catch (err) {
          report(err, json);
        }
        return;
      }
      const store = await openMigratedStore("privacy");
      await runCommand(store, json, async () => {
        const workspaceId = await pickWorkspace(store.db, opts.workspace, json);
        done(await eraseContact(store.db, cliActor(workspaceId), contactId, opts.confirm));
      });
    });
}
