import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { fmt } from "./bench-support";

// `parley bench startup`: how long a user waits for the command line and the server, cold, each beside
// `node -e 0` measured in the same run (alternated, A B A B, so a busy machine slows both alike).
// Rows of issue #15: `parley --help` and `parley classify` of one text (target ≤ 0.5 s, ≤ 12 × node),
// and `parley start` to its first answered request on a new data dir and on an existing one
// (target ≤ 5 s; the web app is built at install, never at start). Printed, never asserted.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The command that runs this CLI again: the same node, the same entry script. */
function parleyCommand(): [string, string[]] {
  return [process.execPath, [process.argv[1] as string]];
}

function timeRun(cmd: string, args: string[], input?: string): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { input, stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** Starts `parley start` on the data dir and returns the ms until its web app answered 200. */
async function timeStart(dataDir: string): Promise<number> {
  const [node, entry] = parleyCommand();
  const port = await freePort();
  const env = { ...process.env, PARLEY_DATA_DIR: dataDir, LOG_LEVEL: "warn" } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(node, [...entry, "start", "--port", String(port), "--host", "127.0.0.1"], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`parley start exited (${child.exitCode}): ${stderr.slice(0, 300)}`);
      if (performance.now() - started > 120_000) throw new Error("parley start did not answer within 120 s");
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        if (res.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

export async function benchStartup(o: { runs: number }) {
  const [node, entry] = parleyCommand();
  const bare: number[] = [];
  const help: number[] = [];
  const classify: number[] = [];
  const line = `${JSON.stringify({ id: "1", text: "the app keeps crashing when I pay, please fix it" })}\n`;
  for (let i = 0; i < o.runs; i++) {
    bare.push(timeRun(node, ["-e", "0"]));
    help.push(timeRun(node, [...entry, "--help"]));
    bare.push(timeRun(node, ["-e", "0"]));
    classify.push(timeRun(node, [...entry, "classify"], line));
  }
  const node0 = median(bare);
  const row = (name: string, xs: number[]) => {
    const m = median(xs);
    console.log(
      `${name.padEnd(34)} median ${fmt(m)} ms  = ${(m / node0).toFixed(1)} × node -e 0 (${fmt(node0)} ms)  target ≤ 500 ms and ≤ 12 ×`,
    );
  };
  console.log(`cold commands, ${o.runs} runs each, alternated with node -e 0:`);
  row("parley --help", help);
  row("parley classify (one text)", classify);

  const scratch = mkdtempSync(resolve(tmpdir(), "parley-bench-startup-"));
  try {
    const fresh: number[] = [];
    const again: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(o.runs, 3)); i++) {
      const dir = resolve(scratch, `data-${i}`);
      fresh.push(await timeStart(dir));
      again.push(await timeStart(dir));
    }
    console.log("parley start → first page answered (embedded store; web app built at install):");
    console.log(`  new data dir (creates the store, runs every migration)  median ${fmt(median(fresh))} ms  target ≤ 5,000 ms`);
    console.log(`  existing data dir                                     median ${fmt(median(again))} ms  target ≤ 5,000 ms`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
