import { Command } from "commander";
import { COMMANDS, requestedCommand } from "./commands";
import { fail } from "./output";

// `parley`: loads the module of the command asked for (src/cli/commands.ts), attaches the
// domain's event subscribers (src/wiring.ts) and runs it. Help without a command lists the
// commands from the table alone, loading nothing else.

async function main() {
  const program = new Command();
  program.name("parley").description("Parley — the open-source Social CRM").showHelpAfterError();
  const entry = requestedCommand(process.argv);
  if (entry) {
    const [wiring, registers] = await Promise.all([entry.wired === false ? null : import("../wiring"), entry.load()]);
    // a command that works on the store runs the domain with its event subscribers attached
    wiring?.wire();
    for (const register of registers) register(program);
  } else {
    for (const c of COMMANDS) program.command(c.name).description(c.description);
  }
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err));
});
