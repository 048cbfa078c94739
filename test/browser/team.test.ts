// Working as a team in the inbox (issue #14), in two real browser sessions: a mention in an
// internal note reaches the teammate's notification bell live; two agents on one conversation
// see each other viewing and typing; and a few conversations are triaged with the keyboard only.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, openBrowserHarness } from "./harness";

describe("team inbox", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let grace: Page;
  let graceContext: BrowserContext;
  let conversationIds: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("team");
    ({ page, base } = harness);

    await page.goto(base);
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByLabel("Workspace name").fill("Difference Co");
    await page.getByLabel("Workspace name").press("Enter");
    await page.waitForURL(/\/(inbox|home)/);

    // five customers' posts, and no automation: only the people here act
    const rules = (await (await page.request.get(`${base}/api/v1/rules`)).json()) as { data: Array<{ id: string }> };
    for (const r of rules.data) await page.request.delete(`${base}/api/v1/rules/${r.id}`);
    const batch = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: Array.from({ length: 5 }, (_, i) => ({
          network: "x",
          external_id: `team-${i}`,
          author: { id: `cust-${i}`, handle: `customer${i}`, display_name: `Customer ${i}` },
          text: `Customer ${i}: my parcel has not arrived`,
          created_at: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
        })),
      },
    });
    expect(batch.status(), await batch.text()).toBe(200);
    const list = (await (await page.request.get(`${base}/api/v1/conversations`)).json()) as { data: Array<{ id: string }> };
    conversationIds = list.data.map((c) => c.id);
    expect(conversationIds).toHaveLength(5);

    // Grace joins by invitation, in a browser of her own
    const invitation = await page.request.post(`${base}/api/v1/invitations`, { data: { email: "grace@example.com", role: "agent" } });
    expect(invitation.status()).toBe(201);
    const { token } = (await invitation.json()) as { token: string };
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    graceContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const accepted = await graceContext.request.post(`${base}/api/v1/auth/invitations/${token}/accept`, {
      data: { name: "Grace Hopper", password: "compiler-first" },
    });
    expect(accepted.status(), await accepted.text()).toBeLessThan(300);
    grace = await graceContext.newPage();
    grace.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await graceContext?.close();
    await harness?.close();
  });

  it("two agents on one conversation see each other viewing, then typing", async () => {
    const id = conversationIds[0];
    await page.goto(`${base}/inbox/${id}`);
    await grace.goto(`${base}/inbox/${id}`);
    await page.getByTestId("presence").getByText("Grace Hopper is also viewing").waitFor();
    await grace.getByTestId("presence").getByText("Ada Lovelace is also viewing").waitFor();

    await grace.getByRole("textbox", { name: "Internal note" }).pressSequentially("Looking into this");
    await page.getByTestId("presence").getByText("Grace Hopper is typing a reply").waitFor();

    // Grace leaves: Ada no longer sees her
    await grace.goto(`${base}/contacts`);
    await expect.poll(() => page.getByTestId("presence").count()).toBe(0);
  });

  it("a mention in a note reaches the teammate's bell live, and opens the conversation", async () => {
    const id = conversationIds[1];
    await grace.goto(`${base}/inbox`);
    const bell = grace.getByTestId("notification-bell");
    await bell.waitFor();
    expect(await bell.getAttribute("aria-label")).toBe("Notifications");

    await page.goto(`${base}/inbox/${id}`);
    const note = page.getByRole("textbox", { name: "Internal note" });
    await note.pressSequentially("@gra");
    // the member suggestion completes the mention
    await page.getByRole("group", { name: "Mention a teammate" }).getByText("Grace Hopper").waitFor();
    await note.press("Tab");
    expect(await note.inputValue()).toBe("@grace ");
    await note.pressSequentially("can you check the courier?");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByTestId("note").filter({ hasText: "can you check the courier?" }).waitFor();
    // a note is not a message to the customer
    expect(await page.getByTestId("message-text").filter({ hasText: "courier" }).count()).toBe(0);

    // Grace's bell counts it without a reload
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications: 1 unread");
    await bell.click();
    const item = grace.getByTestId("notification").first();
    await item.getByText("Ada Lovelace mentioned you").waitFor();
    await item.click();
    await grace.waitForURL(new RegExp(`/inbox/${id}`));
    await grace.getByTestId("note").filter({ hasText: "@grace can you check the courier?" }).waitFor();
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications");
    // Ada was not notified of her own note
    expect(await page.getByTestId("notification-bell").getAttribute("aria-label")).toBe("Notifications");
  });

  it("triages conversations with the keyboard only: j/k to move, a to take, e to close, ? for help", async () => {
    await page.goto(`${base}/inbox`);
    await page.getByRole("list", { name: "Conversations" }).getByTestId("conversation-row").first().waitFor();
    await page.locator("body").focus();

    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.getByText("Close the conversation").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => help.count()).toBe(0);

    const opened = () => new URL(page.url()).pathname.split("/")[2];
    const statusOf = async (id: string) =>
      (await (await page.request.get(`${base}/api/v1/conversations/${id}`)).json()) as { status: string; assignee_id: string | null };
    const me = ((await (await page.request.get(`${base}/api/v1/auth/me`)).json()) as { user: { id: string } }).user.id;

    const triaged: string[] = [];
    for (let i = 0; i < 3; i++) {
      const before = opened();
      await page.keyboard.press("j");
      await expect.poll(opened).not.toBe(before);
      const id = opened() as string;
      await page.getByRole("region", { name: "Conversation" }).waitFor();
      await page.keyboard.press("a");
      await expect.poll(async () => (await statusOf(id)).assignee_id).toBe(me);
      await page.keyboard.press("e");
      await expect.poll(async () => (await statusOf(id)).status).toBe("closed");
      triaged.push(id);
    }
    expect(new Set(triaged).size).toBe(3);
    // k goes back up the list
    const last = opened();
    await page.keyboard.press("k");
    await expect.poll(opened).not.toBe(last);
    // r puts the cursor in the reply box or, on a channel without replies, nothing breaks; n in the note
    await page.keyboard.press("n");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Internal note");
    expect(harness.pageErrors).toEqual([]);
  });
});
