// Automation end to end: build a rule in the UI, send a matching message through
// a signed webhook channel, see the case appear assigned and the conversation
// say which rules fired and why; a reply stops the first-response SLA clock.
import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const sign = (secret: string, ts: number, body: string) => `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;

async function pick(page: Page, scope: ReturnType<Page["locator"]>, label: string, option: string) {
  await scope.getByRole("combobox", { name: label }).last().click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("automation rules", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("rules");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("a rule built in the UI turns a webhook message into an assigned case", async () => {
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol-forever",
      workspace: "Compiler Co",
    });

    // the default rules are there; put the owner on the Support team they created
    await page.getByRole("navigation").getByRole("link", { name: "Automation" }).click();
    await page.getByRole("heading", { name: "Automation rules" }).waitFor();
    await page.getByRole("link", { name: "Complaints and churn risk → Support" }).waitFor();
    const me = (await (await page.request.get(`${base}/api/v1/users`)).json()) as { data: Array<{ id: string }> };
    const teams = (await (await page.request.get(`${base}/api/v1/teams`)).json()) as { data: Array<{ id: string; name: string }> };
    const support = teams.data.find((x) => x.name === "Support");
    expect(support).toBeTruthy();
    const ownerId = me.data[0]?.id as string;
    expect((await page.request.patch(`${base}/api/v1/teams/${support?.id}`, { data: { member_ids: [ownerId] } })).status()).toBe(200);

    // build the rule
    await page.getByRole("link", { name: "New rule" }).click();
    await page.getByRole("heading", { name: "New rule" }).waitFor();
    await page.getByRole("textbox", { name: "Name" }).fill("Refund requests");
    const conditions = page.getByRole("region", { name: "Conditions" });
    await conditions.getByRole("button", { name: "Add condition" }).click();
    await conditions.getByRole("textbox", { name: "Value" }).fill("refund");
    const actions = page.getByRole("region", { name: "Actions" });
    await pick(page, actions, "New action", "Assign to team / member");
    await actions.getByRole("button", { name: "Add action" }).click();
    await pick(page, actions, "Team", "Support");
    await pick(page, actions, "New action", "Create a case");
    await actions.getByRole("button", { name: "Add action" }).click();
    await pick(page, actions, "Priority", "high");
    await expect.poll(() => actions.getByTestId("action").count()).toBe(2);

    // what would happen, before saving
    const test = page.getByRole("region", { name: "Test" });
    await test.getByRole("textbox", { name: "Sample message" }).fill("Where is my refund?");
    await test.getByRole("button", { name: "Test", exact: true }).click();
    await test.getByText("Would fire").waitFor();
    await test.getByText(/✓ message\.text contains refund/).waitFor();
    await test.getByRole("textbox", { name: "Sample message" }).fill("Thanks, all good");
    await test.getByRole("button", { name: "Test", exact: true }).click();
    await test.getByText("Would not fire").waitFor();

    await page.getByRole("button", { name: "Save rule" }).click();
    await page.waitForURL(/\/rules\/[0-9a-f-]{36}$/);
    await page.getByText("Version 1 · key refund-requests").waitFor();
    const history = page.getByRole("region", { name: "Version history" });
    await history.getByText("v1", { exact: true }).waitFor();

    // a webhook channel, and a signed message through it
    const channel = (await (
      await page.request.post(`${base}/api/v1/channels`, { data: { name: "Support form", network: "webhook" } })
    ).json()) as { id: string; webhook_secret: string };
    const body = JSON.stringify({
      network: "webhook",
      external_id: "form-1",
      author: { id: "cust-1", handle: "dana", display_name: "Dana" },
      text: "I was charged twice, please refund the second payment",
      created_at: new Date().toISOString(),
    });
    const ts = Math.floor(Date.now() / 1000);
    const hook = await page.request.post(`${base}/hooks/${channel.id}`, {
      headers: {
        "content-type": "application/json",
        "x-parley-timestamp": String(ts),
        "x-parley-signature": sign(channel.webhook_secret, ts, body),
      },
      data: body,
    });
    expect(hook.status(), await hook.text()).toBeLessThan(300);

    // the case is there, assigned to the Support member, with its SLA clock running
    const cases = (await (await page.request.get(`${base}/api/v1/cases`)).json()) as {
      data: Array<{ id: string; subject: string; team_name: string; assignee_id: string; first_responded_at: string | null }>;
    };
    expect(cases.data).toHaveLength(1);
    const kase = cases.data[0] as (typeof cases.data)[number];
    expect(kase).toMatchObject({ team_name: "Support", assignee_id: ownerId, first_responded_at: null });
    await page.getByRole("navigation").getByRole("link", { name: "Cases" }).click();
    await page.getByText("I was charged twice", { exact: false }).first().waitFor();

    // the conversation says which rules fired and why
    const conversations = (await (await page.request.get(`${base}/api/v1/conversations`)).json()) as { data: Array<{ id: string }> };
    const conversationId = conversations.data[0]?.id as string;
    await page.goto(`${base}/inbox/${conversationId}`);
    const fired = page.getByRole("region", { name: "Rules fired" });
    await fired.getByText("Refund requests").waitFor();
    await fired.getByText(/✓ message\.text contains refund/).waitFor();
    await fired
      .getByText(/create_case: case/)
      .first()
      .waitFor();

    // our reply (outbound, in the thread) is the first response: the SLA clock stops
    const key = (await (await page.request.post(`${base}/api/v1/api-keys`, { data: { name: "bot", role: "agent" } })).json()) as {
      secret: string;
    };
    const reply = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${key.secret}` },
      data: {
        channel_id: channel.id,
        messages: [
          {
            network: "webhook",
            external_id: "form-1-reply",
            in_reply_to: "form-1",
            direction: "outbound",
            author: { id: "us", handle: "compilerco" },
            text: "Sorry Dana, the refund is on its way",
            created_at: new Date().toISOString(),
          },
        ],
      },
    });
    expect(reply.status(), await reply.text()).toBe(200);
    const after = (await (await page.request.get(`${base}/api/v1/cases/${kase.id}`)).json()) as { first_responded_at: string | null };
    expect(after.first_responded_at).not.toBeNull();
    expect(harness.pageErrors).toEqual([]);
  });

  it("the editor says a webhook secret is set, never shows it, and shows a new one once", async () => {
    const SECRET = "never-show-this-secret";
    const made = await page.request.post(`${base}/api/v1/rules`, {
      data: {
        name: "Hook to billing",
        trigger: { type: "message.received" },
        actions: [{ type: "webhook", url: "https://billing.example.com/hook", secret: SECRET }],
      },
    });
    expect(made.status(), await made.text()).toBe(201);
    const rule = (await made.json()) as { id: string };
    await page.goto(`${base}/rules/${rule.id}`);
    const actions = page.getByRole("region", { name: "Actions" });
    await actions.getByText("Secret set").waitFor();
    expect(await page.content()).not.toContain(SECRET);

    // saving without touching it keeps it; "Generate new" rotates it and shows the new one once
    await actions.getByRole("button", { name: "Generate new" }).click();
    await page.getByRole("button", { name: "Save rule" }).click();
    const shown = page.getByTestId("new-secrets");
    await shown.waitFor();
    const fresh = (await shown.locator("code").first().textContent()) ?? "";
    expect(fresh).toMatch(/^whsec_/);
    await actions.getByText("Secret set").waitFor();
    await page.reload();
    await actions.getByText("Secret set").waitFor();
    expect(await page.content()).not.toContain(fresh);
    expect(harness.pageErrors).toEqual([]);
  });
});
