import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can } from "../src/accounts/permissions";
import { apiKeyCaller, concreteUrl, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Roles are enforced on every route: walk the route table and check each one.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const FAKE_ID = "00000000-0000-4000-8000-000000000000";
const READ_ONLY = new Set(["public", "authenticated", "crm:read"]);

describe("roles", () => {
  it("a viewer (user or API key) can read but cannot write through any route", async () => {
    const owner = await newWorkspace(t);
    const callers = [await memberWithRole(t, owner, "viewer"), await apiKeyCaller(t, owner, "viewer")];
    const writes = t.routes.filter((r) => r.url.startsWith("/api/v1") && !READ_ONLY.has(r.access ?? ""));
    expect(writes.length).toBeGreaterThan(20);
    for (const viewer of callers) {
      for (const route of writes) {
        const res = await viewer.request(
          route.method,
          concreteUrl(route.url, FAKE_ID),
          route.method === "GET" || route.method === "DELETE" ? undefined : {},
        );
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
        expect(res.json().error.code).toBe("forbidden");
      }
      const read = await viewer.request("GET", "/api/v1/contacts");
      expect(read.statusCode).toBe(200);
    }
  });

  it("an agent works with contacts but cannot manage users, keys, fields or the workspace", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const admin = ["users:manage", "keys:manage", "fields:manage", "workspace:manage"];
    const guarded = t.routes.filter((r) => admin.includes(r.access ?? ""));
    expect(guarded.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        "POST /api/v1/invitations",
        "POST /api/v1/api-keys",
        "PATCH /api/v1/users/:id",
        "POST /api/v1/custom-fields",
      ]),
    );
    for (const route of guarded) {
      const res = await agent.request(
        route.method,
        concreteUrl(route.url, FAKE_ID),
        route.method === "GET" || route.method === "DELETE" ? undefined : {},
      );
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    const created = await agent.request("POST", "/api/v1/contacts", { name: "Agent's contact" });
    expect(created.statusCode).toBe(201);
  });

  it("no one grants a role above their own; the last owner stays", async () => {
    const owner = await newWorkspace(t);
    const admin = await memberWithRole(t, owner, "admin");
    const inviteOwner = await admin.request("POST", "/api/v1/invitations", { email: "boss@example.com", role: "owner" });
    expect(inviteOwner.statusCode).toBe(403);
    const adminKey = await admin.request("POST", "/api/v1/api-keys", { name: "k", role: "admin" });
    expect(adminKey.statusCode).toBe(201);
    const demoteOwner = await admin.request("PATCH", `/api/v1/users/${owner.userId}`, { role: "viewer" });
    expect(demoteOwner.statusCode).toBe(403);
    const selfDemote = await owner.request("PATCH", `/api/v1/users/${owner.userId}`, { role: "admin" });
    expect(selfDemote.statusCode).toBe(409);
  });

  it("the permission table matches the documented roles", () => {
    expect(can("viewer", "crm:write")).toBe(false);
    expect(can("agent", "crm:write")).toBe(true);
    expect(can("agent", "users:manage")).toBe(false);
    expect(can("manager", "teams:manage")).toBe(true);
    expect(can("manager", "keys:manage")).toBe(false);
    expect(can("admin", "keys:manage")).toBe(true);
    expect(can("admin", "workspace:manage")).toBe(false);
    expect(can("owner", "workspace:manage")).toBe(true);
  });
});
