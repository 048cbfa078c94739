import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readVCards } from "../src/transfer";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, "fixtures/transfer", name), "utf8");

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

function importVCard(c: Caller, body: string, query = "", contentType = "text/vcard") {
  return c.request("POST", `/api/v1/imports/contacts${query}`, body, { "content-type": contentType });
}

async function contacts(c: Caller) {
  return (await c.request("GET", "/api/v1/contacts?limit=200&sort=name")).json().data as Array<Record<string, unknown>>;
}

async function collect(text: string | string[]) {
  const items = [];
  const source =
    typeof text === "string"
      ? text
      : (async function* () {
          yield* text;
        })();
  for await (const item of readVCards(source, { bytes: 0 })) items.push(item);
  return items;
}

describe("reading vCard files", () => {
  it("unfolds lines, unescapes \\, \\; \\n and keeps parameters", async () => {
    const [card] = await collect(fixture("contacts-v3.vcf"));
    if (!card || !("properties" in card)) throw new Error("expected a card");
    const prop = (name: string) => card.properties.filter((p) => p.name === name);
    expect(prop("NOTE")[0]?.values).toEqual([
      "Met at the Offshore Wind Expo in Hamburg. Interested in the analytics package, not the hardware; follow up in May.\nSecond line of the note.",
    ]);
    expect(prop("TITLE")[0]?.values).toEqual(["Director of Research, Offshore"]);
    expect(prop("CATEGORIES")[0]?.values).toEqual(["Investors", "Wind, Offshore", "VIP"]);
    expect(prop("EMAIL").map((p) => p.params.type)).toEqual([
      ["INTERNET", "WORK", "pref"],
      ["INTERNET", "HOME"],
    ]);
    expect(prop("ADR")[0]?.values[0]).toEqual(["", "", "Kungsgatan 12", "Stockholm", "", "111 43", "Sweden"]);
  });

  it("cuts cards across chunk boundaries, including a CRLF split in two", async () => {
    const text = fixture("contacts-v3.vcf");
    const cut = text.indexOf("\r\n", 200) + 1;
    const chunks = [text.slice(0, cut), text.slice(cut, cut + 7), text.slice(cut + 7)];
    const items = await collect(chunks);
    expect(items.map((i) => ("properties" in i ? i.properties.find((p) => p.name === "FN")?.values[0] : i.error))).toEqual([
      "Dr. Astrid Lindqvist",
      "Chidi Okonkwo",
    ]);
  });

  it("numbers bad cards and stray lines, and refuses a file with no card", async () => {
    const items = await collect(fixture("contacts-bad-cards.vcf"));
    expect(items.map((i) => [i.card, "error" in i ? i.error : "ok"])).toEqual([
      [1, "ok"],
      [2, "ok"],
      [3, 'line 11: expected BEGIN:VCARD, found "this line is not part of any card"'],
      [4, "card 4 (line 12) has no END:VCARD"],
      [5, "ok"],
    ]);
    await expect(collect(fixture("not-a-vcard.vcf"))).rejects.toThrow(
      'this is not a vCard file: line 1 is "Name: Sam Taylor", where a vCard starts with BEGIN:VCARD',
    );
    await expect(collect("")).rejects.toThrow("the file is empty");
    const broken = await collect("BEGIN:VCARD\nVERSION:4.0\nFN:Ok\nthis is no property\nEND:VCARD\n");
    expect(broken[0]).toMatchObject({ card: 1, error: expect.stringContaining("card 1 (line 1) cannot be read") });
  });
});

