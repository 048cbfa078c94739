import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, "fixtures/transfer", name), "utf8");

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function importCsv(c: Caller, body: string, query = "", entity = "contacts") {
  return c.request("POST", `/api/v1/imports/${entity}${query}`, body, { "content-type": "text/csv" });
}

async function allContacts(c: Caller) {
  const res = await c.request("GET", "/api/v1/contacts?limit=200&sort=name");
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<Record<string, unknown> & { name: string; organization: { id: string; name: string } | null }>;
}

async function allOrganizations(c: Caller) {
  const res = await c.request("GET", "/api/v1/organizations?limit=200&sort=name");
  return res.json().data as Array<{
    id: string;
    name: string;
    domain: string | null;
    industry: string | null;
    size: string | null;
    custom: Record<string, unknown>;
  }>;
}

async function planField(c: Caller) {
  const res = await c.request("POST", "/api/v1/custom-fields", {
    entity: "contact",
    key: "plan",
    label: "Plan",
    type: "select",
    options: ["Free", "Pro", "Enterprise"],
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe("CSV import of contacts", () => {
  it("stores the good rows and names row, column and reason for each bad one", async () => {
    const owner = await newWorkspace(t);
    await planField(owner);
    const acme = await owner.request("POST", "/api/v1/organizations", { name: "Acme Corp", domain: "acme-corp.example" });
    expect(acme.statusCode).toBe(201);

    const res = await importCsv(owner, fixture("contacts-mixed.csv"), "?id_column=External%20ID");
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ total: 8, created: 3, updated: 0 });
    expect(summary.rejected).toEqual([
      { row: 4, column: "E-mail", message: 'must be an email address (got "chloe.martin@example")' },
      { row: 5, column: "Lifecycle Stage", message: expect.stringMatching(/^"Hot" is not a lifecycle stage \(one of: subscriber, lead,/) },
      { row: 7, column: "Email Opt-in", message: '"maybe" is not yes or no (use yes/no, true/false or 1/0)' },
      { row: 8, column: "Plan", message: '"Platinum" is not one of: Free, Pro, Enterprise' },
      { row: 10, column: "First Name", message: "a contact needs a name, a first or last name, or an email" },
    ]);
    expect(summary.mapping).toEqual({
      "First Name": "first_name",
      "Last Name": "last_name",
      "E-mail": "emails",
      "Work Email": "emails",
      Phone: "phones",
      Company: "organization",
      "Job Title": "title",
      "Lifecycle Stage": "lifecycle_stage",
      Tags: "tags",
      City: "city",
      Country: "country",
      "Email Opt-in": "consent_email",
      Plan: "custom.plan",
      "External ID": "external_id",
      Notes: "notes",
    });
    expect(summary.unmapped_columns).toEqual([{ column: "Customer Since", suggested_type: "date" }]);

    const contacts = await allContacts(owner);
    expect(contacts.map((c) => c.name)).toEqual(["Ana Silva", "Ben Okafor", "Grace O'Neil"]);
    const [ana, ben, grace] = contacts;
    expect(ana).toMatchObject({
      first_name: "Ana",
      emails: ["ana.silva@example.com"],
      phones: ["+351 21 123 4567"],
      organization: { id: acme.json().id, name: "Acme Corp" },
      title: "Head of Operations",
      lifecycle_stage: "customer",
      tags: ["vip", "beta"],
      city: "Lisbon",
      country: "PT",
      consent_email: true,
      external_id: "C-1001",
      custom: { plan: "Pro" },
      notes: "Met at Web Summit",
    });
    expect(ben).toMatchObject({
      emails: ["ben@okafor-family.net", "b.okafor@globex.example", "ben.okafor@globex.com"],
      country: "GB",
      consent_email: false,
      organization: { name: "Globex" },
    });
    expect(grace).toMatchObject({
      organization: { name: "Umbrella, Inc." },
      tags: ["enterprise", "renewal"],
      lifecycle_stage: "opportunity",
      notes: 'Prefers calls after 3pm.\nRenewal due in Q3, ask about "seats"',
    });

    // Organizations: matched by name (case-insensitive) or created — only for rows that were stored.
    const orgs = await allOrganizations(owner);
    expect(orgs.map((o) => o.name)).toEqual(["Acme Corp", "Globex", "Umbrella, Inc."]);
  });

  it("is idempotent with an id column: the second import updates and creates nothing", async () => {
    const owner = await newWorkspace(t);
    await planField(owner);
    const first = (await importCsv(owner, fixture("contacts-mixed.csv"), "?id_column=External%20ID")).json();
    expect(first).toMatchObject({ created: 3, updated: 0 });
    const again = await importCsv(owner, fixture("contacts-mixed.csv"), "?id_column=external%20id");
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ total: 8, created: 0, updated: 3 });
    expect(again.json().rejected).toHaveLength(5);
    expect(await allContacts(owner)).toHaveLength(3);
    expect(await allOrganizations(owner)).toHaveLength(3);
  });

  it("updates only the columns a file has, and an empty cell clears", async () => {
    const owner = await newWorkspace(t);
    await importCsv(
      owner,
      "External ID,Name,Email,Title,Tags,City\nX-1,Lena Wolf,lena@wolf.example,CFO,board,Hamburg\n",
      "?id_column=External ID",
    );
    const res = await importCsv(owner, "external id,phone,city\nX-1,+49 40 123456,\n", "?id_column=External ID");
    expect(res.json()).toMatchObject({ created: 0, updated: 1, rejected: [] });
    const [lena] = await allContacts(owner);
    expect(lena).toMatchObject({
      name: "Lena Wolf",
      emails: ["lena@wolf.example"],
      title: "CFO",
      tags: ["board"],
      phones: ["+49 40 123456"],
      city: null,
    });
  });

  it("rejects a repeated id in one file, keeps the first, and needs an id on every row", async () => {
    const owner = await newWorkspace(t);
    const csv =
      "Ref,Name,Email\nR1,Mona Lisa,mona@louvre.example\nR2,Leo Vinci,leo@vinci.example\nR1,Mona L.,mona.l@louvre.example\n,No Id,noid@example.com\n";
    const res = await importCsv(owner, csv, "?id_column=ref");
    expect(res.json()).toMatchObject({
      total: 4,
      created: 2,
      rejected: [
        { row: 4, column: "Ref", message: 'repeats the id "R1" of row 2; an id may appear once per file, so this row was not imported' },
        { row: 5, column: "Ref", message: expect.stringMatching(/^is empty: with an id column every row needs an id/) },
      ],
    });
    expect((await allContacts(owner)).map((c) => c.name)).toEqual(["Leo Vinci", "Mona Lisa"]);
  });

  it("reads semicolon- and tab-separated files, as spreadsheets in many locales write them", async () => {
    const owner = await newWorkspace(t);
    const semicolons = 'First Name;Last Name;E-Mail;Company\nJürgen;Weiß;juergen@weiss.example;"Müller; Söhne GmbH"\n';
    expect((await importCsv(owner, semicolons)).json()).toMatchObject({ created: 1, rejected: [] });
    const tabs = "Name\tEmail\tTags\nSofía Reyes\tsofia@reyes.example\tvip, latam\n";
    expect((await importCsv(owner, tabs)).json()).toMatchObject({ created: 1, rejected: [] });
    const [juergen, sofia] = await allContacts(owner);
    expect(juergen).toMatchObject({ name: "Jürgen Weiß", emails: ["juergen@weiss.example"], organization: { name: "Müller; Söhne GmbH" } });
    expect(sofia).toMatchObject({ name: "Sofía Reyes", tags: ["vip", "latam"] });
  });

  it("refuses an id column the file does not have", async () => {
    const owner = await newWorkspace(t);
    const res = await importCsv(owner, "Name,Email\nA,a@example.com\n", "?id_column=Customer%20No");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('the id column "Customer No" is not a column of the file');
  });

  it("matches owners by email and refuses unknown ones", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const users = (await owner.request("GET", "/api/v1/users")).json().data as Array<{ id: string; email: string }>;
    const agentEmail = users.find((u) => u.id === agent.userId)?.email as string;
    const csv = `Name,Owner Email\nOla Nordmann,${agentEmail.toUpperCase()}\nKari Nordmann,nobody@nowhere.example\n`;
    const res = await importCsv(owner, csv);
    expect(res.json()).toMatchObject({
      created: 1,
      rejected: [{ row: 3, column: "Owner Email", message: 'no user of this workspace has the email "nobody@nowhere.example"' }],
    });
    const [ola] = await allContacts(owner);
    expect(ola.owner_id).toBe(agent.userId);
  });
});

