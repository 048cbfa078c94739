// Settings → Audit log: an owner sees who did what, filters it, and strangers' text in an entry
// (a contact's name) shows as text, never as markup.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const HOSTILE = '<img src=x onerror="window.__pwned=1">Mallory';

describe("the audit log page", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("audit");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("lists entries with who and what, filters by action, and renders names as text", async () => {
    await createWorkspace(page, base, {
      name: "Ada Auditor",
      email: "ada@example.com",
      password: "analytical-engine",
      workspace: "Ledger Co",
    });

    const contact = await page.request.post(`${base}/api/v1/contacts`, { data: { name: HOSTILE } });
    expect(contact.status()).toBe(201);
    const { id } = (await contact.json()) as { id: string };
    expect((await page.request.delete(`${base}/api/v1/contacts/${id}`)).status()).toBe(204);
    expect((await page.request.post(`${base}/api/v1/api-keys`, { data: { name: "zapier", role: "agent" } })).status()).toBe(201);

    await page.goto(`${base}/settings/audit`);
    const table = page.getByRole("table", { name: "Audit log" });
    await table.getByText(`Deleted contact "${HOSTILE}"`).waitFor();
    await table.getByText('Created API key "zapier" (agent)').waitFor();
    await table.getByRole("row").filter({ hasText: "contact.deleted" }).getByText("Ada Auditor").waitFor();
    expect(await table.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // filter: API keys only
    await page.getByRole("combobox", { name: "Action" }).click();
    await page.getByRole("option", { name: "API keys" }).click();
    await table.getByText('Created API key "zapier" (agent)').waitFor();
    await table.getByText(`Deleted contact "${HOSTILE}"`).waitFor({ state: "detached" });
    const actions = await table.locator("tbody code").allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith("api_key."))).toBe(true);

    // the CSV link carries the filter
    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toContain("format=csv");
    expect(href).toContain("action=api_key.");
    expect(harness.pageErrors).toEqual([]);
  });

  it("the person view offers the subject access export to the owner", async () => {
    const made = await page.request.post(`${base}/api/v1/contacts`, { data: { name: "Jo Brown", emails: ["jo@example.com"] } });
    const { id } = (await made.json()) as { id: string };
    await page.goto(`${base}/contacts/${id}`);
    await page.getByRole("button", { name: "Quick actions" }).click();
    const link = page.getByRole("menuitem", { name: "Export personal data" });
    const href = await link.getAttribute("href");
    expect(href).toBe(`/api/v1/contacts/${id}/privacy-export`);
    const download = await page.request.get(`${base}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/zip");
    expect(harness.pageErrors).toEqual([]);
  });
});
