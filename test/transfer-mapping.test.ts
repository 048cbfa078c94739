import { describe, expect, it } from "vitest";
import { guardFormula, guessFormat, mapColumns, normalizeHeader } from "../src/transfer";

const fieldsOf = (entity: "contacts" | "organizations", headers: string[], defs: Array<{ key: string; label: string }> = [], id?: string) =>
  mapColumns(entity, headers, defs, id).mapping;

describe("header mapping", () => {
  it("ignores case, spaces, punctuation and accents", () => {
    expect(normalizeHeader(" E-Mail Address ")).toBe("emailaddress");
    expect(normalizeHeader("Prénom_1")).toBe("prenom1");
  });

  it("maps the common names of contact fields", () => {
    const cases: Record<string, string> = {
      "First Name": "first_name",
      "given name": "first_name",
      firstname: "first_name",
      "Last Name": "last_name",
      Surname: "last_name",
      "family name": "last_name",
      "Full Name": "name",
      Name: "name",
      Contact: "name",
      Email: "emails",
      "E-mail": "emails",
      "Email Address": "emails",
      "Work Email": "emails",
      "Personal E-mail 2": "emails",
      Phone: "phones",
      Mobile: "phones",
      Tel: "phones",
      "Phone Number": "phones",
      "Office Phone": "phones",
      Company: "organization",
      Organization: "organization",
      Organisation: "organization",
      Account: "organization",
      "Job Title": "title",
      Title: "title",
      Position: "title",
      "Lifecycle Stage": "lifecycle_stage",
      Stage: "lifecycle_stage",
      Status: "lifecycle_stage",
      Owner: "owner",
      "Owner Email": "owner",
      Tags: "tags",
      Labels: "tags",
      City: "city",
      Country: "country",
      Notes: "notes",
      "Email Consent": "consent_email",
      "Consent Email": "consent_email",
      "Opt-in": "consent_email",
      "Email Opt-In": "consent_email",
      "SMS Consent": "consent_sms",
      "Tracking Consent": "consent_tracking",
    };
    for (const [header, field] of Object.entries(cases)) {
      expect([header, fieldsOf("contacts", [header])[header]]).toEqual([header, field]);
    }
  });

  it("sends several email and phone columns to the same field, but a single field takes one column", () => {
    const m = mapColumns("contacts", ["Email", "Work Email", "Mobile", "Home Phone", "City", "Town"], []);
    expect(m.mapping).toEqual({ Email: "emails", "Work Email": "emails", Mobile: "phones", "Home Phone": "phones", City: "city" });
    expect(m.unmapped).toEqual(["Town"]);
  });

  it("maps organization columns", () => {
    expect(fieldsOf("organizations", ["Company Name", "Website", "Sector", "Employees", "Account Owner"])).toEqual({
      "Company Name": "name",
      Website: "domain",
      Sector: "industry",
      Employees: "size",
      "Account Owner": "owner",
    });
  });

  it("maps custom fields by key or label, before synonyms", () => {
    const defs = [
      { key: "plan", label: "Subscription Plan" },
      { key: "deal_status", label: "Status" },
    ];
    expect(fieldsOf("contacts", ["plan", "Subscription plan", "STATUS", "Name"], defs)).toEqual({
      plan: "custom.plan",
      STATUS: "custom.deal_status",
      Name: "name",
    });
  });

  it("uses an id column only when named, and never imports Parley's read-only columns", () => {
    const headers = ["id", "External ID", "created_at", "name"];
    expect(mapColumns("contacts", headers, []).unmapped).toEqual(["id", "External ID", "created_at"]);
    expect(fieldsOf("contacts", headers, [], "external_id")).toEqual({ "External ID": "external_id", name: "name" });
    expect(fieldsOf("contacts", headers, [], "ID")).toEqual({ id: "external_id", name: "name" });
  });
});

describe("formula guard", () => {
  it("defuses cells a spreadsheet would run, leaves numbers and text alone", () => {
    expect(guardFormula("=1+1")).toBe("'=1+1");
    expect(guardFormula("+49 30 123")).toBe("'+49 30 123");
    expect(guardFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(guardFormula("-2+3")).toBe("'-2+3");
    expect(guardFormula("\tcmd")).toBe("'\tcmd");
    expect(guardFormula("-12.5")).toBe("-12.5");
    expect(guardFormula("Ana")).toBe("Ana");
    expect(guardFormula("")).toBe("");
  });
});

describe("format guess", () => {
  it("reads the extension or the Content-Type", () => {
    expect(guessFormat({ fileName: "people.CSV" })).toBe("csv");
    expect(guessFormat({ fileName: "people.vcf" })).toBe("vcard");
    expect(guessFormat({ fileName: "people.vcard" })).toBe("vcard");
    expect(guessFormat({ contentType: "text/x-vcard; charset=utf-8" })).toBe("vcard");
    expect(guessFormat({ contentType: "text/csv" })).toBe("csv");
    expect(guessFormat({ fileName: "people.txt" })).toBeUndefined();
  });
});
