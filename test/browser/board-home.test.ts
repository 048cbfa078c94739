// The first day and the daily work: Home lists the first steps of a new workspace and what
// needs attention; a deal is dragged across the board and the move is saved.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("home and the deals board", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("board-home");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("shows a new workspace its first steps, then drags a deal to the next stage", async () => {
    await createWorkspace(page, base, {
      name: "Ada Lovelace",
      email: "ada@example.com",
      password: "analytical-engine",
      workspace: "Engines Ltd",
    });

    await page.getByRole("navigation").getByRole("link", { name: "Home" }).click();
    await page.getByRole("heading", { name: "Home" }).waitFor();
    const steps = page.getByLabel("Getting started");
    await steps.getByText("0 of 4 steps done").waitFor();
    expect(await page.locator('[data-step][data-done="false"]').count()).toBe(4);
    await page.getByRole("link", { name: "Connect a channel" }).click();
    await page.waitForURL(/\/settings\/channels$/);

    const created = await page.request.post(`${base}/api/v1/channels`, { data: { name: "Hooks", network: "webhook" } });
    expect(created.status()).toBe(201);
    await page.goto(`${base}/home`);
    await page.getByText("1 of 4 steps done").waitFor();
    expect(await page.locator('[data-step="channel"]').getAttribute("data-done")).toBe("true");

    const pipelines = await (await page.request.get(`${base}/api/v1/pipelines`)).json();
    const stages = pipelines.data[0].stages as Array<{ id: string; name: string }>;
    const [first, second] = stages as [{ id: string; name: string }, { id: string; name: string }];
    const deal = await page.request.post(`${base}/api/v1/deals`, { data: { title: "Difference engine", value: 1200, currency: "GBP" } });
    expect(deal.status()).toBe(201);
    const dealId = (await deal.json()).id as string;
    expect((await deal.json()).stage_id).toBe(first.id);

    await page.getByRole("navigation").getByRole("link", { name: "Deals" }).click();
    const from = page.getByLabel(`Stage ${first.name}`, { exact: true });
    const to = page.getByLabel(`Stage ${second.name}`, { exact: true });
    const card = from.getByTestId("deal-card").filter({ hasText: "Difference engine" });
    await card.waitFor();
    await card.dragTo(to);
    await to.getByTestId("deal-card").filter({ hasText: "Difference engine" }).waitFor();
    await expect.poll(async () => (await (await page.request.get(`${base}/api/v1/deals/${dealId}`)).json()).stage_id).toBe(second.id);
    // After a reload the card is still in its new column: the move was saved, not only drawn.
    await page.reload();
    await to.getByTestId("deal-card").filter({ hasText: "Difference engine" }).waitFor();
    expect(await from.getByTestId("deal-card").filter({ hasText: "Difference engine" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
