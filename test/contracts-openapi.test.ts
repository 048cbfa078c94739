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

  it("says the shape of every answer: no 2xx body or value is left as 'anything' without saying what it holds", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as OpenApi;
    type Node = Record<string, unknown> & { properties?: Record<string, Node>; items?: Node; additionalProperties?: unknown };
    const vague: string[] = [];
    const described = (s: Node) => typeof s.description === "string" && s.description.length > 0;
    const visit = (s: Node | undefined, where: string, root: boolean) => {
      if (!s || typeof s !== "object" || "$ref" in s) return;
      const keys = Object.keys(s).filter((k) => k !== "description");
      const extra = s.additionalProperties;
      const typedValues = typeof extra === "object" && extra !== null && Object.keys(extra).length > 0;
      const opaqueObject = s.type === "object" && Object.keys(s.properties ?? {}).length === 0 && !typedValues;
      // An opaque value (unknown, or an object with no named fields) at the root is never enough;
      // inside an answer it must at least say what it holds (custom values, a connector's config).
      if ((keys.length === 0 || opaqueObject) && (root || !described(s))) vague.push(where);
      for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, `${where}.${k}`, false);
      visit(s.items, `${where}[]`, false);
      for (const k of ["anyOf", "oneOf", "allOf"]) for (const v of (s[k] as Node[] | undefined) ?? []) visit(v, where, root);
    };
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        for (const [status, answer] of Object.entries(op.responses ?? {}))
          if (/^2\d\d$/.test(status) && status !== "204")
            for (const content of Object.values(answer.content ?? {})) {
              const schema = content.schema as Node;
              // A file download is a documented binary string.
              if (schema?.type === "string") continue;
              visit(schema, `${method.toUpperCase()} ${path} ${status}`, true);
            }
    expect(vague).toEqual([]);
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
