// Issue 12 items 6, 8 and 9 in the real browser: the app and the API docs run
// under the Content-Security-Policy with no violation; a name carrying a
// right-to-left override does not reorder the text around it; once the first
// workspace exists the sign-up page says sign-up is closed.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, openBrowserHarness } from "./harness";

describe("browser security", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("security");
    ({ page, base, pageErrors } = harness);
    page.on("console", (msg) => {
      if (/Content.Security.Policy|Refused to/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("runs the app and the API docs under the CSP, isolates bidi overrides, and closes sign-up", async () => {
    const response = await page.goto(base);
    expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByLabel("Workspace name").fill("Difference Co");
    await page.getByLabel("Workspace name").press("Enter");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();

    const keyResponse = await page.request.post(`${base}/api/v1/api-keys`, { data: { name: "Ingest bot", role: "agent" } });
    const { secret } = (await keyResponse.json()) as { secret: string };
    const batch = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        messages: [
          {
            network: "x",
            external_id: "bidi-1",
            author: { id: "77", handle: "annie", display_name: "Ann \u202Egnp.exe" },
            text: "Look at \u202Etxt.exe please",
            created_at: new Date().toISOString(),
          },
        ],
      },
    });
    expect(batch.status(), await batch.text()).toBeLessThan(300);

    await page.reload();
    const row = page.getByTestId("conversation-row").filter({ hasText: "annie" }).first();
    await row.waitFor();
    // The handle comes after the name on screen, as in the markup: the override stays inside the name.
    const name = row.locator("bdi").filter({ hasText: "Ann" }).first();
    const handle = row.locator("bdi", { hasText: "annie" }).first();
    const nameBox = await name.boundingBox();
    const handleBox = await handle.boundingBox();
    expect(nameBox && handleBox).toBeTruthy();
    if (nameBox && handleBox) expect(handleBox.x).toBeGreaterThanOrEqual(nameBox.x + nameBox.width - 1);
    expect(await name.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe("isolate");

    // Other pages render under the policy too.
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("heading", { name: "Contacts" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await page.getByRole("switch", { name: /Open sign-up/ }).waitFor();

    await page.goto(`${base}/api/docs`);
    await page.getByText("Parley API").first().waitFor();
    await page.locator(".opblock").first().waitFor();

    // Signed out, a stranger finds sign-up closed and is told to ask for an invitation.
    const signout = await page.request.post(`${base}/api/v1/auth/signout`);
    expect(signout.status()).toBe(204);
    await page.goto(`${base}/signup`);
    await page.getByRole("heading", { name: "Sign-up is closed" }).waitFor();
    await page.getByText(/invite you/).waitFor();
    await page.goto(base);
    await page.getByText("Ask a workspace admin for an invitation").waitFor();

    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);

    // The listener does hear violations: an injected inline script is refused and reported.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.body.appendChild(script);
    });
    await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });
});
