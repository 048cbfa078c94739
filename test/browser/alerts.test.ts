// Threshold alerts in the rule editor (issue #16): the alert trigger's settings are chosen in the UI,
// saved with the rule, and the alert is listed with its metric now.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

async function pick(page: Page, scope: ReturnType<Page["locator"]>, label: string, option: string) {
  await scope.getByRole("combobox", { name: label }).last().click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("threshold alerts in the rule editor", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("alerts");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("a negative-share alert built in the UI is saved with its settings, channel and team", async () => {
    await createWorkspace(page, base, { name: "Ada Lovelace", email: "ada@example.com", password: "engine-notes", workspace: "Engine Co" });
    const created = await page.request.post(`${base}/api/v1/channels`, { data: { name: "Store hooks", network: "webhook" } });
    const channelId = ((await created.json()) as { id: string }).id;
    const teams = (await (await page.request.get(`${base}/api/v1/teams`)).json()) as { data: Array<{ id: string; name: string }> };
    const support = teams.data.find((t) => t.name === "Support")?.id;
    expect(support).toBeTruthy();
    await page.reload(); // the channel was made through the API: the app's cached channel list forgets it
    await page.getByRole("navigation").getByRole("link", { name: "Automation" }).click();
    await page.getByRole("heading", { name: "Automation rules" }).waitFor();
    await page.getByRole("link", { name: "New rule" }).click();
    await page.getByRole("heading", { name: "New rule" }).waitFor();
    await page.getByRole("textbox", { name: "Name" }).fill("Unhappy customers");

    await pick(page, page.locator("body"), "Trigger", "A metric crosses a threshold (alert)");
    await pick(page, page.locator("body"), "Metric", "Negative share (0–1)");
    await page.getByRole("textbox", { name: "Threshold" }).fill("0.4");
    await page.getByRole("textbox", { name: "At least (analyzed)" }).fill("20");
    await pick(page, page.locator("body"), "Label", "complaint");
    await pick(page, page.locator("body"), "Channel", "Store hooks");
    await pick(page, page.locator("body"), "Team", "Support");

    const actions = page.getByRole("region", { name: "Actions" });
    await pick(page, actions, "New action", "Create a case");
    await actions.getByRole("button", { name: "Add action" }).click();
    await expect.poll(() => actions.getByTestId("action").count()).toBe(1);
    await page.getByRole("button", { name: "Save rule" }).click();
    await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);

    const id = page.url().split("/").at(-1) as string;
    const rule = (await (await page.request.get(`${base}/api/v1/rules/${id}`)).json()) as { trigger: unknown };
    expect(rule.trigger).toEqual({
      type: "alert.threshold",
      alert: {
        metric: "negative_share",
        window_minutes: 60,
        comparison: "above",
        threshold: 0.4,
        min_count: 20,
        label: "complaint",
        channel_id: channelId,
        team_id: support,
      },
    });
    const alerts = (await (await page.request.get(`${base}/api/v1/alerts`)).json()) as { data: Array<Record<string, unknown>> };
    expect(alerts.data).toMatchObject([{ rule_id: id, firing: false, crossings: 0, current: { value: 0, count: 0, crossed: false } }]);
  });
});
