import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app";

// Every route documents what it answers, from the schemas in src/contracts: a client (and the
// web app) can rely on OpenAPI, and a route added without a response schema fails here.

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }>; description?: string }> };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("OpenAPI document", () => {
  it("gives every route a 2xx response with a schema (or a documented 204)", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApi;
    const missing: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations++;
        const ok = Object.entries(op.responses ?? {}).some(
          ([status, answer]) =>
            /^2\d\d$/.test(status) && (status === "204" || Object.values(answer.content ?? {}).some((c) => c.schema !== undefined)),
        );
        if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(operations).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it("documents times as date-time strings", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as OpenApi;
    const contact = doc.paths["/api/v1/contacts/{id}"]?.get?.responses?.["200"]?.content?.["application/json"]?.schema as {
      properties: Record<string, { type?: string; format?: string }>;
    };
    expect(contact.properties.created_at).toMatchObject({ type: "string", format: "date-time" });
    expect(contact.properties.emails).toMatchObject({ type: "array" });
  });
});
