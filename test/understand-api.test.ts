import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ANALYZE_BATCH } from "../src/server/routes/understand";
import { apiKeyCaller, type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let owner: Caller;

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t);
});
afterAll(async () => {
  await t.close();
});

describe("POST /api/v1/analyze", () => {
  it("analyzes a batch and keeps the order", async () => {
    const res = await owner.request("POST", "/api/v1/analyze", {
      items: [
        { id: "x1", text: "My order never arrived and support ignores me. I want a refund!", context: { followers: 48_000 } },
        { id: "x2", text: "Does the premium plan include priority support?" },
      ],
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: Array<Record<string, unknown>> };
    expect(results.map((r) => r.id)).toEqual(["x1", "x2"]);
    expect(Object.keys(results[0])).toEqual(["id", "language", "sentiment", "intents", "labels", "priority", "reasons", "signals"]);
    expect(results[0].labels).toContain("complaint");
    expect(String((results[0].reasons as string[])[0])).toMatch(/48k followers/);
    expect(results[1].labels).toContain("question");
  });

  it('a context naming an Object property (lifecycle stage "__proto__") is just an unknown stage, not a 500', async () => {
    const res = await owner.request("POST", "/api/v1/analyze", {
      items: [
        { id: "p1", text: "hi", context: { lifecycle_stage: "__proto__" } },
        { id: "p2", text: "hasOwnProperty", context: { lifecycle_stage: "constructor" } },
        { id: "p3", text: "hi", context: { lifecycle_stage: "customer" } },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { results } = res.json() as { results: Array<{ reasons: string[] }> };
    expect(results[0].reasons.join(" ")).not.toMatch(/proto/);
    expect(results[2].reasons.join(" ")).toMatch(/customer/);
  });

  it("is open to read-only API keys", async () => {
    const viewer = await apiKeyCaller(t, owner, "viewer");
    const res = await viewer.request("POST", "/api/v1/analyze", { items: [{ id: "1", text: "thanks!" }] });
    expect(res.statusCode).toBe(200);
  });

  it("is documented in the OpenAPI description", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    expect(Object.keys((res.json() as { paths: Record<string, unknown> }).paths)).toContain("/api/v1/analyze");
  });

  it("needs authentication", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/analyze", payload: { items: [{ id: "1", text: "hi" }] } });
    expect(res.statusCode).toBe(401);
  });

  it("rejects bad batches with a 400 naming the field", async () => {
    const missing = await owner.request("POST", "/api/v1/analyze", { items: [{ id: "1" }] });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json())).toMatch(/text/);
    const empty = await owner.request("POST", "/api/v1/analyze", { items: [] });
    expect(empty.statusCode).toBe(400);
    const tooMany = await owner.request("POST", "/api/v1/analyze", {
      items: Array.from({ length: MAX_ANALYZE_BATCH + 1 }, (_, i) => ({ id: String(i), text: "hello" })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(JSON.stringify(tooMany.json())).toMatch(/items/);
  });
});
