import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { BUNDLE, newestUnder } from "../scripts/build.mjs";
import { ROOT } from "./support/cli";

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "parley-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const line = `${JSON.stringify({ id: "a", text: "My order never arrived and nobody answers. I want a refund!" })}\n`;

async function classifyWith(entry: string, env: Record<string, string> = {}) {
  const child = execFile(process.execPath, [entry, "classify"], { cwd: ROOT, env: { ...process.env, ...env } });
  child.stdin?.end(line);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  const code = await new Promise<number>((r) => child.on("close", (c) => r(c ?? 1)));
  return { code, out };
}

describe("the built CLI (what `npm install` prepares)", () => {
  it("the bundle runs from dist/bin and finds the repository's data (the model) as the sources do", async () => {
    // builds only what is stale; writes the bundle by rename, so CLI tests running meanwhile never see half a file
    await run(process.execPath, [resolve(ROOT, "scripts/build.mjs")], { cwd: ROOT });
    expect(existsSync(BUNDLE)).toBe(true);
    const built = await classifyWith(BUNDLE);
    const source = await classifyWith(resolve(ROOT, "bin/parley.js"), { PARLEY_FROM_SOURCE: "1" });
    expect(built.code).toBe(0);
    expect(source.code).toBe(0);
    const analysis = JSON.parse(built.out);
    expect(analysis.id).toBe("a");
    expect(analysis.labels).toContain("complaint");
    // same code, same answer, whichever way it was loaded
    expect(built.out).toBe(source.out);
  }, 120_000);

  it("a bundle older than any source file counts as stale (bin/parley.js then runs the sources)", () => {
    const dir = join(scratch, "src/area");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.ts"), "export {};\n");
    writeFileSync(join(dir, "b.ts"), "export {};\n");
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, "b.ts"), later, later);
    // the newest file decides, however deep
    expect(Math.abs(newestUnder(join(scratch, "src")) - later.getTime())).toBeLessThan(1000);
    expect(newestUnder(join(scratch, "missing"))).toBe(0);
  });

  it("`build.mjs --check` says what is stale without building", async () => {
    const { stdout } = await run(process.execPath, [resolve(ROOT, "scripts/build.mjs"), "--check"], { cwd: ROOT });
    expect(stdout).toMatch(/^(fresh|stale): CLI and server bundle/m);
    expect(stdout).toMatch(/^(fresh|stale): web app/m);
  });
});
