// Cases, deals and ideas end to end: a case shows its SLA countdown, pauses while
// waiting for the customer and records the first response; a deal that came from
// a message moves across the board; an idea's vote count and status change.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const XSS_SUBJECT = `<img src=x onerror="window.__xss=1">Refund`;

describe("work items", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("work");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("works a case, moves a deal and plans an idea", async () => {
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "compiler-first",
      workspace: "Cobol Co",
    });

    // Around the clock, so the countdown does not depend on today's weekday.
    const policies = await (await page.request.get(`${base}/api/v1/sla-policies`)).json();
    const standard = policies.data.find((p: { is_default: boolean }) => p.is_default);
    const patched = await page.request.patch(`${base}/api/v1/sla-policies/${standard.id}`, { data: { calendar: null } });
    expect(patched.status()).toBe(200);

    const batch = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: [
          {
            network: "x",
            external_id: "555",
            author: { id: "77", handle: "buyer", display_name: "Bea Buyer" },
            text: "We want 40 seats, can you send a quote?",
            created_at: new Date(Date.now() - 60_000).toISOString(),
          },
        ],
      },
    });
    expect(batch.status()).toBe(200);
    const messageId = (await batch.json()).results[0].message_id as string;
    const kase = await page.request.post(`${base}/api/v1/cases`, { data: { subject: XSS_SUBJECT, priority: "high" } });
    expect(kase.status()).toBe(201);
    const deal = await page.request.post(`${base}/api/v1/deals`, {
      data: { title: "40 seats", value: 4000, currency: "EUR", message_id: messageId },
    });
    expect(deal.status()).toBe(201);
    // The default rules may have opened a deal for this buying signal already; the API then updates that one.
    const dealTitle = (await deal.json()).title as string;
    // Likewise an idea: if the rules filed the message as a suggestion, the API attaches it to that idea.
    const idea = await page.request.post(`${base}/api/v1/ideas`, { data: { title: "Dark mode", message_id: messageId } });
    expect(idea.status()).toBe(201);
    const ideaTitle = (await idea.json()).title as string;

    // Cases: the list shows the countdown; hostile text stays text.
    const nav = page.getByRole("navigation");
    await nav.getByRole("link", { name: "Cases" }).click();
    await page.getByRole("heading", { name: "Cases" }).waitFor();
    const row = page.getByTestId("case-row").filter({ hasText: "Refund" });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain(XSS_SUBJECT);
    await expect.poll(() => row.textContent()).toMatch(/first response in \d+h/);
    await row.getByRole("link", { name: XSS_SUBJECT }).click();

    // The case page: pause on pending customer; a public reply must reach the customer to count,
    // and this case has no conversation to send it on.
    const sla = page.getByLabel("Service level");
    await sla.getByText(/first response in/).waitFor();
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Pending customer" }).click();
    await sla.getByText("first response paused").waitFor();
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Open", exact: true }).click();
    await sla.getByText(/first response in/).waitFor();
    await page.getByLabel("Public reply").check();
    await page.getByRole("textbox", { name: "Comment" }).fill("We are looking into it.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByRole("alert").filter({ hasText: "This case has no conversation to reply on" }).waitFor();
    await sla.getByText(/first response in/).waitFor();

    // Deals: the board shows the deal in its first stage with where it came from; move it to Won.
    await nav.getByRole("link", { name: "Deals" }).click();
    await page.getByRole("heading", { name: "Deals" }).waitFor();
    const newStage = page.getByLabel("Stage New");
    await newStage.getByRole("link", { name: dealTitle }).waitFor();
    await newStage.getByRole("combobox", { name: `Stage of ${dealTitle}` }).click();
    await page.getByRole("option", { name: "Won" }).click();
    await page.getByLabel("Stage Won").getByRole("link", { name: dealTitle }).click();
    await page.getByText("This deal came from a tweet").waitFor();
    await page.getByLabel("Came from").getByText("We want 40 seats, can you send a quote?").waitFor();

    // Ideas: one vote from the message's author; planning it notifies them.
    await nav.getByRole("link", { name: "Ideas" }).click();
    await page.getByRole("heading", { name: "Ideas" }).waitFor();
    const ideaRow = page.getByTestId("idea-row").filter({ hasText: ideaTitle });
    await ideaRow.getByLabel("1 votes").waitFor();
    await ideaRow.getByRole("link", { name: ideaTitle }).click();
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Planned" }).click();
    await page.getByText("1 notifications recorded for voters").waitFor();

    // Settings: SLA policies and pipelines are there for admins.
    await page.goto(`${base}/settings/sla`);
    await page.getByRole("table", { name: "SLA policies" }).getByText("Standard").waitFor();
    await page.goto(`${base}/settings/pipelines`);
    await page.getByRole("heading", { name: "Sales (default)" }).waitFor();

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
