// Privacy in the web app (issue 13): consent recorded in the person view, erasure armed only by
// typing the name again, and Settings → Privacy showing what retention would delete before it runs.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("privacy pages", { timeout: 240_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("privacy");
    ({ page, base } = harness);
    await createWorkspace(page, base, {
      name: "Pia Privacy",
      email: "pia@example.com",
      password: "forget-me-not-123",
      workspace: "Forget Co",
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("records consent and erases a person after the name is typed again", async () => {
    const made = await page.request.post(`${base}/api/v1/contacts`, { data: { name: "Jo Brown", emails: ["jo@example.com"] } });
    const { id } = (await made.json()) as { id: string };
    await page.goto(`${base}/contacts/${id}`);
    const consent = page.getByLabel("Consent", { exact: true });
    await page.getByLabel("Source of the next change").fill("phone call");
    await page.getByRole("button", { name: "Grant Marketing email" }).click();
    await consent.locator('[data-purpose="marketing_email"]').getByText("granted").waitFor();
    await consent.getByText(/phone call/).waitFor();
    const ledger = (await (await page.request.get(`${base}/api/v1/contacts/${id}/consent`)).json()) as {
      ledger: Array<{ source: string }>;
    };
    expect(ledger.ledger[0]?.source).toBe("phone call");

    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Erase personal data…" }).click();
    const dialog = page.getByRole("dialog", { name: "Erase Jo Brown?" });
    const erase = dialog.getByRole("button", { name: "Erase permanently" });
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill("Jo Brow");
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill("Jo Brown");
    await erase.click();
    await page.waitForURL(`${base}/contacts`);
    expect((await page.request.get(`${base}/api/v1/contacts/${id}`)).status()).toBe(404);
    expect(harness.pageErrors).toEqual([]);
  });

  it("shows what a retention policy would delete, then runs it", async () => {
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    const ingested = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: { messages: [{ network: "x", external_id: "old-1", author: { id: "stranger" }, text: "An old post", created_at: old }] },
    });
    expect(ingested.status()).toBe(200);
    await page.goto(`${base}/settings/privacy`);
    const retention = page.getByRole("region", { name: "Retention" });
    await retention.getByRole("textbox", { name: "After days" }).fill("30");
    await retention.getByRole("button", { name: "Add policy" }).click();
    await retention.getByText("Dry run: would delete 1 message now.").waitFor();
    await retention.getByRole("button", { name: "Run now" }).click();
    await page.getByRole("dialog", { name: "Run retention now?" }).getByRole("button", { name: "Delete messages" }).click();
    await retention.getByText("Dry run: would delete 0 messages now.").waitFor();
    const messages = (await (await page.request.get(`${base}/api/v1/messages`)).json()) as { data: unknown[] };
    expect(messages.data).toHaveLength(0);

    const redaction = page.getByRole("region", { name: "Redaction" });
    await redaction.getByLabel("Email addresses become [email]").click({ force: true });
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`${base}/api/v1/privacy/settings`)).json()) as { redact_emails: boolean }).redact_emails,
      )
      .toBe(true);
    expect(harness.pageErrors).toEqual([]);
  });
});
