import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function contactCount(workspaceId: string) {
  const rows = await t.db.selectFrom("contacts").select("id").where("workspace_id", "=", workspaceId).execute();
  return rows.length;
}

describe("bad input gets a clear 4xx naming the problem, and writes nothing", () => {
  it("malformed JSON", async () => {
    const owner = await newWorkspace(t);
    const res = await owner.request("POST", "/api/v1/contacts", '{"name": "Jo",', { "content-type": "application/json" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "bad_request" });
    expect(res.json().error.message).toMatch(/JSON/);
    expect(await contactCount(owner.workspaceId)).toBe(0);
  });

  it("wrong types and unknown fields name each field", async () => {
    const owner = await newWorkspace(t);
    const res = await owner.request("POST", "/api/v1/contacts", {
      name: 42,
      emails: "jo@example.com",
      lifecycle_stage: "vip",
      colour: "red",
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["name", "emails", "lifecycle_stage", "colour"]));
    expect(await contactCount(owner.workspaceId)).toBe(0);
  });

  it("bad ids and query parameters", async () => {
    const owner = await newWorkspace(t);
    const badId = await owner.request("GET", "/api/v1/contacts/not-an-id");
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details[0].field).toBe("id");
    const badLimit = await owner.request("GET", "/api/v1/contacts?limit=5000");
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().error.details[0].field).toBe("limit");
    const badFilter = await owner.request("GET", `/api/v1/contacts?filter=${encodeURIComponent("{nope")}`);
    expect(badFilter.json().error.details[0].field).toBe("filter");
    const badOp = await owner.request(
      "GET",
      `/api/v1/contacts?filter=${encodeURIComponent(JSON.stringify({ conditions: [{ field: "tags", op: "gt", value: 1 }] }))}`,
    );
    expect(badOp.statusCode).toBe(400);
    expect(badOp.json().error.message).toContain("gt");
  });

  it("oversize bodies and unsupported content types", async () => {
    const owner = await newWorkspace(t);
    const huge = JSON.stringify({ name: "x", notes: "a".repeat(2 * 1024 * 1024) });
    const res = await owner.request("POST", "/api/v1/contacts", huge, { "content-type": "application/json" });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
    const xml = await owner.request("POST", "/api/v1/contacts", "<contact/>", { "content-type": "application/xml" });
    expect(xml.statusCode).toBe(415);
    expect(await contactCount(owner.workspaceId)).toBe(0);
  });

  it("a failing part of a write leaves no half-written record", async () => {
    const owner = await newWorkspace(t);
    await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "score", label: "Score", type: "number" });
    const res = await owner.request("POST", "/api/v1/contacts", { name: "Half", emails: ["half@example.com"], custom: { score: "lots" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe("custom.score");
    expect(await contactCount(owner.workspaceId)).toBe(0);

    const ok = (await owner.request("POST", "/api/v1/contacts", { name: "Whole", external_id: "crm-1" })).json();
    const clash = await owner.request("POST", "/api/v1/contacts", { name: "Clash", external_id: "crm-1" });
    expect(clash.statusCode).toBe(409);
    const patch = await owner.request("PATCH", `/api/v1/contacts/${ok.id}`, { title: "New title", custom: { score: "NaN" } });
    expect(patch.statusCode).toBe(400);
    expect((await owner.request("GET", `/api/v1/contacts/${ok.id}`)).json().title).toBeNull();
  });

  it("unknown routes answer in the error format", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });
});