describe("tenancy of imports", () => {
  it("ids, organization names and owners of another workspace reach nothing there", async () => {
    const a = await newWorkspace(t, "A");
    const b = await newWorkspace(t, "B");
    const bOrg = (await b.request("POST", "/api/v1/organizations", { name: "B Secret Org" })).json();
    const bContact = (
      await b.request("POST", "/api/v1/contacts", { name: "B Secret", external_id: "EXT-B", organization_id: bOrg.id })
    ).json();
    const bOwnerEmail = ((await b.request("GET", "/api/v1/users")).json().data as Array<{ email: string }>)[0]?.email;

    const csv = `id,name,company,owner\n${bContact.id},Hijacked,B Secret Org,\nEXT-B,Hijacked too,,\nX-3,Owned,,${bOwnerEmail}\n`;
    const res = await importCsv(a, csv, "?id_column=id");
    expect(res.json()).toMatchObject({
      created: 2,
      updated: 0,
      rejected: [{ row: 4, column: "owner", message: `no user of this workspace has the email "${bOwnerEmail}"` }],
    });
    const mine = await allContacts(a);
    expect(mine.map((c) => [c.name, c.external_id])).toEqual([
      ["Hijacked", bContact.id],
      ["Hijacked too", "EXT-B"],
    ]);
    // A got its own organization of that name; B's is untouched.
    expect(mine[0]?.organization?.name).toBe("B Secret Org");
    expect(mine[0]?.organization?.id).not.toBe(bOrg.id);
    const theirs = await b.request("GET", `/api/v1/contacts/${bContact.id}`);
    expect(theirs.json()).toMatchObject({ name: "B Secret", external_id: "EXT-B", organization: { id: bOrg.id } });
    expect(await allOrganizations(b)).toHaveLength(1);
  });
});

