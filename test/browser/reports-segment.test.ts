// Reports narrowed to a saved segment (issue #16): a manager picks the "VIPs" segment beside the other
// filters and the listening figures shrink to the VIP's posts, the CSV link carries the segment, and the
// engagement tab groups our replies by rule.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("the reports' segment filter", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("reports-segment");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("narrows the dashboards to the people of a segment, and breaks engagement down by rule", async () => {
    await createWorkspace(page, base, {
      name: "Sam Segment",
      email: "sam@example.com",
      password: "analytical-engine",
      workspace: "Segment Co",
    });
    const api = async (method: "get" | "post", path: string, data?: unknown) => {
      const res = await page.request[method](`${base}/api/v1${path}`, data === undefined ? {} : { data });
      expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
      return res.json();
    };
    // Vera writes twice, Walt once (Nov 3, 4 and 5, UTC); we answer Vera.
    await api("post", "/messages:batch", {
      messages: [
        { id: "vera-1", author: "vera", day: "03" },
        { id: "vera-2", author: "vera", day: "04" },
        { id: "walt-1", author: "walt", day: "05" },
      ].map((m) => ({
        network: "mastodon",
        external_id: m.id,
        author: { id: m.author, handle: m.author },
        text: `A post by ${m.author}`,
        created_at: `2026-11-${m.day}T12:00:00Z`,
      })),
    });
    await api("post", "/messages:batch", {
      messages: [
        {
          network: "mastodon",
          external_id: "reply-vera",
          author: { id: "brand", handle: "brand" },
          text: "Thanks Vera",
          created_at: "2026-11-03T13:00:00Z",
          in_reply_to: "vera-1",
          direction: "outbound",
        },
      ],
    });
    const listed = (await api("get", "/messages?limit=50")).data as Array<{ external_id: string; profile_id: string }>;
    const vera = await api("post", "/contacts", { name: "Vera Vip", tags: ["vip"] });
    await api("post", `/profiles/${listed.find((m) => m.external_id === "vera-1")?.profile_id}/link`, { contact_id: vera.id });
    const segment = await api("post", "/segments", {
      name: "VIPs",
      entity: "contact",
      filter: { match: "all", conditions: [{ field: "tags", op: "contains", value: "vip" }] },
    });

    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("tab", { name: "Listening" }).waitFor();
    await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-01");
    await page.getByRole("textbox", { name: "To", exact: true }).fill("2026-11-30");
    const messages = page.getByTestId("stat-Messages");
    await expect.poll(() => messages.textContent()).toBe("3");

    await page.getByRole("combobox", { name: "Segment" }).click();
    await page.getByRole("option", { name: "VIPs", exact: true }).click();
    await expect.poll(() => messages.textContent()).toBe("2");
    expect(await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toContain(`segment=${segment.id}`);

    // The same segment on the engagement tab: Vera, answered by a person (no rule).
    await page.getByRole("tab", { name: "Engagement" }).click();
    await expect.poll(() => page.getByTestId("stat-People replied to").textContent()).toBe("1");
    await page.locator("label", { hasText: /^Rule$/ }).click();
    await page.getByRole("table", { name: "Engagement by rule" }).getByText("Not sent by a rule").waitFor();
    expect(harness.pageErrors).toEqual([]);
  });
});
