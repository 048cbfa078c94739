// Account security in the real browser (issue 13): turn on two-factor sign-in from Settings →
// Security with the key the page shows, sign out and back in with a code computed from that key
// (as an authenticator app would), sign out another browser's session from the list, and let that
// browser back in with a recovery code.
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const EMAIL = "grace@example.com";
const PASSWORD = "cobol-compiler";

describe("account security", { timeout: 240_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("account-security");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function signInWithPassword(p: Page) {
    await p.goto(base);
    await p.getByRole("heading", { name: "Sign in" }).waitFor();
    await p.getByRole("textbox", { name: "Email" }).fill(EMAIL);
    await p.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
    await p.getByRole("button", { name: "Sign in" }).click();
  }

  it("enables 2FA, signs in with a code, and revokes another browser's session", async () => {
    await createWorkspace(page, base, { name: "Grace Hopper", email: EMAIL, password: PASSWORD, workspace: "Navy Labs" });

    // A second browser signs in while two-factor sign-in is still off.
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    const other = await browser.newContext({ userAgent: "Other Laptop Browser" });
    const second = await other.newPage();
    await signInWithPassword(second);
    await second.getByRole("heading", { name: "Inbox" }).waitFor();

    // Settings → Security, reached from the account menu.
    await page.getByRole("button", { name: /Account menu for/ }).click();
    await page.getByRole("menuitem", { name: "Security and sessions" }).click();
    const twoFactor = page.getByRole("region", { name: "Two-factor sign-in" });
    await twoFactor.getByRole("button", { name: "Set up an authenticator app" }).click();
    await twoFactor.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    const secret = ((await twoFactor.getByLabel("Secret key").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const code = (offsetMs = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offsetMs });
    await twoFactor.getByLabel("Code from the app").fill(code());
    await twoFactor.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    const codeItems = twoFactor.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await codeItems.first().waitFor();
    const codes = await codeItems.allTextContents();
    expect(codes).toHaveLength(10);
    await twoFactor.getByRole("button", { name: "I have saved them" }).click();
    await twoFactor.getByText("10 of 10 recovery codes left").waitFor();

    // The other browser's session is listed, and signing it out ends it there.
    const sessions = page.getByRole("table", { name: "Sessions" });
    await sessions.getByText("Other Laptop Browser").waitFor();
    await sessions.getByRole("button", { name: "Sign out session from Other Laptop Browser" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign out" }).click();
    await sessions.getByText("Other Laptop Browser").waitFor({ state: "detached" });
    await second.reload();
    await second.getByRole("heading", { name: "Sign in" }).waitFor();

    // Sign out, then in again: the password alone is not enough any more.
    await page.getByRole("button", { name: /Account menu for/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await signInWithPassword(page);
    await page.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
    const wrong = code(30_000) === "000000" ? "111111" : "000000";
    await page.getByLabel("Authentication code").fill(wrong);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("alert").getByText("The code is wrong or was already used").waitFor();
    // The app's next code (the step after the one that confirmed the set-up: each code counts once).
    await page.getByLabel("Authentication code").fill(code(30_000));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Inbox" }).waitFor();

    // The signed-out browser comes back with a recovery code.
    await signInWithPassword(second);
    await second.getByLabel("Authentication code").fill(codes[0] ?? "");
    await second.getByRole("button", { name: "Verify" }).click();
    await second.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.goto(`${base}/settings/security`);
    await page.getByRole("region", { name: "Two-factor sign-in" }).getByText("9 of 10 recovery codes left").waitFor();

    await other.close();
    expect(harness.pageErrors).toEqual([]);
  });
});
