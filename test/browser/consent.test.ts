// Consent to social engagement in the inbox (issue 13): the composer under a conversation with a
// person who withdrew it says so, Send waits for the agent's explicit "send anyway", and the reply
// then goes (the override is in the audit log).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

describe("social engagement consent in the composer", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("consent");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("warns, needs 'send anyway', then sends and audits", async () => {
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol-forever",
      workspace: "Consent Co",
    });

    const api = async (method: "post" | "get", path: string, data?: unknown) => {
      const res = await page.request[method](`${base}/api/v1${path}`, data === undefined ? {} : { data });
      expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
      return res.json();
    };
    const channel = await api("post", "/channels", {
      name: "Helpdesk",
      network: "webhook",
      config: { reply_url: "https://help.example/parley-replies" },
    });
    await api("post", "/messages:batch", {
      channel_id: channel.id,
      messages: [
        {
          network: "webhook",
          external_id: "nora-1",
          author: { id: "u-nora", handle: "nora" },
          text: "Please stop contacting me about my invoice",
          created_at: "2026-11-24T10:00:00Z",
        },
      ],
    });
    const message = (await api("get", "/messages?network=webhook")).data[0];
    const contact = await api("post", "/contacts", { name: "Nora Quinn" });
    await api("post", `/profiles/${message.profile_id}/link`, { contact_id: contact.id });
    await api("post", `/contacts/${contact.id}/consent`, { purpose: "social_engagement", status: "withdrawn", source: "email" });

    await page.getByRole("link", { name: "Inbox" }).click();
    await page.getByText("Please stop contacting me").first().click();
    const composer = page.getByRole("form", { name: "Reply" });
    await composer.waitFor();
    const warning = composer.getByTestId("consent-warning");
    await warning.waitFor();
    expect(await warning.textContent()).toContain("Nora Quinn withdrew consent to social engagement");

    await composer.getByRole("textbox", { name: "Reply text" }).fill("Understood, we have noted it.");
    const send = composer.getByRole("button", { name: "Send" });
    expect(await send.isDisabled()).toBe(true);
    await composer.getByRole("checkbox", { name: /Send anyway/ }).check();
    expect(await send.isDisabled()).toBe(false);
    await send.click();

    await page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: "we have noted it" }).waitFor();
    const log = await api("get", "/audit?action=reply.consent_overridden");
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ target_type: "contact", target_id: contact.id, actor_name: "Grace Hopper" });
    expect(pageErrors).toEqual([]);
  });
});
