import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Contact = Record<string, unknown> & { id: string; name: string; external_id: string | null; organization: { name: string } | null };

async function contacts(c: Caller): Promise<Contact[]> {
  return (await c.request("GET", "/api/v1/contacts?limit=200&sort=name")).json().data;
}

/** A workspace with a few varied contacts, a custom field and an organization. */
async function seeded() {
  const owner = await newWorkspace(t);
  await owner.request("POST", "/api/v1/custom-fields", {
    entity: "contact",
    key: "plan",
    label: "Plan",
    type: "select",
    options: ["Free", "Pro"],
  });
  await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "seats", label: "Seats", type: "number" });
  const org = (await owner.request("POST", "/api/v1/organizations", { name: "Tyrell, Inc.", domain: "tyrell.example" })).json();
  const make = async (body: unknown) => {
    const res = await owner.request("POST", "/api/v1/contacts", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Contact;
  };
  await make({
    first_name: "Rachael",
    last_name: "Tyrell",
    emails: ["rachael@tyrell.example", "r.t@home.example"],
    phones: ["+1 213 555 0147"],
    organization_id: org.id,
    title: "Assistant, R&D",
    lifecycle_stage: "customer",
    tags: ["vip", "nexus"],
    consent_email: true,
    city: "Los Angeles",
    country: "us",
    notes: 'Line one; "quoted"\nLine two, with comma',
    external_id: "T-001",
    custom: { plan: "Pro", seats: -3 },
  });
  await make({ name: '=HYPERLINK("http://evil.example","click")', emails: ["formula@evil.example"], tags: ["@mention"], notes: "-2+3" });
  await make({ name: "Zhora Salome", emails: ["zhora@snakes.example"], lifecycle_stage: "churned", custom: { plan: "Free" } });
  return owner;
}

const comparable = (c: Contact) => {
  const { id: _id, created_at: _c, updated_at: _u, external_id: _e, organization, organization_id: _o, ...rest } = c;
  return { ...rest, organization: organization?.name ?? null };
};

describe("CSV export", () => {
  it("downloads every built-in column then custom fields, quoted, with formulas defused", async () => {
    const owner = await seeded();
    const res = await owner.request("GET", "/api/v1/exports/contacts?format=csv");
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(res.body, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "id",
      "name",
      "first_name",
      "last_name",
      "emails",
      "phones",
      "organization",
      "title",
      "lifecycle_stage",
      "owner",
      "tags",
      "consent_email",
      "consent_sms",
      "consent_tracking",
      "city",
      "country",
      "street",
      "address2",
      "postal_code",
      "region",
      "birth_date",
      "national_id",
      "notes",
      "external_id",
      "created_at",
      "updated_at",
      "plan",
      "seats",
    ]);
    const rachael = rows.find((r) => r.last_name === "Tyrell");
    expect(rachael).toMatchObject({
      emails: "rachael@tyrell.example; r.t@home.example",
      phones: "'+1 213 555 0147",
      organization: "Tyrell, Inc.",
      notes: 'Line one; "quoted"\nLine two, with comma',
      consent_email: "true",
      country: "US",
      plan: "Pro",
      seats: "-3",
    });
    const evil = rows.find((r) => r.emails === "formula@evil.example");
    expect(evil).toMatchObject({ name: '\'=HYPERLINK("http://evil.example","click")', tags: "'@mention", notes: "'-2+3" });
    // RFC 4180: the quote inside the value is doubled in the raw text.
    expect(res.body).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"');
  });

  it("applies the list's filters", async () => {
    const owner = await seeded();
    const res = await owner.request("GET", "/api/v1/exports/contacts?lifecycle_stage=churned");
    const rows = parse(res.body, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.name)).toEqual(["Zhora Salome"]);
    const bad = await owner.request("GET", "/api/v1/exports/contacts?sort=shoe_size");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("sort");
  });

  it("round-trips: export, import into another workspace by id, then again into the same one", async () => {
    const owner = await seeded();
    const before = await contacts(owner);
    const csv = (await owner.request("GET", "/api/v1/exports/contacts?format=csv")).body;

    const other = await newWorkspace(t, "Elsewhere");
    await other.request("POST", "/api/v1/custom-fields", {
      entity: "contact",
      key: "plan",
      label: "Plan",
      type: "select",
      options: ["Free", "Pro"],
    });
    await other.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "seats", label: "Seats", type: "number" });
    const res = await other.request("POST", "/api/v1/imports/contacts?id_column=id", csv, { "content-type": "text/csv" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 3, created: 3, updated: 0, rejected: [] });
    expect(res.json().unmapped_columns.map((c: { column: string }) => c.column)).toEqual(["external_id", "created_at", "updated_at"]);
    const after = await contacts(other);
    expect(after.map(comparable)).toEqual(before.map(comparable));
    // Keyed by the first workspace's ids, which the new one keeps as external ids.
    expect(after.map((c) => c.external_id).sort()).toEqual(before.map((c) => c.id).sort());

    // Into the same workspace: the Parley ids match, so everything is updated, nothing duplicated.
    const same = await owner.request("POST", "/api/v1/imports/contacts?id_column=id", csv, { "content-type": "text/csv" });
    expect(same.json()).toMatchObject({ created: 0, updated: 3, rejected: [] });
    expect((await contacts(owner)).map(comparable)).toEqual(before.map(comparable));
    expect((await contacts(owner)).map((c) => c.external_id)).toEqual(before.map((c) => c.external_id));
  });

  it("exports organizations with their custom fields, and round-trips them by name", async () => {
    const owner = await newWorkspace(t);
    await owner.request("POST", "/api/v1/custom-fields", { entity: "organization", key: "tier", label: "Tier", type: "text" });
    await owner.request("POST", "/api/v1/organizations", {
      name: "Wallace Corp",
      domain: "wallace.example",
      industry: "Replicants",
      size: "5000",
      custom: { tier: "Gold" },
    });
    const res = await owner.request("GET", "/api/v1/exports/organizations");
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual([
      expect.objectContaining({
        name: "Wallace Corp",
        domain: "wallace.example",
        industry: "Replicants",
        size: "5000",
        contact_count: "0",
        tier: "Gold",
      }),
    ]);
    const again = await owner.request("POST", "/api/v1/imports/organizations", res.body, { "content-type": "text/csv" });
    expect(again.json()).toMatchObject({ total: 1, created: 0, updated: 1, rejected: [] });
  });

  it("needs read access, and the viewer has it", async () => {
    const owner = await seeded();
    const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/exports/contacts" });
    expect(anonymous.statusCode).toBe(401);
    expect((await owner.request("GET", "/api/v1/exports/organizations?format=vcard")).statusCode).toBe(200);
  });
});