describe("whole-file errors write nothing", () => {
  it("an unterminated quote is a 400 naming the row and line, and nothing is stored", async () => {
    const owner = await newWorkspace(t);
    const res = await importCsv(owner, fixture("contacts-broken.csv"));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe('row 3 (line 3): a quoted value is never closed; the file ends inside "quotes"');
    expect(error.details).toEqual([{ row: 3, message: error.message }]);
    expect(await allContacts(owner)).toEqual([]);
    expect(await allOrganizations(owner)).toEqual([]);
  });

  it("a row with more cells than the header is a 400 and rolls back rows already written", async () => {
    const owner = await newWorkspace(t);
    const good = Array.from({ length: 4500 }, (_, i) => `Person ${i},p${i}@example.com,Org ${i % 7}`).join("\n");
    const csv = `Name,Email,Company\n${good}\nLate Row,late@example.com,Too,Many\n`;
    const res = await importCsv(owner, csv);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      'row 4502 (line 4502): the row has 4 cells but the header has 3 columns; a value containing a comma must be in "quotes"',
    );
    const count = await owner.request("GET", "/api/v1/contacts?include_total=true&limit=1");
    expect(count.json().total).toBe(0);
    expect(await allOrganizations(owner)).toEqual([]);
  });

  it("an empty file, a file without a header, and a file whose columns mean nothing are refused", async () => {
    const owner = await newWorkspace(t);
    const empty = await importCsv(owner, "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain("the file is empty");
    const headless = await importCsv(owner, "Jo Brown,jo@brown.example\nAl Green,al@green.example\n");
    expect(headless.statusCode).toBe(400);
    expect(headless.json().error.message).toBe(
      'row 1 (line 1): the first row must be a header naming the columns (like "Name,Email"), but "jo@brown.example" looks like a value',
    );
    const meaningless = await importCsv(owner, "Foo,Bar\n1,2\n");
    expect(meaningless.statusCode).toBe(400);
    expect(meaningless.json().error.message).toContain("none of the columns (Foo, Bar) matches a contact field");
    // A dry run still answers, with the columns to give fields to.
    const preview = await importCsv(owner, "Foo,Bar\n1,2\n", "?dry_run=true");
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      created: 0,
      mapping: {},
      columns: [
        { column: "Foo", field: null },
        { column: "Bar", field: null },
      ],
    });
  });
});

