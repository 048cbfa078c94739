import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../..");
export const PARLEY = resolve(ROOT, "bin/parley.js");

/** A scratch data dir for a CLI or server process; removed by cleanup(). */
export function scratchDataDir() {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cliEnv(dataDir: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PARLEY_DATA_DIR: dataDir, LOG_LEVEL: "warn", ...extra };
  // The CLI suite runs on the embedded store unless a server is named for tests.
  delete env.DATABASE_URL;
  return env;
}

export async function parley(args: string[], env: Record<string, string>, input?: string) {
  if (input !== undefined) {
    return new Promise<{ stdout: string; stderr: string; code: number }>((resolvePromise) => {
      const child = spawn(process.execPath, [PARLEY, ...args], { env, cwd: ROOT });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("close", (code) => resolvePromise({ stdout, stderr, code: code ?? 1 }));
      child.stdin.end(input);
    });
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [PARLEY, ...args], { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : 1 };
  }
}

/** Starts `parley start` on a free port; resolves once /api/health answers. */
export async function startServerProcess(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [PARLEY, "start", "--port", String(port), "--host", "127.0.0.1"], {
    env: { ...env, PARLEY_SKIP_WEB_BUILD: "1" },
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return { child, base };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start: ${log}`);
}

export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolvePromise) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}

/** The first user and workspace of a data dir, made as a user would (`parley user create`); throws with the CLI's words on failure. */
export async function createFirstUser(env: Record<string, string>, workspaceName = "Acme") {
  const made = await parley(
    ["user", "create", "--email", "a@b.co", "--name", "A", "--password", "password1", "--workspace-name", workspaceName, "--json"],
    env,
  );
  if (made.code !== 0) throw new Error(`parley user create failed: ${made.stderr}`);
  return made;
}
