// The web app end to end: the built bundle served by the real Parley server
// (its own temporary data directory), driven in headless Chromium. Selectors
// go by role and label, so the test also proves every control is labelled.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

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

describe("web app", () => {
  let dataDir = "";
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let base = "";
  let serverOutput = "";
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
    if (!existsSync(join(ROOT, "web/dist/index.html"))) {
      execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build"], { cwd: ROOT, stdio: "pipe" });
    }
    dataDir = mkdtempSync(join(tmpdir(), "parley-browser-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [join(ROOT, "bin/parley.js"), "start"], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), PARLEY_DATA_DIR: join(dataDir, "data"), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (d) => {
      serverOutput += d;
    });
    server.stderr?.on("data", (d) => {
      serverOutput += d;
    });
    await waitForHealth(base, server, () => serverOutput);

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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs up, adds a custom field, a contact and a note, finds it, and signs out", async () => {
    // A fresh install offers to create the first workspace.
    await page.goto(base);
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    expect(await page.getByLabel("Your name").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByLabel("Workspace name").fill("Difference Co");
    await page.getByLabel("Workspace name").press("Enter"); // Enter submits the form
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("heading", { name: "Contacts" }).waitFor();
    await page.getByText("No contacts yet").waitFor();
    expect(await page.getByTestId("workspace-name").textContent()).toBe("Difference Co");

    // Settings → Custom fields: the key is derived from the label.
    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await page.getByRole("tab", { name: "Custom fields" }).click();
    await page.getByLabel("Label").fill("Loyalty tier");
    expect(await page.getByRole("textbox", { name: "Key" }).inputValue()).toBe("loyalty_tier");
    await page.getByRole("button", { name: "Add field" }).click();
    await page.getByRole("cell", { name: "Loyalty tier", exact: true }).waitFor();
    await page.getByRole("cell", { name: "loyalty_tier", exact: true }).waitFor();

    // A new contact, with the custom field filled in.
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("button", { name: "New contact" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.waitFor();
    await dialog.getByLabel("First name").fill("Grace");
    await dialog.getByLabel("Last name").fill("Hopper");
    await dialog.getByRole("combobox", { name: "Emails" }).fill("grace@example.com");
    await dialog.getByLabel("Loyalty tier").fill("Platinum");
    await dialog.getByRole("button", { name: "Create contact" }).click();
    await page.getByRole("heading", { name: /Grace Hopper/ }).waitFor();
    await page.getByText("Platinum", { exact: true }).waitFor();
    await page.getByRole("link", { name: "grace@example.com" }).waitFor();

    // A note on the timeline; markup in it stays text.
    const note = "Asked about the <b>renewal</b> & pricing";
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByText("Nothing on the timeline yet").waitFor();
    await page.getByRole("textbox", { name: "Note text" }).fill(note);
    await page.getByRole("button", { name: "Add note" }).click();
    await timeline.getByText(note, { exact: true }).waitFor();
    expect(await timeline.locator("b").count()).toBe(0);

    // The list finds the contact by search, and says so when nothing matches.
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill("Hopper");
    await page.waitForURL(/q=Hopper/);
    const table = page.getByRole("table", { name: "Contacts" });
    await table.getByRole("link", { name: "Grace Hopper" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(2); // header + Grace
    await search.fill("no-such-person-xyz");
    await page.getByText("No contacts match").waitFor();
    expect(await page.getByRole("link", { name: "Grace Hopper" }).count()).toBe(0);
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await table.getByRole("link", { name: "Grace Hopper" }).waitFor();

    // Signing out returns to the sign-in form, and signing in works again.
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByRole("textbox", { name: "Password" }).press("Enter");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);

    expect(pageErrors).toEqual([]);
  });
});
