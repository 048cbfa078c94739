// The help centre (issue #17) in the browser: a manager writes an article in Markdown, sees
// the server's sanitized preview (hostile HTML inert), publishes it, finds it by another form
// of a word, and an agent's reply composer suggests it for a customer's question and inserts
// its title into the reply.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("help centre", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("knowledge");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("writes and finds an article, and suggests it in the reply composer", async () => {
    await createWorkspace(page, base, {
      name: "Hedy Lamarr",
      email: "hedy@example.com",
      password: "frequency-hopping",
      workspace: "Kettle Co",
    });

    // Write the article from the Help centre section.
    await page.getByRole("link", { name: "Help centre" }).click();
    await page.getByRole("heading", { name: "Help centre" }).waitFor();
    await page.getByRole("button", { name: "New article" }).click();
    await page.getByRole("textbox", { name: "Title" }).fill("Refunds for broken kettles");
    await page
      .getByRole("textbox", { name: "Body (Markdown)" })
      .fill(
        'We refund a broken kettle within **5 days**.\n\n<img src=x onerror="window.__kbXss = 1">\n\n[Returns form](https://example.com/returns)',
      );
    await page.getByRole("tab", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview" });
    await preview.locator("strong", { hasText: "5 days" }).waitFor();
    expect(await preview.innerHTML()).not.toContain("onerror");
    expect(await preview.getByRole("link", { name: "Returns form" }).getAttribute("href")).toBe("https://example.com/returns");
    await page.getByRole("form", { name: "Article" }).getByText("Published", { exact: true }).click();
    expect(await page.getByRole("radio", { name: "Published" }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Create article" }).click();
    await page.waitForURL(/\/help-centre\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Refunds for broken kettles" }).waitFor();

    // An edit is kept as a version; an older text can be put back in the editor.
    const bodyBox = page.getByRole("textbox", { name: "Body (Markdown)" });
    await bodyBox.fill("We refund a broken kettle within **3 days**.");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Article saved").first().waitFor();
    await page.getByRole("button", { name: "Show versions" }).click();
    await expect.poll(() => page.getByTestId("article-version").count()).toBe(2);
    await page.getByRole("button", { name: "Use this text" }).click();
    expect(await bodyBox.inputValue()).toContain("5 days");
    await bodyBox.fill("We refund a broken kettle within **3 days**.");

    // Find it by another form of the word.
    await page.getByRole("link", { name: "Help centre" }).first().click();
    await page.getByRole("searchbox", { name: "Search articles" }).fill("refunded");
    const row = page.getByTestId("article-row").filter({ hasText: "Refunds for broken kettles" });
    await row.waitFor();
    await expect.poll(() => page.getByTestId("article-row").count()).toBe(1);
    expect(await row.textContent()).toContain("Published");
    await page.getByRole("searchbox", { name: "Search articles" }).fill("lasagne");
    await page.getByText("No article matches").waitFor();

    // A customer asks through a channel Parley can answer; the composer suggests the article.
    const channel = await page.request.post(`${base}/api/v1/channels`, {
      data: { name: "Site widget", network: "webhook", config: { reply_url: "https://example.com/parley-replies" } },
    });
    expect(channel.status(), await channel.text()).toBe(201);
    const ingest = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        channel_id: (await channel.json()).id,
        messages: [
          {
            network: "webhook",
            external_id: "kettle-1",
            author: { id: "ada", handle: "ada", display_name: "Ada" },
            text: "My kettle arrived broken. Can I get a refund?",
            created_at: new Date().toISOString(),
          },
        ],
      },
    });
    expect(ingest.status(), await ingest.text()).toBe(200);

    const conversationId = (await ingest.json()).results[0].conversation_id;
    await page.goto(`${base}/inbox/${conversationId}`);
    await page.getByText("My kettle arrived broken").first().waitFor();
    const composer = page.getByRole("form", { name: "Reply" });
    const suggested = composer.getByRole("region", { name: "Suggested articles" });
    await suggested.getByText("Refunds for broken kettles").waitFor();
    await suggested.getByRole("button", { name: "Insert Refunds for broken kettles" }).click();
    expect(await composer.getByRole("textbox", { name: "Reply text" }).inputValue()).toContain("Refunds for broken kettles");

    expect(await page.evaluate(() => (window as unknown as { __kbXss?: number }).__kbXss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
