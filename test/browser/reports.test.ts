// Reports: an owner opens the listening dashboard on seeded messages, narrows the date range and sees
// the count change, exports the CSV of the same range, and reads the service tab; an author's name
// that looks like markup shows as text. Then the product, sales and engagement tabs on an idea voted
// from a post, a deal made from it and a reply to its author, and the sales CSV.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const HOSTILE = '<img src=x onerror="window.__pwned=1">Mallory';

describe("the reports page", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("reports");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("shows the figures of the chosen range and exports them as CSV", async () => {
    await createWorkspace(page, base, {
      name: "Mona Manager",
      email: "mona@example.com",
      password: "analytical-engine",
      workspace: "Insight Co",
    });

    // Three inbound messages: Nov 3, Nov 5 and Nov 12 (the workspace's time zone is UTC).
    const seeded = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: ["2026-11-03", "2026-11-05", "2026-11-12"].map((day, i) => ({
          network: "mastodon",
          external_id: `report-${i}`,
          author: { id: `author-${i}`, handle: `author${i}`, display_name: i === 0 ? HOSTILE : `Author ${i}`, followers: 1000 - i },
          text: `Message ${i} about our product`,
          created_at: `${day}T12:00:00Z`,
        })),
      },
    });
    expect(seeded.status()).toBe(200);

    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("tab", { name: "Listening" }).waitFor();
    await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-01");
    await page.getByRole("textbox", { name: "To", exact: true }).fill("2026-11-30");
    const messages = page.getByTestId("stat-Messages");
    await expect.poll(() => messages.textContent()).toBe("3");
    const authors = page.getByRole("table", { name: "Top authors" });
    await authors.getByText(HOSTILE).waitFor();
    expect(await authors.locator("img").count()).toBe(0);

    // A narrower range: only Nov 12 is left.
    await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-10");
    await expect.poll(() => messages.textContent()).toBe("1");

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloading;
    const path = await download.path();
    const rows = parse(readFileSync(path, "utf8"), { columns: true }) as Array<Record<string, string>>;
    // Nov 10 to Nov 30 by day, one message on Nov 12.
    expect(rows).toHaveLength(21);
    expect(rows.find((r) => r.bucket === "2026-11-12")?.messages).toBe("1");
    expect(rows.reduce((sum, r) => sum + Number(r.messages), 0)).toBe(1);

    await page.getByRole("tab", { name: "Service" }).click();
    await page.getByTestId("stat-Backlog").waitFor();
    expect(await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toContain("/reports/service?");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(harness.pageErrors).toEqual([]);
  });

  it("opens the product, sales and engagement tabs and exports the sales CSV", async () => {
    const api = async (method: "get" | "post", path: string, data?: unknown) => {
      const res = await page.request[method](`${base}/api/v1${path}`, data === undefined ? {} : { data });
      expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
      return res.json();
    };
    const listed = await api("get", "/messages?limit=50");
    const post = (listed.data as Array<{ id: string; text: string; conversation_id: string }>).find((m) => m.text.startsWith("Message 0"));
    expect(post).toBeDefined();
    // An idea from the post (its author's vote), a deal made from it, and our reply to its author an hour later.
    const idea = await api("post", "/ideas", { title: "Dark mode <b>please</b>", message_id: post?.id });
    expect(idea.vote_count).toBe(1);
    await api("post", "/deals", {
      title: "Lead from Mastodon",
      value: 1200,
      currency: "EUR",
      message_id: post?.id,
      conversation_id: post?.conversation_id,
    });
    await api("post", "/messages:batch", {
      messages: [
        {
          network: "mastodon",
          external_id: "report-reply-0",
          author: { id: "brand", handle: "brand" },
          text: "Thanks, we are on it",
          created_at: "2026-11-03T13:00:00Z",
          in_reply_to: "report-0",
          direction: "outbound",
        },
      ],
    });

    // The idea and the deal were made today: a range from November to today holds them.
    const today = new Date().toISOString().slice(0, 10);
    await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-01");
    await page.getByRole("textbox", { name: "To", exact: true }).fill(today);

    await page.getByRole("tab", { name: "Product" }).click();
    await expect.poll(() => page.getByTestId("stat-Votes").textContent()).toBe("1");
    const top = page.getByRole("table", { name: "Top ideas" });
    await top.getByText("Dark mode <b>please</b>").waitFor();
    expect(await top.locator("b").count()).toBe(0);

    await page.getByRole("tab", { name: "Sales" }).click();
    await expect.poll(() => page.getByTestId("stat-Deals from social").textContent()).toBe("1");
    await page.getByRole("table", { name: "Sales by network" }).getByText("Mastodon").waitFor();
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const rows = parse(readFileSync(await (await downloading).path(), "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ dimension: "all", deals_created: "1", deals_value: "1200" });
    expect(rows.find((r) => r.dimension === "network" && r.key === "mastodon")).toMatchObject({ deals_created: "1" });

    await page.getByRole("tab", { name: "Engagement" }).click();
    await expect.poll(() => page.getByTestId("stat-People replied to").textContent()).toBe("1");
    await page.getByRole("table", { name: "Engagement by agent" }).getByText("Outside Parley").waitFor();
    // the group-by control regroups the table
    await page
      .getByLabel("Group by")
      .locator("label", { hasText: /^Team$/ })
      .click();
    await page.getByRole("table", { name: "Engagement by team" }).waitFor();
    expect(await page.getByRole("table", { name: "Engagement by agent" }).count()).toBe(0);
    expect(harness.pageErrors).toEqual([]);
  });
});
