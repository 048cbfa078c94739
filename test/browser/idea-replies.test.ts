// Closing the loop on ideas (issue #14): the owner turns on replies to the posts that asked for an
// idea; changing its status first shows, person by person, the public reply each will get, and
// once confirmed the running server's worker posts it on the (local, API-checking) instance.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MastodonFake, startMastodonFake } from "../connectors/fakes/mastodon";
import { allowPrivateUrls } from "../connectors/fakes/server";
import { type BrowserHarness, createWorkspace, openBrowserHarness, pollMastodon } from "./harness";

describe("idea status replies", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let fake: MastodonFake;
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    restoreEnv = allowPrivateUrls("1");
    fake = await startMastodonFake();
    harness = await openBrowserHarness("idea-replies");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
    restoreEnv();
  });

  it("previews the reply to the person who asked, then posts it when the status changes", async () => {
    await createWorkspace(page, base, {
      name: "Ida Ideas",
      email: "ida@example.com",
      password: "analytical-engine",
      workspace: "Roadmap Co",
    });

    const status = fake.addStatus({ tag: "darkmode", content: "<p>Please give the app a dark mode &lt;i&gt;soon&lt;/i&gt;</p>" });
    await pollMastodon(page, base, fake, "darkmode");
    const messages = (await (await page.request.get(`${base}/api/v1/messages?network=mastodon`)).json()).data as { id: string }[];
    const idea = await (await page.request.post(`${base}/api/v1/ideas`, { data: { title: "Dark mode" } })).json();
    expect((await page.request.post(`${base}/api/v1/ideas/${idea.id}/messages`, { data: { message_id: messages[0]?.id } })).status()).toBe(
      200,
    );

    await page.goto(`${base}/ideas/${idea.id}`);
    await page.getByRole("heading", { name: "Dark mode" }).waitFor();
    const toggle = page.getByRole("switch", { name: /Reply to the public posts that asked/ });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await toggle.click({ force: true });
    await expect.poll(async () => (await (await page.request.get(`${base}/api/v1/ideas/status-replies`)).json()).enabled).toBe(true);
    await expect.poll(() => toggle.isChecked()).toBe(true);

    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Planned" }).click();
    const dialog = page.getByRole("dialog");
    const replies = dialog.getByRole("list", { name: "Replies to post" });
    await replies.getByText(/An update on your idea "Dark mode": It is now planned/).waitFor();
    expect(await replies.getByRole("listitem").count()).toBe(1);
    await dialog.getByRole("button", { name: "Change and post 1 reply" }).click();
    await page.getByText("Planned").first().waitFor();

    await expect.poll(() => fake.posted.filter((p) => p.body.in_reply_to_id === status.id).length, { timeout: 30_000 }).toBe(1);
    const posted = fake.posted.find((p) => p.body.in_reply_to_id === status.id);
    expect(String(posted?.body.status)).toMatch(/^@kaito@\S+ An update on your idea "Dark mode": It is now planned/);
    expect(harness.pageErrors).toEqual([]);
  });
});
