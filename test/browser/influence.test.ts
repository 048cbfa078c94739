// People and influence: people reply to and mention each other on two networks, the owner opens
// "Influence" from the navigation, reads who ranks first and why, switches to the advocates and
// detractors tabs, and opens the top person's view to see their rank and community. A name that
// looks like markup shows as text.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const HOSTILE = '<img src=x onerror="window.__pwned=1">Mallory';

describe("the influence page and panel", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("influence");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("ranks people by engagement received and shows a person's influence", async () => {
    await createWorkspace(page, base, {
      name: "Ina Influence",
      email: "ina@example.com",
      password: "analytical-engine",
      workspace: "Influence Co",
    });

    const at = new Date(Date.now() - 3_600_000).toISOString();
    const post = (id: string, author: string, text: string, extra: Record<string, unknown> = {}) => ({
      network: "mastodon",
      external_id: id,
      author: { id: author, handle: author, display_name: author === "mallory" ? HOSTILE : author },
      text,
      created_at: at,
      ...extra,
    });
    const seeded = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: [
          post("h1", "hana", "Loving the new release, great work team, thank you!"),
          post("g1", "greg", "The update is terrible and broke everything. Awful, I hate it"),
          post("a1", "ann", "Absolutely love it too, brilliant work!", { in_reply_to: "h1" }),
          post("b1", "bob", "Which version number is it?", { in_reply_to: "h1" }),
          post("m1", "mallory", "Is it out on Android yet?", { in_reply_to: "h1" }),
          post("g2", "greg", "@hana your release broke my setup, terrible and useless"),
          post("h2", "hana", "We will look into it today, please send details", { in_reply_to: "g1" }),
          post("a2", "ann", "Which device are you using?", { in_reply_to: "g1" }),
        ],
      },
    });
    expect(seeded.status()).toBe(200);
    const contact = await page.request.post(`${base}/api/v1/contacts`, { data: { name: "Hana Hill" } });
    expect(contact.status()).toBe(201);
    const hanaId = (await contact.json()).id as string;
    const profiles = await page.request.get(`${base}/api/v1/profiles?q=hana`);
    const hanaProfile = ((await profiles.json()).data as Array<{ id: string; handle: string }>).find((p) => p.handle === "hana");
    expect(hanaProfile).toBeDefined();
    const linked = await page.request.post(`${base}/api/v1/profiles/${hanaProfile?.id}/link`, { data: { contact_id: hanaId } });
    expect(linked.status()).toBe(200);

    await page.getByRole("link", { name: "Influence" }).click();
    await page.getByRole("heading", { name: "People and influence" }).waitFor();
    await page.getByRole("button", { name: "Recompute now" }).click();
    const table = page.getByRole("table", { name: "People by influence" });
    await expect.poll(() => table.getByTestId("influence-row").count()).toBe(5);
    const first = table.getByTestId("influence-row").first();
    expect(await first.getByRole("link").textContent()).toBe("Hana Hill");
    await first.getByText("replied to 3 times by 3 people").waitFor();
    await page
      .getByTestId("influence-run")
      .getByText(/between 5 people/)
      .waitFor();
    // the hostile display name is shown as text
    await table.getByText(HOSTILE).waitFor();
    expect(await table.locator("img").count()).toBe(0);

    await page.getByRole("tab", { name: "Advocates" }).click();
    await page.waitForURL(/kind=advocates/);
    await expect.poll(() => table.getByTestId("influence-row").count()).toBe(1);
    expect(await table.getByTestId("influence-row").getByRole("link").textContent()).toBe("Hana Hill");
    await page.getByRole("tab", { name: "Detractors" }).click();
    await expect.poll(() => table.getByTestId("influence-row").allTextContents()).toEqual([expect.stringContaining("greg")]);

    // the person view: rank, why and the community's others
    await page.getByRole("tab", { name: "Everyone" }).click();
    await table.getByRole("link", { name: "Hana Hill" }).click();
    await page.waitForURL(new RegExp(`/contacts/${hanaId}`));
    const panel = page.getByTestId("influence-panel");
    await panel.getByTestId("influence-rank").getByText("Rank 1 of 5").waitFor();
    await panel.getByText("mentioned 1 time by 1 person").waitFor();
    await panel.getByText("Advocate").first().waitFor();
    const members = panel.getByTestId("community-members");
    await members.getByText("greg").waitFor();
    await members.getByText(HOSTILE).waitFor();
    expect(await panel.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(harness.pageErrors).toEqual([]);
  });
});
