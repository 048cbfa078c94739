import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, registerAll, requestedCommand } from "../src/cli/commands";
import { ROOT } from "./support/cli";

// `parley` loads only the module of the command asked for; the top-level help is listed from
// the table in src/cli/commands.ts. These tests keep that table true to what the modules register.

const run = promisify(execFile);

describe("the command table", () => {
  it("names every top-level command the modules register, with the same description, and nothing else", async () => {
    const program = new Command();
    await registerAll(program);
    const registered = Object.fromEntries(program.commands.map((c) => [c.name(), c.description()]));
    const listed = Object.fromEntries(COMMANDS.map((c) => [c.name, c.description]));
    expect(listed).toEqual(registered);
  });

  it("each entry's module registers its command", async () => {
    for (const entry of COMMANDS) {
      const program = new Command();
      for (const register of await entry.load()) register(program);
      expect(program.commands.map((c) => c.name())).toContain(entry.name);
    }
  });

  it("reads the command from argv, `help X` included", () => {
    expect(requestedCommand(["node", "parley", "import", "contacts", "x.csv"])?.name).toBe("import");
    expect(requestedCommand(["node", "parley", "help", "rules"])?.name).toBe("rules");
    expect(requestedCommand(["node", "parley", "--help"])).toBeUndefined();
    expect(requestedCommand(["node", "parley", "nonsense"])).toBeUndefined();
  });

  it("`parley --help` lists every command; an unknown command is an error naming it", async () => {
    const bin = resolve(ROOT, "bin/parley.js");
    const { stdout } = await run(process.execPath, [bin, "--help"], { cwd: ROOT });
    for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${c.name}\\b`, "m"));
    const unknown = await run(process.execPath, [bin, "nonsense"], { cwd: ROOT }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(unknown?.code).toBe(1);
    expect(unknown?.stderr).toMatch(/unknown command 'nonsense'/);
    const sub = await run(process.execPath, [bin, "rules", "--help"], { cwd: ROOT });
    expect(sub.stdout).toMatch(/export/);
    expect(sub.stdout).toMatch(/import/);
  }, 120_000);
});
