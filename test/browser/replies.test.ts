// Replying from the inbox (issue #14): a Mastodon post read by the channel's poll is answered in
// the conversation view; the reply shows at once as sending, the running server's worker sends
// it to the (local, API-checking) instance, and the view shows it sent.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MastodonFake, startMastodonFake } from "../connectors/fakes/mastodon";
import { allowPrivateUrls } from "../connectors/fakes/server";
import { type BrowserHarness, createWorkspace, openBrowserHarness, pollMastodon } from "./harness";

describe("replies", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];
  let fake: MastodonFake;
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    // the server started by the harness inherits this: it may reach the local instance
    restoreEnv = allowPrivateUrls("1");
    fake = await startMastodonFake();
    harness = await openBrowserHarness("replies");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
    await fake?.close();
    restoreEnv();
  });

  it("answers a Mastodon post from the inbox and shows it sent", async () => {
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol-forever",
      workspace: "Compiler Co",
    });

    const status = fake.addStatus({ tag: "grinder", content: "<p>The lid of my grinder cracked &lt;b&gt;twice&lt;/b&gt;. Help?</p>" });
    await pollMastodon(page, base, fake, "grinder");

    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByText("The lid of my grinder cracked").first().click();
    const composer = page.getByRole("form", { name: "Reply" });
    await composer.waitFor();
    await composer.getByText("starts with @kaito@fosstodon.example").waitFor();

    const text = "So sorry! A replacement lid is on its way <3";
    await composer.getByRole("textbox", { name: "Reply text" }).fill(text);
    // 25 characters of mention + the text, against Mastodon's 500
    expect(await composer.getByTestId("reply-count").textContent()).toContain(`${25 + text.length} / 500`);
    await composer.getByRole("button", { name: "Send" }).click();

    // The reply is in the thread at once, and turns "Sent" once the worker delivered it.
    const sent = page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: "replacement lid" });
    await sent.waitFor();
    await expect.poll(() => sent.getByTestId("delivery-status").textContent(), { timeout: 20_000 }).toBe("Sent");
    expect(await composer.getByRole("textbox", { name: "Reply text" }).inputValue()).toBe("");

    // The instance received it once, threaded under the customer's post, as written (text, not HTML).
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]?.body).toMatchObject({
      in_reply_to_id: status.id,
      visibility: "public",
      status: `@kaito@fosstodon.example ${text}`,
    });
    expect(fake.posted[0]?.authorization).toBe(`Bearer ${fake.token}`);
    expect(pageErrors).toEqual([]);
  });
});
