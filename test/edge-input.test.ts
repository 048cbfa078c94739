import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Input PostgreSQL cannot store (the NUL character, lone UTF-16 surrogates) and
// documents nested deep enough to overflow a recursive walk: every route of the
// API answers a 400 naming the field, never a 5xx, and stores nothing.

let t: TestApp;
let owner: Caller;
beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t);
});
afterAll(async () => {
  await t?.close();
});

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  enum?: unknown[];
};
type Operation = {
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

const NUL = "bad\u0000value";
const SOME_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

/**
 * A body shaped like the schema with NUL in every string it can reach;
 * `fields` collects the paths of the poisoned strings (`emails.0`, `custom.x`).
 */
function poisoned(schema: JsonSchema | undefined, doc: OpenApi, path: string[], fields: Set<string>, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop() ?? "";
    return poisoned(doc.components?.schemas?.[name], doc, path, fields, depth + 1);
  }
  const alternatives = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alternatives) {
    const choice = alternatives.find((s) => s.type !== "null") ?? alternatives[0];
    return poisoned(choice, doc, path, fields, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes("object") || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      const v = poisoned(s, doc, [...path, k], fields, depth + 1);
      if (v !== undefined) out[k] = v;
    }
    if (typeof schema.additionalProperties === "object") {
      const v = poisoned(schema.additionalProperties, doc, [...path, "extra"], fields, depth + 1);
      if (v !== undefined) out.extra = v;
    }
    return out;
  }
  if (types.includes("array")) {
    const v = poisoned(schema.items, doc, [...path, "0"], fields, depth + 1);
    return v === undefined ? [] : [v];
  }
  if (types.includes("string") || types.length === 0) {
    fields.add(path.join("."));
    return NUL;
  }
  if (types.includes("integer") || types.includes("number")) return 1;
  if (types.includes("boolean")) return true;
  return undefined;
}

// Fastify writes a literal colon as `::` and a parameter as `:name` or `:name(regex)`.
const withParams = (url: string, param: (name: string) => string) =>
  url
    .replaceAll("::", "\u0001")
    .replace(/:(\w+)(\([^)]*\))?/g, (_m, name: string) => param(name))
    .replaceAll("\u0001", ":");
const openApiPath = (url: string) => withParams(url, (name) => `{${name}}`);
const concrete = (url: string, value: string) => withParams(url, () => value);

describe("characters PostgreSQL cannot store, sent to every route", () => {
  it("a NUL in any body string or query parameter is a 400 naming the field, never a 5xx", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as OpenApi;
    // signing out last: were a poisoned request to reach it, the session would end for the rest
    const apiRoutes = t.routes
      .filter((r) => r.url.startsWith("/api/v1/") && r.url !== "/api/v1/stream")
      .sort((a, b) => Number(a.url.endsWith("/signout")) - Number(b.url.endsWith("/signout")));
    expect(apiRoutes.length).toBeGreaterThan(50);
    const problems: string[] = [];
    let bodies = 0;
    let queries = 0;
    for (const route of apiRoutes) {
      const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      const url = concrete(route.url, SOME_ID);
      const label = `${route.method} ${route.url}`;
      const check = async (what: string, res: { statusCode: number; body: string }, fields: Set<string>) => {
        if (res.statusCode >= 500) return problems.push(`${label} (${what}): ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode !== 400)
          return problems.push(`${label} (${what}): expected 400, got ${res.statusCode} ${res.body.slice(0, 200)}`);
        const field = JSON.parse(res.body).error?.details?.[0]?.field;
        if (!fields.has(field)) problems.push(`${label} (${what}): 400 names ${field}, not one of ${[...fields].join(", ")}`);
      };

      // the body: every string field the schema lists
      const bodySchema = op?.requestBody?.content?.["application/json"]?.schema;
      if (bodySchema && route.method !== "GET") {
        const fields = new Set<string>();
        const body = poisoned(bodySchema, doc, [], fields);
        if (fields.size > 0) {
          bodies++;
          await check("body", await owner.request(route.method, url, body), fields);
        }
      }

      // the query string: every parameter the schema lists, or an unknown one
      const params = (op?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      const names = params.length ? params : ["probe"];
      queries++;
      const qs = names.map((n) => `${encodeURIComponent(n)}=bad%00value`).join("&");
      const res = await owner.request(route.method, `${url}?${qs}`, route.method === "GET" || route.method === "DELETE" ? undefined : {});
      await check("query", res, new Set(names));
    }
    expect(problems).toEqual([]);
    expect(bodies).toBeGreaterThan(30);
    expect(queries).toBe(apiRoutes.length);
  });

  it("a NUL in a path parameter is a 4xx, never a 5xx", async () => {
    const problems: string[] = [];
    for (const route of t.routes.filter((r) => r.url.startsWith("/api/v1/") && r.url.includes("/:"))) {
      const res = await owner.request(route.method, concrete(route.url, "bad%00value"), route.method === "GET" ? undefined : {});
      if (res.statusCode >= 500 || res.statusCode < 400) problems.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body}`);
    }
    expect(problems).toEqual([]);
  });

  it("names nested fields and stores nothing", async () => {
    const before = await t.db.selectFrom("contacts").select("id").where("workspace_id", "=", owner.workspaceId).execute();
    const res = await owner.request("POST", "/api/v1/contacts", { name: "Jo", emails: ["jo@example.com", "j\u0000o@example.com"] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "validation_error", details: [{ field: "emails.1" }] });
    expect(res.json().error.details[0].message).toMatch(/NUL/);
    const after = await t.db.selectFrom("contacts").select("id").where("workspace_id", "=", owner.workspaceId).execute();
    expect(after.length).toBe(before.length);
  });

  it("a lone UTF-16 surrogate (not valid Unicode) is a 400 naming the field; a proper pair is kept", async () => {
    // Written as JSON escapes, as a hostile client would: JSON.parse yields a lone surrogate.
    await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "nick", label: "Nick", type: "text" });
    for (const [body, field] of [
      ['{"name":"Jo \\ud800"}', "name"],
      ['{"name":"Jo","custom":{"nick":"x\\udc00y"}}', "custom.nick"],
      ['{"name":"Jo","custom":{"ni\\ud83dck":"x"}}', "custom.ni\ud83dck"],
    ] as const) {
      const res = await owner.request("POST", "/api/v1/contacts", body, { "content-type": "application/json" });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ field });
      expect(res.json().error.details[0].message).toMatch(/surrogate/);
    }
    const ok = await owner.request("POST", "/api/v1/contacts", '{"name":"Jo \\ud83d\\ude00","custom":{"nick":"\\ud83d\\ude00"}}', {
      "content-type": "application/json",
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().name).toBe("Jo 😀");
  });
});

