// The inbox end to end: messages pushed through the batch API appear in an open
// inbox without a reload, the thread reads in order, hostile content stays
// text, status changes stick, and a webhook channel shows its secret once.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, openBrowserHarness } from "./harness";

const XSS_NAME = `<img src=x onerror="window.__xss=1">`;
const XSS_TEXT = "<script>window.__xss=2</script>";
const XSS_BIO = `<svg onload="window.__xss=3">`;
const MALLORY = { id: "66", handle: "mallory", display_name: XSS_NAME, bio: XSS_BIO, followers: 1234 };

function minutesAgo(n: number): string {
  return new Date(Date.now() - n * 60_000).toISOString();
}

describe("inbox", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("inbox");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("shows pushed messages live, keeps hostile content as text, and changes status", async () => {
    await page.goto(base);
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByLabel("Workspace name").fill("Difference Co");
    await page.getByLabel("Workspace name").press("Enter");
    // The inbox is where a new workspace starts.
    await page.getByRole("heading", { name: "Inbox" }).waitFor();

    // An API key, as an integration would use, made with the signed-in session.
    const keyResponse = await page.request.post(`${base}/api/v1/api-keys`, { data: { name: "Ingest bot", role: "agent" } });
    expect(keyResponse.status()).toBe(201);
    const { secret } = (await keyResponse.json()) as { secret: string };

    // Inbox is the first item of the navigation; empty, it says how messages arrive.
    const nav = page.getByRole("navigation");
    expect(await nav.getByRole("link").first().textContent()).toBe("Inbox");
    await nav.getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByText("No conversations yet").waitFor();
    await page.getByText("parley ingest messages.jsonl").waitFor();
    // The live stream is connected before anything is sent.
    await expect.poll(() => page.getByTestId("live-status").textContent()).toBe("Live");

    const batch = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        messages: [
          {
            network: "x",
            external_id: "9001",
            url: "https://x.com/mallory/status/9001",
            author: MALLORY,
            text: XSS_TEXT,
            created_at: minutesAgo(10),
          },
          {
            network: "x",
            external_id: "9002",
            url: "javascript:window.__xss=4",
            author: MALLORY,
            text: "And another thing: my order never shipped",
            created_at: minutesAgo(5),
            in_reply_to: "9001",
          },
        ],
      },
    });
    expect(batch.status()).toBe(200);
    const result = (await batch.json()) as { stored: number };
    expect(result.stored).toBe(2);

    // The conversation appears without a reload.
    const list = page.getByRole("list", { name: "Conversations" });
    const row = list.getByRole("link").filter({ hasText: "my order never shipped" });
    await row.waitFor();
    await expect.poll(() => row.getByText("2 messages").count()).toBe(1);
    expect(await row.getByTestId("status-badge").textContent()).toBe("new");
    expect(await row.textContent()).toContain(XSS_NAME);

    // The thread, in order, with the author's card.
    await row.click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    const conversation = page.getByRole("region", { name: "Conversation" });
    const messages = conversation.getByRole("list", { name: "Messages" }).getByTestId("message-text");
    await expect.poll(() => messages.count()).toBe(2);
    expect(await messages.allTextContents()).toEqual([XSS_TEXT, "And another thing: my order never shipped"]);
    const card = conversation.getByRole("region", { name: `Author ${XSS_NAME}` });
    await card.getByText(XSS_BIO, { exact: true }).waitFor();
    await card.getByText("1,234 followers").waitFor();
    // Each inbound message shows what Parley understood: priority, sentiment, labels.
    const analysis = conversation.getByTestId("message-analysis");
    await expect.poll(() => analysis.count()).toBe(2);
    expect(
      await analysis
        .nth(1)
        .getByLabel(/^Priority \d+$/)
        .count(),
    ).toBe(1);

    // Only http(s) sources become links, and they open safely elsewhere.
    const sources = conversation.getByRole("link", { name: /View on X/ });
    expect(await sources.count()).toBe(1);
    expect(await sources.getAttribute("href")).toBe("https://x.com/mallory/status/9001");
    expect(await sources.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(await sources.getAttribute("target")).toBe("_blank");

    // Hostile markup stayed text: nothing ran, nothing was parsed into elements.
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("main img[src='x'], main script, main svg[onload]").count()).toBe(0);

    // Replies arriving while the conversation is open show up in the thread;
    // one from our own account is marked as sent.
    const ownAccount = await page.request.post(`${base}/api/v1/own-accounts`, { data: { network: "x", handle: "@acmehelp" } });
    expect(ownAccount.status()).toBe(201);
    const reply = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        messages: [
          {
            network: "x",
            external_id: "9003",
            author: MALLORY,
            text: "Hello? Anyone there?",
            created_at: minutesAgo(2),
            in_reply_to: "9002",
          },
          {
            network: "x",
            external_id: "9004",
            author: { id: "1", handle: "acmehelp", display_name: "Acme Help" },
            text: "Sorry about that! Looking into your order now.",
            created_at: minutesAgo(1),
            in_reply_to: "9003",
          },
        ],
      },
    });
    expect(reply.status()).toBe(200);
    await conversation.getByText("Hello? Anyone there?").waitFor();
    await expect.poll(() => messages.count()).toBe(4);
    await conversation.getByRole("listitem").filter({ hasText: "Looking into your order" }).getByText("Outbound").waitFor();
    expect(await messages.allTextContents()).toEqual([
      XSS_TEXT,
      "And another thing: my order never shipped",
      "Hello? Anyone there?",
      "Sorry about that! Looking into your order now.",
    ]);
    const openRow = list.locator('a[aria-current="page"]');
    await openRow.getByText("Looking into your order now").waitFor();
    await openRow.getByText("4 messages").waitFor();

    // Search and filters narrow the list.
    const search = page.getByRole("searchbox", { name: "Search messages" });
    await search.fill("shipped");
    await search.press("Enter");
    await page.waitForURL(/q=shipped/);
    await list.getByRole("link").first().waitFor();
    await search.fill("zeppelin");
    await search.press("Enter");
    await page.getByText("No conversations match").waitFor();
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await openRow.waitFor();

    // Closing it changes the badge here and in the list.
    await conversation.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Closed" }).click();
    await expect.poll(() => conversation.getByTestId("status-badge").textContent()).toBe("closed");
    await expect.poll(() => openRow.getByTestId("status-badge").textContent()).toBe("closed");

    // A full reload shows the same: the change was stored.
    await page.reload();
    await expect.poll(() => page.getByRole("region", { name: "Conversation" }).getByTestId("status-badge").textContent()).toBe("closed");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    expect(pageErrors).toEqual([]);
  });

  it("adds a webhook channel in Settings and shows its secret once", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await page.getByRole("tab", { name: "Channels" }).click();
    await page.getByText("No channels yet").waitFor();

    // A malformed listening query is refused, with the line that is wrong.
    await page.getByRole("button", { name: "Add channel" }).click();
    let dialog = page.getByRole("dialog", { name: "Add a channel" });
    await dialog.getByRole("combobox", { name: "Network" }).click();
    await page.getByRole("option", { name: "Webhook" }).click();
    await dialog.getByRole("textbox", { name: "Channel name" }).fill("Status page");
    await dialog.getByRole("textbox", { name: "Listening queries" }).fill("acme\n(outage OR down");
    await dialog.getByRole("button", { name: "Add channel" }).click();
    await dialog.getByText(/^Line 2 \(\(outage OR down\): .*position/).waitFor();

    await dialog.getByRole("textbox", { name: "Listening queries" }).fill("acme\n(outage OR down)");
    await dialog.getByRole("button", { name: "Add channel" }).click();
    dialog = page.getByRole("dialog", { name: "Your webhook is ready" });
    await dialog.waitFor();
    const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec/);
    const url = await dialog.getByRole("textbox", { name: "Webhook URL" }).inputValue();
    expect(url).toMatch(new RegExp(`^${base}/hooks/[0-9a-f-]{36}$`));
    expect(await dialog.getByText(secret).count()).toBeGreaterThan(0); // in the signing snippet
    await dialog.getByRole("button", { name: "I have copied it" }).click();

    // Listed, and the secret is never shown again.
    const table = page.getByRole("table", { name: "Channels" });
    await table.getByText("Status page").waitFor();
    await table.getByText("2 queries").waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    await page.getByRole("button", { name: "Edit Status page" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Status page" });
    await edit.waitFor();
    expect(await edit.getByRole("textbox", { name: "Listening queries" }).inputValue()).toBe("acme\n(outage OR down)");
    expect(await page.getByText(secret).count()).toBe(0);
    await edit.getByRole("button", { name: "Cancel" }).click();

    expect(pageErrors).toEqual([]);
  });
});