describe("dry run and unknown columns", () => {
  it("a dry run reports what would happen and writes nothing", async () => {
    const owner = await newWorkspace(t);
    const res = await importCsv(owner, fixture("contacts-mixed.csv"), "?id_column=External%20ID&dry_run=true&create_fields=true");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 8, created: 4, updated: 0 });
    expect(await allContacts(owner)).toEqual([]);
    expect(await allOrganizations(owner)).toEqual([]);
    const fields = await owner.request("GET", "/api/v1/custom-fields?entity=contact");
    expect(fields.json().data).toEqual([]);
  });

  it("a row naming an existing contact's email updates that contact instead of adding the same person again", async () => {
    const owner = await newWorkspace(t);
    const ada = (await owner.request("POST", "/api/v1/contacts", { name: "Ada Lovelace", emails: ["ada@example.com"] })).json();
    await owner.request("POST", "/api/v1/contacts", { name: "Grace Hopper", emails: ["grace@example.com"] });
    await owner.request("POST", "/api/v1/contacts", { name: "G. Hopper", emails: ["hopper@example.com"] });
    await owner.request("POST", "/api/v1/contacts", { name: "Alan Mathison Turing", phones: ["+44 1625 555 010"] });
    const csv =
      "Name,Email,City,Phone\nAda Lovelace,ADA@example.com,London,\nGrace,grace@example.com;hopper@example.com,Arlington,\nAlan Turing,alan@example.com,Wilmslow,+44 1625 555 010\n";
    const res = await importCsv(owner, csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 3, created: 1, updated: 1 });
    expect(res.json().rejected).toEqual([
      {
        row: 3,
        column: "Email",
        message: "its email addresses belong to 2 contacts (Grace Hopper, G. Hopper): merge them first, or import with an id column",
      },
    ]);
    const all = await allContacts(owner);
    expect(all.map((c) => c.name)).toEqual(["Ada Lovelace", "Alan Mathison Turing", "Alan Turing", "G. Hopper", "Grace Hopper"]);
    // The import refreshed the duplicates queue: the two Alan Turings (one phone) are offered as one person.
    await expect
      .poll(async () => (await owner.request("GET", "/api/v1/duplicates")).json().data.length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(all.find((c) => c.id === ada.id)).toMatchObject({ city: "London", emails: ["ada@example.com"] });
  });

  it("takes the user's column choices over the automatic mapping, shows sample values, and names a bad choice", async () => {
    const owner = await newWorkspace(t);
    await planField(owner);
    // Headers Parley cannot guess ("Kontakt", "Post"), one it guesses wrongly for this file ("Phone" holds notes).
    const csv = "Kontakt,Post,Phone,Tier\nAda Lovelace,ada@example.com,call after 5,Pro\nGrace Hopper,grace@example.com,,Free\n";
    const preview = await importCsv(owner, csv, "?dry_run=true");
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().columns).toEqual([
      { column: "Kontakt", field: null, samples: ["Ada Lovelace", "Grace Hopper"] },
      { column: "Post", field: null, samples: ["ada@example.com", "grace@example.com"] },
      { column: "Phone", field: "phones", samples: ["call after 5"] },
      { column: "Tier", field: null, samples: ["Pro", "Free"] },
    ]);

    const map = encodeURIComponent(JSON.stringify({ Kontakt: "name", Post: "emails", Phone: "", Tier: "custom.plan" }));
    const chosen = await importCsv(owner, csv, `?dry_run=true&map=${map}`);
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({
      created: 2,
      rejected: [],
      mapping: { Kontakt: "name", Post: "emails", Tier: "custom.plan" },
      unmapped_columns: [],
    });
    expect(await allContacts(owner)).toEqual([]);
    const done = await importCsv(owner, csv, `?map=${map}`);
    expect(done.json()).toMatchObject({ created: 2 });
    const ada = (await allContacts(owner)).find((c) => c.name === "Ada Lovelace");
    expect(ada).toMatchObject({ emails: ["ada@example.com"], phones: [], custom: { plan: "Pro" } });

    for (const [bad, field] of [
      [{ Kontakt: "shoe_size" }, "map.Kontakt"],
      [{ Kontakt: "custom.nope" }, "map.Kontakt"],
      [{ Nowhere: "name" }, "map.Nowhere"],
      [{ Kontakt: "name", Post: "name" }, "map.Post"],
    ] as const) {
      const res = await importCsv(owner, csv, `?dry_run=true&map=${encodeURIComponent(JSON.stringify(bad))}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    }
    const notJson = await importCsv(owner, csv, "?map=Kontakt%3Dname");
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.details[0].field).toBe("map");
  });

  it("suggests types for unknown columns and creates them as custom fields when asked", async () => {
    const owner = await newWorkspace(t);
    const csv = [
      "Name,Email,Customer Since,Seats,Newsletter Edition,Website,Favourite Colour",
      "Nia Long,nia@long.example,2021-04-01,25,true,https://long.example,teal",
      "Omar Haddad,omar@haddad.example,2019-12-31,3,no,https://haddad.example,",
    ].join("\n");
    const suggested = await importCsv(owner, csv, "?dry_run=true");
    expect(suggested.json().unmapped_columns).toEqual([
      { column: "Customer Since", suggested_type: "date" },
      { column: "Seats", suggested_type: "number" },
      { column: "Newsletter Edition", suggested_type: "boolean" },
      { column: "Website", suggested_type: "url" },
      { column: "Favourite Colour", suggested_type: "text" },
    ]);

    const res = await importCsv(owner, csv, "?create_fields=true");
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ created: 2, rejected: [], unmapped_columns: [] });
    expect(summary.mapping).toMatchObject({
      "Customer Since": "custom.customer_since",
      Seats: "custom.seats",
      "Favourite Colour": "custom.favourite_colour",
    });
    const fields = (await owner.request("GET", "/api/v1/custom-fields?entity=contact")).json().data;
    expect(fields.map((f: { key: string; label: string; type: string }) => [f.key, f.label, f.type])).toEqual([
      ["customer_since", "Customer Since", "date"],
      ["seats", "Seats", "number"],
      ["newsletter_edition", "Newsletter Edition", "boolean"],
      ["website", "Website", "url"],
      ["favourite_colour", "Favourite Colour", "text"],
    ]);
    const [nia, omar] = await allContacts(owner);
    expect(nia.custom).toEqual({
      customer_since: "2021-04-01",
      seats: 25,
      newsletter_edition: true,
      website: "https://long.example/",
      favourite_colour: "teal",
    });
    expect(omar.custom).toEqual({ customer_since: "2019-12-31", seats: 3, newsletter_edition: false, website: "https://haddad.example/" });
  });

  it("creating fields needs the right to manage fields", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const res = await importCsv(agent, "Name,Shoe Size\nPat,44\n", "?create_fields=true");
    expect(res.statusCode).toBe(403);
    expect(await allContacts(owner)).toEqual([]);
    const viewer = await memberWithRole(t, owner, "viewer");
    expect((await importCsv(viewer, "Name\nPat\n")).statusCode).toBe(403);
  });
});

describe("CSV import of organizations", () => {
  it("maps company columns, matches by name, and reports bad rows", async () => {
    const owner = await newWorkspace(t);
    const res = await importCsv(owner, fixture("organizations.csv"), "", "organizations");
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ total: 6, created: 3, updated: 0 });
    expect(summary.rejected).toEqual([
      { row: 4, column: "Website", message: 'must be a domain name like example.com (got "not a domain")' },
      { row: 6, column: "Company Name", message: "an organization needs a name" },
      { row: 7, column: "Company Name", message: expect.stringContaining('repeats the name "acme corp" of row 2') },
    ]);
    expect(summary.mapping).toEqual({ "Company Name": "name", Website: "domain", Industry: "industry", Employees: "size" });
    expect(summary.unmapped_columns).toEqual([
      { column: "Region", suggested_type: "text" },
      { column: "Account Tier", suggested_type: "text" },
    ]);
    const orgs = await allOrganizations(owner);
    expect(orgs.map((o) => [o.name, o.domain, o.industry, o.size])).toEqual([
      ["Acme Corp", "acme-corp.example", "Manufacturing", "1200"],
      ["Globex", "globex.example", "Energy", "51-200"],
      ["Umbrella Inc.", "umbrella.example", "Pharmaceuticals", "10000"],
    ]);
    // Matched by name the second time: nothing new.
    const again = (await importCsv(owner, fixture("organizations.csv"), "?create_fields=true", "organizations")).json();
    expect(again).toMatchObject({ created: 0, updated: 3 });
    const tiers = (await allOrganizations(owner)).map((o) => o.custom.account_tier);
    expect(tiers).toEqual(["Gold", "Silver", "Gold"]);
  });
});