describe("vCard export", () => {
  it("writes vCard 4.0 cards that import back as the same contacts", async () => {
    const owner = await seeded();
    const before = await contacts(owner);
    const res = await owner.request("GET", "/api/v1/exports/contacts?format=vcard");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/vcard; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/filename="contacts-[\d-]+\.vcf"/);
    const cards = res.body.split("END:VCARD\r\n").filter(Boolean);
    expect(cards).toHaveLength(3);
    const rachael = cards.find((c) => c.includes("FN:Rachael Tyrell")) ?? "";
    expect(rachael).toContain("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:T-001\r\n");
    expect(rachael).toContain("N:Tyrell;Rachael;;;\r\n");
    expect(rachael).toContain("EMAIL;PREF=1:rachael@tyrell.example\r\nEMAIL:r.t@home.example\r\n");
    expect(rachael).toContain("ORG:Tyrell\\, Inc.\r\n");
    expect(rachael).toContain("TITLE:Assistant\\, R&D\r\n");
    expect(rachael).toContain("ADR:;;;Los Angeles;;;US\r\n");
    expect(rachael).toContain("CATEGORIES:vip,nexus\r\n");
    expect(rachael).toContain('NOTE:Line one; "quoted"\\nLine two\\, with comma\r\n');
    expect(rachael).toMatch(/REV:\d{8}T\d{6}Z\r\n/);
    const zhora = before.find((c) => c.name === "Zhora Salome");
    expect(res.body).toContain(`UID:urn:uuid:${zhora?.id}\r\n`);
    for (const line of res.body.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);

    const other = await newWorkspace(t, "Elsewhere");
    const imported = await other.request("POST", "/api/v1/imports/contacts?id_column=UID", res.body, { "content-type": "text/vcard" });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ total: 3, created: 3, rejected: [] });
    const vcardFields = (c: Contact) => ({
      name: c.name,
      first_name: c.first_name,
      last_name: c.last_name,
      emails: c.emails,
      phones: c.phones,
      organization: c.organization?.name ?? null,
      title: c.title,
      notes: c.notes,
      city: c.city,
      country: c.country,
      tags: c.tags,
    });
    expect((await contacts(other)).map(vcardFields)).toEqual(before.map(vcardFields));
    // Back into the same workspace by UID: external ids and urn:uuid ids both match.
    const same = await owner.request("POST", "/api/v1/imports/contacts?id_column=UID", res.body, { "content-type": "text/vcard" });
    expect(same.json()).toMatchObject({ created: 0, updated: 3 });
    expect((await contacts(owner)).map(comparable)).toEqual(before.map(comparable));
  });
});