describe("deeply nested JSON and huge bodies", () => {
  const nested = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);

  it("a body nested deeper than 64 levels is a 400 naming the field, on any route", async () => {
    await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "deep", label: "Deep", type: "text" });
    const contact = await owner.request("POST", "/api/v1/contacts", `{"name":"Jo","custom":{"deep":${nested(100_000)}}}`, {
      "content-type": "application/json",
    });
    expect(contact.statusCode, contact.body).toBe(400);
    expect(contact.json().error.details[0]).toMatchObject({ field: "custom.deep", message: "nests deeper than 64 levels" });

    const message = { network: "mastodon", external_id: "deep-1", author: { id: "a" }, text: "hi", created_at: "2026-11-01T10:00:00Z" };
    const batch = await owner.request(
      "POST",
      "/api/v1/messages:batch",
      `{"messages":[${JSON.stringify(message).slice(0, -1)},"raw":{"a":${nested(100_000)}}}]}`,
      { "content-type": "application/json" },
    );
    expect(batch.statusCode, batch.body).toBe(400);
    expect(batch.json().error.details[0]).toMatchObject({ field: "messages.0.raw" });
    const stored = await t.db.selectFrom("messages").select("id").where("workspace_id", "=", owner.workspaceId).execute();
    expect(stored).toEqual([]);
  });

  it("nesting within the limit is accepted", async () => {
    const message = { network: "mastodon", external_id: "nested-ok", author: { id: "a" }, text: "hi", created_at: "2026-11-01T10:00:00Z" };
    // body → messages → message → raw: 60 more levels stay under 64
    const res = await owner.request(
      "POST",
      "/api/v1/messages:batch",
      `{"messages":[${JSON.stringify(message).slice(0, -1)},"raw":${nested(59)}}]}`,
      { "content-type": "application/json" },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stored).toBe(1);
  });

  it("a body over the limit is a 413: 1 MB for most routes, 5 MB for the batch API", async () => {
    const json = { "content-type": "application/json" };
    const contact = await owner.request("POST", "/api/v1/contacts", JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }), json);
    expect(contact.statusCode).toBe(413);
    const message = { network: "mastodon", author: { id: "a" }, text: "hi", created_at: "2026-11-01T10:00:00Z" };
    // messages with their source payloads: 2 MB
    const messages = Array.from({ length: 50 }, (_, i) => ({ ...message, external_id: `big-${i}`, raw: { html: "x".repeat(40_000) } }));
    const big = await owner.request("POST", "/api/v1/messages:batch", JSON.stringify({ messages }), json);
    expect(big.statusCode, big.body.slice(0, 300)).toBe(200);
    expect(big.json().stored).toBe(50);
    const huge = await owner.request("POST", "/api/v1/messages:batch", JSON.stringify({ messages: ["x".repeat(6 * 1024 * 1024)] }), json);
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe("payload_too_large");
  });
});
