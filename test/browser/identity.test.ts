// Identity resolution end to end: two contacts that are one person are found by
// a scan, compared side by side, merged with a chosen surviving name, and the
// merge is undone; an unknown message author becomes a contact whose person view
// shows the profile and the message.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const HOSTILE_TEXT = `<img src=x onerror="window.__xss=1"> the export is slow since the update`;

type ContactJson = { id: string; name: string | null; emails: string[]; phones: string[] };

describe("identity", () => {
  let harness: BrowserHarness;
  let page: Page;
  let base = "";
  let pageErrors: string[] = [];

  beforeAll(async () => {
    harness = await openBrowserHarness("identity");
    ({ page, base, pageErrors } = harness);
    // The first page load and the scan can be slow on a shared, busy machine (no timings are asserted).
    page.setDefaultTimeout(45_000);
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function getContact(id: string) {
    const res = await page.request.get(`${base}/api/v1/contacts/${id}`);
    return { status: res.status(), body: (res.ok() ? await res.json() : null) as ContactJson | null };
  }

  it("scans, compares, merges with a chosen name, undoes; turns an unknown author into a contact", async () => {
    await createWorkspace(page, base, {
      name: "Ada Lovelace",
      email: "ada@example.com",
      password: "analytical-engine",
      workspace: "Difference Co",
    });

    // Seed through the API, with the signed-in session and an integration's key.
    const jo = await page.request.post(`${base}/api/v1/contacts`, { data: { name: "Jo Brown", emails: ["jo.brown@example.com"] } });
    expect(jo.status()).toBe(201);
    const joanne = await page.request.post(`${base}/api/v1/contacts`, {
      data: { name: "Joanne Brown", emails: ["JO.Brown@Example.com", "joanne@brown.example"], phones: ["+1 415 555 0100"] },
    });
    expect(joanne.status()).toBe(201);
    const joId = ((await jo.json()) as ContactJson).id;
    const joanneId = ((await joanne.json()) as ContactJson).id;
    const joanneBefore = (await getContact(joanneId)).body;

    const keyResponse = await page.request.post(`${base}/api/v1/api-keys`, { data: { name: "Ingest bot", role: "agent" } });
    expect(keyResponse.status()).toBe(201);
    const { secret } = (await keyResponse.json()) as { secret: string };
    const batch = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        messages: [
          {
            network: "mastodon",
            external_id: "https://social.example/@sam/1",
            url: "https://social.example/@sam/1",
            author: {
              id: "sam-1",
              handle: "sam@social.example",
              display_name: "Sam Rivera",
              profile_url: "https://social.example/@sam",
              bio: "Data plumber",
              followers: 321,
            },
            text: HOSTILE_TEXT,
            created_at: new Date(Date.now() - 60_000).toISOString(),
          },
        ],
      },
    });
    expect(batch.status()).toBe(200);
    expect(((await batch.json()) as { stored: number }).stored).toBe(1);

    // Duplicates: scan, see the pair with its evidence.
    const nav = page.getByRole("navigation");
    await nav.getByRole("link", { name: "Duplicates" }).click();
    await page.getByRole("heading", { name: "Possible duplicates" }).waitFor();
    await page.getByText("No possible duplicates").waitFor();
    await page.getByRole("button", { name: "Scan now" }).click();
    await page.getByText(/Scanned \d+ contacts: 1 possible duplicate pair\./).waitFor();
    const pair = page.getByTestId("duplicate-pair");
    await expect.poll(() => pair.count()).toBe(1);
    expect(await pair.getByRole("link", { name: "Jo Brown", exact: true }).count()).toBe(1);
    expect(await pair.getByRole("link", { name: "Joanne Brown", exact: true }).count()).toBe(1);
    const evidence = await pair.getByTestId("evidence").allTextContents();
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.join(" ").toLowerCase()).toContain("email");

    // Compare side by side; the more complete record (Joanne: two emails and a phone) is kept,
    // and we choose "Jo Brown" as the name that survives.
    await pair.getByRole("button", { name: "Compare" }).click();
    const dialog = page.getByRole("dialog", { name: "Compare and merge" });
    await dialog.waitFor();
    const keepJo = dialog.getByRole("radio", { name: /^Name: keep Jo Brown \(/ });
    const keepJoanne = dialog.getByRole("radio", { name: /^Name: keep Joanne Brown \(/ });
    expect(await keepJoanne.isChecked()).toBe(true);
    await keepJo.check();
    expect(await keepJo.isChecked()).toBe(true);
    // The combined emails are previewed before merging.
    const emailsPreview = await dialog.getByTestId("union-emails").textContent();
    expect(emailsPreview).toContain("jo.brown@example.com");
    expect(emailsPreview).toContain("joanne@brown.example");
    await dialog.getByLabel("Reason").fill("Same person, two sign-ups");
    await dialog.getByRole("button", { name: /^Merge into / }).click();
    await page.getByText("Contacts merged").waitFor();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => pair.count()).toBe(0);

    // The kept contact has the chosen name, both emails and the phone; the other is gone.
    expect((await getContact(joId)).status).toBe(404);
    const merged = (await getContact(joanneId)).body;
    expect(merged?.name).toBe("Jo Brown");
    expect([...(merged?.emails ?? [])].sort()).toEqual(["jo.brown@example.com", "joanne@brown.example"]);
    // The merged-away contact's page says where it went.
    await page.goto(`${base}/contacts/${joId}`);
    await page.getByText("Contact not found").waitFor();
    const mergedAway = page.getByRole("status").filter({ hasText: "was merged into" });
    await mergedAway.getByRole("link", { name: "Jo Brown" }).click();
    await page.waitForURL(`${base}/contacts/${joanneId}`);
    await page.getByRole("heading", { name: /^Jo Brown/ }).waitFor();
    await page.getByRole("link", { name: "jo.brown@example.com" }).waitFor();
    await page.getByRole("link", { name: "joanne@brown.example" }).waitFor();

    // Undo from the person view's merge history: both contacts are back as they were.
    const history = page.getByRole("region", { name: "Merge history" });
    await history.getByText("Same person, two sign-ups", { exact: false }).waitFor();
    await history.getByRole("button", { name: "Undo merge" }).click();
    await page.getByText("Merge undone: both contacts are back").waitFor();
    await page.getByRole("heading", { name: /^Joanne Brown/ }).waitFor();
    const joAfter = await getContact(joId);
    expect(joAfter.status).toBe(200);
    expect(joAfter.body?.name).toBe("Jo Brown");
    expect(joAfter.body?.emails).toEqual(["jo.brown@example.com"]);
    const joanneAfter = (await getContact(joanneId)).body;
    expect(joanneAfter?.name).toBe("Joanne Brown");
    expect(joanneAfter?.emails).toEqual(joanneBefore?.emails);
    expect(joanneAfter?.phones).toEqual(joanneBefore?.phones);
    await history.getByText(/\(undone\)/).waitFor();

    // The activity composer still works on the person view, and its note joins the unified timeline.
    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Log call" }).click();
    const composer = page.getByRole("region", { name: "Add activity" });
    expect(await composer.getByRole("radio", { name: "Call" }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Add note" }).click();
    await expect.poll(() => composer.getByRole("radio", { name: "Note" }).isChecked()).toBe(true);
    await composer.getByLabel("Note text").fill("Asked about the export speed");
    await composer.getByRole("button", { name: "Add note" }).click();
    const personTimeline = page.getByTestId("person-timeline");
    await personTimeline.getByText("Asked about the export speed").waitFor();
    // A case and a deal opened from the person view join the same timeline.
    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Create case" }).click();
    const caseDialog = page.getByRole("dialog", { name: "Create case" });
    await caseDialog.getByLabel("Subject").fill("Export is slow");
    await caseDialog.getByRole("button", { name: "Open case" }).click();
    await personTimeline.getByText("Export is slow").waitFor();
    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Create deal" }).click();
    const dealDialog = page.getByRole("dialog", { name: "Create deal" });
    await dealDialog.getByLabel("Title").fill("Team plan upgrade");
    await dealDialog.getByRole("button", { name: "Create deal" }).click();
    await personTimeline.getByText("Team plan upgrade").waitFor();
    // Each links to its own page.
    expect(await personTimeline.getByRole("link", { name: "Export is slow" }).getAttribute("href")).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
    expect(await personTimeline.getByRole("link", { name: "Team plan upgrade" }).getAttribute("href")).toMatch(/^\/deals\/[0-9a-f-]{36}$/);
    // Filtering by type hides them.
    await page.getByRole("combobox", { name: "Filter by type" }).click();
    await page.getByRole("option", { name: "Merges" }).click();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByText("Asked about the export speed").count()).toBe(0);
    expect(await personTimeline.getByText("Export is slow").count()).toBe(0);

    // "Merge with…" from the person view, undone from the notification.
    await page.getByRole("button", { name: "Quick actions" }).click();
    await page.getByRole("menuitem", { name: "Merge with…" }).click();
    const picker = page.getByRole("dialog", { name: /^Merge Joanne Brown with/ });
    await picker.getByRole("combobox", { name: "The other contact" }).fill("Jo Brown");
    await page.getByRole("option", { name: "Jo Brown (jo.brown@example.com)" }).click();
    const compare = page.getByRole("dialog", { name: "Compare and merge" });
    // The first merge's notification went away when that merge was undone.
    expect(await page.getByText("Contacts merged").count()).toBe(0);
    await compare.getByRole("button", { name: "Merge into Joanne Brown" }).click();
    await page.getByText("Contacts merged").waitFor();
    expect((await getContact(joId)).status).toBe(404);
    await page.getByRole("button", { name: "Undo", exact: true }).click();
    await page.getByText("Merge undone: both contacts are back").first().waitFor();
    await expect.poll(async () => (await getContact(joId)).status).toBe(200);
    expect((await getContact(joanneId)).body?.emails).toEqual(joanneBefore?.emails);

    // Settings → Identity: the owner turns automatic linking off.
    await nav.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("tab", { name: "Identity" }).click();
    await page.getByRole("radio", { name: "On strong evidence only (recommended)" }).waitFor();
    expect(await page.getByRole("radio", { name: "On strong evidence only (recommended)" }).isChecked()).toBe(true);
    await page.getByRole("radio", { name: "Never" }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Identity settings saved").waitFor();
    const settings = await page.request.get(`${base}/api/v1/identity/settings`);
    expect(((await settings.json()) as { auto_link: string }).auto_link).toBe("off");

    // People we don't know yet: the unknown author, turned into a contact.
    await nav.getByRole("link", { name: "People" }).click();
    await page.getByRole("heading", { name: "People we don't know yet" }).waitFor();
    const person = page.getByTestId("unknown-person").filter({ hasText: "Sam Rivera" });
    await person.waitFor();
    expect(await person.textContent()).toContain("1 message");
    // Its details: the recent message, as text.
    await person.getByRole("button", { name: "Details of Sam Rivera" }).click();
    const drawer = page.getByRole("dialog", { name: "Sam Rivera" });
    await drawer.getByText(HOSTILE_TEXT).waitFor();
    await drawer.getByText("Data plumber").waitFor();
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });
    await person.getByRole("button", { name: "Create contact" }).click();
    const create = page.getByRole("dialog", { name: "Create a contact from this profile" });
    expect(await create.getByLabel("Name").inputValue()).toBe("Sam Rivera");
    await create.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: /^Sam Rivera/ }).waitFor();

    // The person view lists the profile (a safe link to it) and the message on the timeline, as text.
    const profiles = page.getByRole("region", { name: "Profiles" });
    const profile = profiles.getByTestId("linked-profile");
    await expect.poll(() => profile.count()).toBe(1);
    const profileLink = profile.getByRole("link", { name: /sam@social\.example/ });
    expect(await profileLink.getAttribute("href")).toBe("https://social.example/@sam");
    expect(await profileLink.getAttribute("rel")).toBe("noopener noreferrer");
    const timeline = page.getByTestId("person-timeline");
    await timeline.getByText(HOSTILE_TEXT).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // And nobody unknown is left.
    await nav.getByRole("link", { name: "People" }).click();
    await page.getByText("Nobody unknown here").waitFor();

    // With automatic linking off, an author writing from a contact's address is only suggested;
    // "Link to <suggested>" links it.
    const mail = await page.request.post(`${base}/api/v1/messages:batch`, {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        messages: [
          {
            network: "email",
            external_id: "<order-42@brown.example>",
            author: { id: "joanne@brown.example", handle: "joanne@brown.example", display_name: "Joanne B." },
            subject: "Order 42",
            text: "Where is my order?",
            created_at: new Date(Date.now() - 30_000).toISOString(),
          },
        ],
      },
    });
    expect(mail.status()).toBe(200);
    await page.reload();
    const suggested = page.getByTestId("unknown-person").filter({ hasText: "Joanne B." });
    await suggested.waitFor();
    const hint = await suggested.getByTestId("top-suggestion").textContent();
    expect(hint).toContain("probably Joanne Brown");
    expect(hint).toContain("joanne@brown.example");
    await suggested.getByRole("button", { name: "Link to Joanne Brown" }).click();
    await page.waitForURL(`${base}/contacts/${joanneId}`);
    const joanneProfiles = page.getByRole("region", { name: "Profiles" }).getByTestId("linked-profile");
    await joanneProfiles.filter({ hasText: "Confirmed by staff" }).waitFor();
    await page.getByTestId("person-timeline").getByText("Where is my order?").waitFor();

    expect(pageErrors).toEqual([]);
  });
});
