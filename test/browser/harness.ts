// What every browser test needs: the built web app served by a real `parley
// start` (its own temporary data directory) and a page in headless Chromium.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { freePort } from "../support/cli";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";

export type BrowserHarness = { base: string; page: Page; pageErrors: string[]; close: () => Promise<void> };

async function waitForHealth(base: string, child: ChildProcess, output: () => string) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`parley start exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function openBrowserHarness(name: string): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  // builds the web app (and the CLI bundle) when the sources are newer than the build, so a test never runs a stale app
  execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "pipe" });
  const dataDir = mkdtempSync(join(tmpdir(), `parley-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    PARLEY_DATA_DIR: join(dataDir, "data"),
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL; // the browser suite runs on the embedded store
  const server = spawn(process.execPath, [join(ROOT, "bin/parley.js"), "start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout?.on("data", (d) => {
    output += d;
  });
  server.stderr?.on("data", (d) => {
    output += d;
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base, server, () => output);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return { base, page, pageErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The first visitor creates the workspace on the sign-up form and lands in the inbox. */
export async function createWorkspace(
  page: Page,
  base: string,
  who: { name: string; email: string; password: string; workspace: string },
): Promise<void> {
  await page.goto(base);
  await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
  await page.getByLabel("Your name").fill(who.name);
  await page.getByRole("textbox", { name: "Email" }).fill(who.email);
  await page.getByRole("textbox", { name: "Password" }).fill(who.password);
  await page.getByLabel("Workspace name").fill(who.workspace);
  await page.getByLabel("Workspace name").press("Enter");
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
}

/** A Mastodon channel on the local fake instance following `hashtag`, polled once: its posts are in the inbox. */
export async function pollMastodon(page: Page, base: string, fake: { url: string; token: string }, hashtag: string): Promise<string> {
  const channel = await page.request.post(`${base}/api/v1/channels`, {
    data: { name: "Mastodon", network: "mastodon", config: { instance_url: fake.url, hashtag }, credentials: { access_token: fake.token } },
  });
  if (channel.status() !== 201) throw new Error(`channel not created: ${channel.status()} ${await channel.text()}`);
  const id = (await channel.json()).id as string;
  const poll = await page.request.post(`${base}/api/v1/channels/${id}/poll`);
  if (poll.status() !== 200) throw new Error(`poll failed: ${poll.status()} ${await poll.text()}`);
  return id;
}
