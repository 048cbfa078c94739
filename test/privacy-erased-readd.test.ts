import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// A person who was erased (issue 13) does not come back by a staff member's hand by accident:
// creating a contact (API, web) with their email answers 409 naming emails unless confirm_erased
// (audited, for a person who came back of their own accord); a CSV import skips their rows and
// counts them as suppressed. Other workspaces are not affected.

let t: TestApp;
let owner: Caller;

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t, "Readd Co");
  const jo = (await owner.request("POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo.brown@example.com"] })).json();
  const erased = await owner.request("POST", `/api/v1/contacts/${jo.id}/privacy-erase`, { confirm_name: "Jo Brown" });
  expect(erased.statusCode, erased.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe("an erased person's email typed in again", () => {
  it("refuses a new contact with it (409 naming emails), whatever the case of the address", async () => {
    const res = await owner.request("POST", "/api/v1/contacts", { name: "Jo B", emails: ["Jo.Brown@Example.com"] });
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("asked to be erased");
    expect(error.message).toContain("confirm_erased");
    expect(error.details[0].field).toBe("emails");
    const list = (await owner.request("GET", "/api/v1/contacts?q=jo.brown")).json();
    expect(list.data).toHaveLength(0);
  });

  it("refuses adding it to an existing contact too", async () => {
    const sam = (await owner.request("POST", "/api/v1/contacts", { name: "Sam", emails: ["sam@example.com"] })).json();
    const res = await owner.request("PATCH", `/api/v1/contacts/${sam.id}`, { emails: ["sam@example.com", "jo.brown@example.com"] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe("emails");
    // changing something else on a contact is not held up
    expect((await owner.request("PATCH", `/api/v1/contacts/${sam.id}`, { city: "Leeds" })).statusCode).toBe(200);
  });

  it("another workspace's contact with the same address is not affected", async () => {
    const other = await newWorkspace(t, "Other Co");
    const res = await other.request("POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo.brown@example.com"] });
    expect(res.statusCode, res.body).toBe(201);
  });

  it("a CSV import skips the row and counts it as suppressed; the dry run says the same", async () => {
    const csv = "name,email\nJo Again,jo.brown@example.com\nNew Person,new.person@example.com\n";
    const dry = await owner.request("POST", "/api/v1/imports/contacts?dry_run=true", csv, { "content-type": "text/csv" });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ total: 2, created: 1, suppressed: 1 });
    const res = await owner.request("POST", "/api/v1/imports/contacts", csv, { "content-type": "text/csv" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, created: 1, updated: 0, suppressed: 1, rejected: [] });
    const names = (await owner.request("GET", "/api/v1/contacts?limit=100")).json().data.map((c: { name: string }) => c.name);
    expect(names).toContain("New Person");
    expect(names).not.toContain("Jo Again");
  });

  it("with confirm_erased: true the contact is made and the audit log records it", async () => {
    const res = await owner.request("POST", "/api/v1/contacts", {
      name: "Jo Brown",
      emails: ["jo.brown@example.com"],
      confirm_erased: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json();
    expect(made.emails).toEqual(["jo.brown@example.com"]);
    expect(made).not.toHaveProperty("confirm_erased");
    const log = (await owner.request("GET", "/api/v1/audit?action=contact.erased_person_readded")).json();
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ target_type: "contact", target_id: made.id });
    expect(log.data[0].summary).toContain("came back of their own accord");
  });

  it("a bad confirm_erased is a 400 naming it", async () => {
    const res = await owner.request("POST", "/api/v1/contacts", { name: "X", confirm_erased: "yes" });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain("confirm_erased");
  });
});
