// The community portal on the company's own domain (issue #17) in Chromium: staff set the
// domain in the Community page's Portal card; a customer's browser that resolves that name to
// this server gets the portal at / — joins, moves through its links, submits an idea and sees
// staff mark it planned — and nothing of the staff app or the API answers on that name.
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserHarness, createWorkspace, openBrowserHarness } from "./harness";

const DOMAIN = "community.grindhouse-demo.com";

describe("community portal on a custom domain", () => {
  let harness: BrowserHarness;
  let customer: Browser | undefined;

  beforeAll(async () => {
    harness = await openBrowserHarness("portal-domain");
  });

  afterAll(async () => {
    await customer?.close();
    await harness?.close();
  });

  it("serves the portal at the domain's root, with working links, and nothing else", async () => {
    const { page, base, pageErrors } = harness;
    await createWorkspace(page, base, {
      name: "Grace Hopper",
      email: "grace@example.com",
      password: "cobol-forever",
      workspace: "Grindhouse Coffee",
    });

    // staff set the domain on the Community page; a bad one is refused on its field first
    await page.goto(`${base}/community`);
    const domainField = page.getByRole("textbox", { name: "Custom domain" });
    await domainField.fill("localhost");
    await page.getByRole("button", { name: "Save portal settings" }).click();
    await page.getByText("must be a host name like community.example.com", { exact: true }).waitFor();
    await domainField.fill(DOMAIN);
    await page.getByRole("button", { name: "Save portal settings" }).click();
    await page.getByText("Portal settings saved").waitFor();
    await page.getByRole("link", { name: `https://${DOMAIN}/` }).waitFor();

    // the customer's browser resolves the domain to this server (as DNS would)
    const port = new URL(base).port;
    customer = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`],
    });
    const phone = await (await customer.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    phone.setDefaultTimeout(20_000);
    phone.on("pageerror", (error) => pageErrors.push(error.message));
    const site = `http://${DOMAIN}:${port}`;

    await phone.goto(`${site}/`);
    await phone.getByRole("link", { name: "Grindhouse Coffee" }).waitFor();
    await phone.getByRole("link", { name: "Join" }).click();
    expect(phone.url()).toBe(`${site}/signup`);
    await phone.getByLabel("Name shown to others").fill("Jo Brown");
    await phone.getByLabel("Email").fill("jo@example.com");
    await phone.getByLabel("Password (at least 10 characters)").fill("a long password");
    await phone.getByRole("button", { name: "Join" }).click();
    await phone.getByRole("link", { name: "Jo Brown" }).waitFor();
    expect(phone.url()).toBe(`${site}/`);

    await phone.getByRole("link", { name: "Ideas", exact: true }).click();
    expect(phone.url()).toBe(`${site}/ideas`);
    await phone.goto(`${site}/ideas/new`);
    await phone.getByLabel("Your idea").fill("Oat milk in the cold brew");
    await phone.getByRole("button", { name: "Submit idea" }).click();
    await phone.getByRole("heading", { name: "Oat milk in the cold brew" }).waitFor();
    const ideaUrl = phone.url();
    expect(ideaUrl).toMatch(new RegExp(`^${site.replace(/\./g, "\\.")}/ideas/[0-9a-f-]{36}$`));
    // still signed in on another page of the domain (the session cookie is for the whole host)
    await phone.getByRole("link", { name: "Roadmap" }).click();
    await phone.getByRole("link", { name: "Jo Brown" }).waitFor();

    // staff mark it planned; the customer sees it on the idea and the roadmap
    const ideaId = ideaUrl.split("/").pop() as string;
    const planned = await page.request.patch(`${base}/api/v1/ideas/${ideaId}`, { data: { status: "planned" } });
    expect(planned.status(), await planned.text()).toBe(200);
    await phone.goto(`${site}/roadmap`);
    await phone.getByRole("link", { name: "Oat milk in the cold brew" }).waitFor();

    // nothing else of Parley answers on the domain
    for (const path of ["/inbox", "/api/v1/community/settings", "/api/docs"]) {
      const res = await phone.goto(`${site}${path}`);
      expect(res?.status(), path).toBe(404);
    }
    expect(pageErrors).toEqual([]);
  });
});
