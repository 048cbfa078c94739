// The community portal (issue #17) in Chromium, at phone and desktop width: a customer joins and
// asks, another member answers, the asker accepts; staff see the question in the inbox and reply,
// and the reply shows in the portal thread. An idea collects a vote from a member who was shown
// it while typing a duplicate, and one from a social post, and the portal shows the count.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("community portal", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("portal");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await harness?.close();
  });

  async function visitor(width: number, height: number): Promise<Page> {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on("pageerror", (error) => pageErrors.push(error.message));
    return p;
  }

  async function join(p: Page, portal: string, name: string, email: string) {
    await p.goto(portal);
    await p.getByRole("link", { name: "Join" }).click();
    await p.getByLabel("Name shown to others").fill(name);
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password (at least 10 characters)").fill("a long password");
    await p.getByRole("button", { name: "Join" }).click();
    await p.getByRole("link", { name }).waitFor();
  }

  const fitsWidth = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it("asks, answers, accepts, and shows the staff reply from the inbox", async () => {
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol-forever",
      workspace: "Grindhouse Coffee",
    });
    const settings = await page.request.get(`${base}/api/v1/community/settings`);
    const portal = `${base}${(await settings.json()).url}`;

    // the asker is on a phone
    const asker = await visitor(390, 844);
    await join(asker, portal, "Jo Brown", "jo@example.com");
    await asker.getByRole("link", { name: "Ask a question" }).click();
    await asker.getByLabel("Your question").fill("How do I descale the Grinder 3000?");
    await asker.getByLabel("Details").fill("It has got **slow**. <script>alert(1)</script>");
    await asker.getByRole("button", { name: "Post question" }).click();
    await asker.getByRole("heading", { name: "How do I descale the Grinder 3000?" }).waitFor();
    expect(await asker.locator("strong", { hasText: "slow" }).count()).toBe(1);
    await asker.getByText("<script>alert(1)</script>").waitFor(); // shown as text
    expect(await fitsWidth(asker)).toBe(true);
    const questionUrl = asker.url();

    // another member answers, on a desktop
    const helper = await visitor(1280, 900);
    await join(helper, portal, "Sam Helper", "sam@example.com");
    await helper.goto(questionUrl);
    await helper.getByLabel("Answer").fill("Run a descaling tablet through it twice.");
    await helper.getByRole("button", { name: "Post answer" }).click();
    await helper.getByText("Run a descaling tablet through it twice.").waitFor();

    await asker.goto(questionUrl);
    await asker.getByRole("button", { name: "Accept answer" }).click();
    await asker.getByText("Accepted answer").waitFor();

    // staff see the question in the inbox and answer it there
    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByText("How do I descale the Grinder 3000?").first().click();
    const composer = page.getByRole("form", { name: "Reply" });
    await composer.waitFor();
    await composer.getByRole("textbox", { name: "Reply text" }).fill("Staff here: our descaler works best monthly.");
    await composer.getByRole("button", { name: "Send" }).click();
    const sent = page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: "descaler works best" });
    await expect.poll(() => sent.getByTestId("delivery-status").textContent(), { timeout: 20_000 }).toBe("Sent");

    await asker.goto(questionUrl);
    const staffReply = asker.locator("article", { hasText: "Staff here: our descaler works best monthly." });
    await staffReply.waitFor();
    expect(await staffReply.locator(".badge.staff").textContent()).toBe("Staff");
    expect(await fitsWidth(asker)).toBe(true);

    // ideas: Sam suggests one; Jo, typing the same wish, is shown it and votes instead
    await helper.goto(`${portal}/ideas/new`);
    await helper.getByLabel("Your idea").fill("Dark mode for the mobile app");
    await helper.getByRole("button", { name: "Submit idea" }).click();
    await helper.getByRole("heading", { name: "Dark mode for the mobile app" }).waitFor();
    const ideaUrl = helper.url();

    await asker.goto(`${portal}/ideas/new`);
    await asker.getByLabel("Your idea").pressSequentially("dark mode app", { delay: 20 });
    await asker.locator("#similar").getByRole("link", { name: "Dark mode for the mobile app" }).click();
    await asker.getByRole("button", { name: "Vote" }).click();
    await asker.getByText("You voted").waitFor();
    expect(await asker.getByTestId("idea-votes").textContent()).toBe("2");

    // a post on X asking for it, linked by staff, is a third person's vote
    const ingested = await page.request.post(`${base}/api/v1/messages:batch`, {
      data: {
        messages: [
          {
            network: "x",
            external_id: "tweet-dark-mode",
            author: { id: "x-carla", handle: "carla" },
            text: "Would love a dark mode in your app!",
            created_at: "2026-11-20T10:00:00Z",
          },
        ],
      },
    });
    const messageId = (await ingested.json()).results[0].message_id as string;
    const ideaId = ideaUrl.split("/").pop() as string;
    const linked = await page.request.post(`${base}/api/v1/ideas/${ideaId}/messages`, { data: { message_id: messageId } });
    expect(linked.status(), await linked.text()).toBeLessThan(300);
    await asker.reload();
    expect(await asker.getByTestId("idea-votes").textContent()).toBe("3");
    expect(pageErrors).toEqual([]);
  });
});
