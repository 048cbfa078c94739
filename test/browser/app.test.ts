// The web app end to end: the built bundle served by the real Parley server
// (its own temporary data directory), driven in headless Chromium. Selectors
// go by role and label, so the test also proves every control is labelled.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, openBrowserHarness } from "./harness";

describe("web app", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("browser");
    ({ page, base, pageErrors } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("signs up, adds a custom field, a contact and a note, finds it, and signs out", async () => {
    // A fresh install offers to create the first workspace.
    await page.goto(base);
    await page.getByRole("heading", { name: "Create your workspace" }).waitFor();
    expect(await page.getByLabel("Your name").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByLabel("Workspace name").fill("Difference Co");
    await page.getByLabel("Workspace name").press("Enter"); // Enter submits the form
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("heading", { name: "Contacts" }).waitFor();
    await page.getByText("No contacts yet").waitFor();
    expect(await page.getByTestId("workspace-name").textContent()).toBe("Difference Co");

    // Settings → Custom fields: the key is derived from the label.
    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await page.getByRole("tab", { name: "Custom fields" }).click();
    await page.getByLabel("Label").fill("Loyalty tier");
    expect(await page.getByRole("textbox", { name: "Key" }).inputValue()).toBe("loyalty_tier");
    await page.getByRole("button", { name: "Add field" }).click();
    await page.getByRole("cell", { name: "Loyalty tier", exact: true }).waitFor();
    await page.getByRole("cell", { name: "loyalty_tier", exact: true }).waitFor();

    // A new contact, with the custom field filled in.
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("button", { name: "New contact" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.waitFor();
    await dialog.getByLabel("First name").fill("Grace");
    await dialog.getByLabel("Last name").fill("Hopper");
    await dialog.getByRole("combobox", { name: "Emails" }).fill("grace@example.com");
    await dialog.getByLabel("Loyalty tier").fill("Platinum");
    await dialog.getByRole("button", { name: "Create contact" }).click();
    await page.getByRole("heading", { name: /Grace Hopper/ }).waitFor();
    await page.getByText("Platinum", { exact: true }).waitFor();
    await page.getByRole("link", { name: "grace@example.com" }).waitFor();

    // A note on the timeline; markup in it stays text.
    const note = "Asked about the <b>renewal</b> & pricing";
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByText("Nothing on the timeline yet").waitFor();
    await page.getByRole("textbox", { name: "Note text" }).fill(note);
    await page.getByRole("button", { name: "Add note" }).click();
    await timeline.getByText(note, { exact: true }).waitFor();
    expect(await timeline.locator("b").count()).toBe(0);

    // The list finds the contact by search, and says so when nothing matches.
    await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill("Hopper");
    await page.waitForURL(/q=Hopper/);
    const table = page.getByRole("table", { name: "Contacts" });
    await table.getByRole("link", { name: "Grace Hopper" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(2); // header + Grace
    await search.fill("no-such-person-xyz");
    await page.getByText("No contacts match").waitFor();
    expect(await page.getByRole("link", { name: "Grace Hopper" }).count()).toBe(0);
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await table.getByRole("link", { name: "Grace Hopper" }).waitFor();

    // Signing out returns to the sign-in form, and signing in works again.
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("analytical-engine");
    await page.getByRole("textbox", { name: "Password" }).press("Enter");
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);

    expect(pageErrors).toEqual([]);
  });
});