describe("vCard import", () => {
  it("imports vCard 3.0: folded lines, escaped commas, several EMAIL and TEL, CATEGORIES", async () => {
    const owner = await newWorkspace(t);
    const res = await importVCard(owner, fixture("contacts-v3.vcf"));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, created: 2, updated: 0, rejected: [] });
    expect(res.json().mapping).toMatchObject({
      FN: "name",
      N: "first_name, last_name",
      EMAIL: "emails",
      TEL: "phones",
      ORG: "organization",
    });
    expect(res.json().unmapped_columns).toEqual([]);
    expect(res.json().mapping.BDAY).toBe("birth_date");
    const [chidi, astrid] = await contacts(owner);
    expect(astrid).toMatchObject({
      name: "Dr. Astrid Lindqvist",
      first_name: "Astrid",
      last_name: "Lindqvist",
      emails: ["astrid.lindqvist@nordicwind.se", "astrid@lindqvist.name"],
      phones: ["+46 70 123 45 67", "+46 8 555 010 20"],
      organization: { name: "Nordic Wind AB" },
      title: "Director of Research, Offshore",
      city: "Stockholm",
      country: "Sweden",
      street: "Kungsgatan 12",
      postal_code: "111 43",
      birth_date: "1979-04-12",
      tags: ["Investors", "Wind, Offshore", "VIP"],
      notes: expect.stringContaining("analytics package, not the hardware; follow up in May.\nSecond line"),
      external_id: null,
    });
    expect(chidi).toMatchObject({ name: "Chidi Okonkwo", emails: ["chidi@okonkwo.ng"], organization: { name: "Lagos Freight Ltd." } });
  });

  it("imports vCard 4.0 with tel: URIs and keeps the UID as external id when asked", async () => {
    const owner = await newWorkspace(t);
    const res = await importVCard(owner, fixture("contacts-v4.vcf"), "?id_column=UID&create_fields=true", "text/x-vcard");
    expect(res.statusCode, res.body).toBe(200);
    // The second card has no UID: with UID as the id column every card needs one.
    expect(res.json()).toMatchObject({
      total: 2,
      created: 1,
      rejected: [{ row: 2, column: "UID", message: expect.stringContaining("is empty") }],
    });
    const [maria] = await contacts(owner);
    expect(maria).toMatchObject({
      name: "María José García López",
      first_name: "María José",
      last_name: "García López",
      emails: ["mj.garcia@solaria.es", "mariajose.garcia@correo.example"],
      phones: ["+34-600-123-456", "+34-91-555-0101"],
      organization: { name: "Solaria Energía, S.A." },
      city: "Madrid",
      country: "Spain",
      tags: ["solar", "prospects", "events, 2024"],
      notes: "Asked for a demo of the social listening module. Her team runs three brand accounts.",
      external_id: "urn:uuid:6f1c2d3e-4a5b-4c7d-8e9f-0a1b2c3d4e5f",
      custom: { x_socialprofile: "https://twitter.com/mjgarcia_solar" },
    });
    const again = await importVCard(owner, fixture("contacts-v4.vcf"), "?id_column=uid");
    expect(again.json()).toMatchObject({ created: 0, updated: 1 });
  });

  it("rejects bad cards one by one with their number", async () => {
    const owner = await newWorkspace(t);
    const res = await importVCard(owner, fixture("contacts-bad-cards.vcf"));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 5, created: 2 });
    expect(res.json().rejected).toEqual([
      { row: 2, column: "FN", message: "card 2 (line 6) has no FN, N or EMAIL: a contact needs a name or an email" },
      { row: 3, column: null, message: 'line 11: expected BEGIN:VCARD, found "this line is not part of any card"' },
      { row: 4, column: null, message: "card 4 (line 12) has no END:VCARD" },
    ]);
    expect((await contacts(owner)).map((c) => c.name)).toEqual(["Priya Raman", "Rosa Parks-Lee"]);
  });

  it("refuses a file that is not a vCard with a 400 naming the line", async () => {
    const owner = await newWorkspace(t);
    const res = await importVCard(owner, fixture("not-a-vcard.vcf"));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "validation_error",
      message: 'this is not a vCard file: line 1 is "Name: Sam Taylor", where a vCard starts with BEGIN:VCARD',
      details: [{ row: 1, message: expect.stringContaining("not a vCard") }],
    });
    expect(await contacts(owner)).toEqual([]);
  });

  it("takes the format from the query over the Content-Type", async () => {
    const owner = await newWorkspace(t);
    const res = await importVCard(owner, fixture("contacts-v3.vcf"), "?format=vcard", "text/plain");
    expect(res.json()).toMatchObject({ created: 2 });
    const none = await importVCard(owner, "x", "", "application/octet-stream");
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details[0].field).toBe("format");
  });
});
