// CSV import of contacts in the web app: the preview shows each column's first values beside the
// field it fills; columns Parley cannot guess are given a field by hand (the preview is worked out
// again), one is left out, and the import stores what the preview said.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const CSV =
  'Kontakt,Post,Anteckning\nAda Lovelace,ada@example.com,"<b>likes</b> engines"\nGrace Hopper,grace@example.com,met at a conference\n';

describe("importing contacts from CSV", { timeout: 180_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    harness = await openBrowserHarness("import-csv");
    ({ page, base } = harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("remaps the columns it cannot guess, with sample values, then imports", async () => {
    await createWorkspace(page, base, {
      name: "Ida Importer",
      email: "ida@example.com",
      password: "analytical-engine",
      workspace: "Import AB",
    });

    await page.goto(`${base}/contacts`);
    await page.getByRole("heading", { name: "Contacts" }).waitFor();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Import contacts" });
    await dialog.locator('input[type="file"]').setInputFiles({ name: "kontakter.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    await dialog.getByRole("button", { name: "Preview import" }).click();

    // None of the Swedish headers is guessed: the preview lists them with their first values.
    await dialog.getByText("No column fills a contact field yet").waitFor();
    const table = dialog.getByRole("table", { name: "Column mapping" });
    const row = (column: string) => table.getByRole("row").filter({ has: page.getByRole("cell", { name: column, exact: true }) });
    await row("Post").getByText("ada@example.com · grace@example.com").waitFor();
    // The markup in a value is shown as text.
    await row("Anteckning").getByText("<b>likes</b> engines", { exact: false }).waitFor();
    expect(await table.locator("b").count()).toBe(0);
    expect(await dialog.getByRole("button", { name: /^Import \d+ contacts$/ }).isDisabled()).toBe(true);

    const pick = async (column: string, option: string) => {
      await dialog.getByRole("combobox", { name: `Field for column ${column}` }).click();
      await page.getByRole("option", { name: option, exact: true }).click();
    };
    await pick("Kontakt", "Name");
    await dialog.getByRole("button", { name: "Import 2 contacts" }).waitFor();
    await pick("Post", "Emails");
    await pick("Anteckning", "Notes");
    await expect.poll(() => dialog.getByRole("combobox", { name: "Field for column Anteckning" }).inputValue()).toBe("Notes");
    await dialog.getByRole("button", { name: "Import 2 contacts" }).click();
    await dialog.getByText("Import finished").waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();

    const contacts = await page.request.get(`${base}/api/v1/contacts?sort=name`);
    const data = (await contacts.json()).data as { name: string; emails: string[]; notes: string | null }[];
    expect(data.map((c) => [c.name, c.emails, c.notes])).toEqual([
      ["Ada Lovelace", ["ada@example.com"], "<b>likes</b> engines"],
      ["Grace Hopper", ["grace@example.com"], "met at a conference"],
    ]);
    expect(harness.pageErrors).toEqual([]);
  });
});
