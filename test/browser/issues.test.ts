// Emerging issues: complaints about one problem arrive, the owner opens "Emerging issues" from
// the navigation, sees the issue named by its terms, opens its card and reads its messages;
// a message that looks like markup shows as text.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const HOSTILE = 'The app keeps crashing when I upload a photo <img src=x onerror="window.__pwned=1"> so frustrating';

describe("the emerging issues page", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("issues");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("lists the issue its complaints formed and opens its card", async () => {
    await createWorkspace(page, base, {
      name: "Isa Insight",
      email: "isa@example.com",
      password: "analytical-engine",
      workspace: "Issue Co",
    });

    const texts = [
      HOSTILE,
      "Your app crashes every time I try to upload photos. Fix it!",
      "Still crashing on photo upload after the update, terrible",
      "How do I reset my password? The reset email never arrives",
    ];
    const seeded = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: texts.map((text, i) => ({
          network: "mastodon",
          external_id: `issue-${i}`,
          author: { id: `author-${i}`, handle: `author${i}`, followers: 100 * (i + 1) },
          text,
          created_at: new Date(Date.now() - (4 - i) * 60_000).toISOString(),
        })),
      },
    });
    expect(seeded.status()).toBe(200);

    await page.getByRole("link", { name: "Emerging issues" }).click();
    await page.getByRole("heading", { name: "Emerging issues" }).waitFor();
    const table = page.getByRole("table", { name: "Emerging issues" });
    await expect.poll(() => table.getByTestId("issue-row").count()).toBe(2);
    const crash = table.getByTestId("issue-row").filter({ hasText: /crash|upload|photo/ });
    expect(await crash.count()).toBe(1);
    await crash.getByRole("link").first().click();

    await page.getByTestId("stat-Messages").waitFor();
    expect(await page.getByTestId("stat-Messages").textContent()).toBe("3");
    expect(await page.getByTestId("stat-People").textContent()).toBe("3");
    await expect.poll(() => page.getByTestId("issue-message").count()).toBe(3);
    await page.getByText(HOSTILE).waitFor();
    expect(await page.getByTestId("issue-message").locator("img").count()).toBe(0);

    // The conversations in the inbox: the Issue filter names it, the password question is not there.
    await page.getByRole("link", { name: "Its conversations in the inbox" }).click();
    await page.waitForURL(/\/inbox\?issue=/);
    const list = page.getByRole("list", { name: "Conversations" });
    await expect.poll(() => list.locator("[data-conversation-id]").count()).toBe(3);
    expect(await list.getByText(/reset my password/).count()).toBe(0);
    await expect.poll(() => page.getByRole("combobox", { name: "Issue", exact: true }).inputValue()).toMatch(/crash|upload|photo/);
    // Without the filter every conversation shows; choosing the issue in the control narrows again.
    await page.goto(`${base}/inbox`);
    await expect.poll(() => list.locator("[data-conversation-id]").count()).toBe(4);
    await page.getByRole("combobox", { name: "Issue", exact: true }).click();
    await page
      .getByRole("option")
      .filter({ hasText: /crash|upload|photo/ })
      .first()
      .click();
    await page.waitForURL(/\/inbox\?issue=/);
    await expect.poll(() => list.locator("[data-conversation-id]").count()).toBe(3);

    // back to the list, and the burst filter leaves nothing (three messages are no burst)
    await page.getByRole("link", { name: "Emerging issues" }).first().click();
    await page.getByText("In a burst").click();
    await page.getByText(/No issues yet/).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(harness.pageErrors).toEqual([]);
  });
});
