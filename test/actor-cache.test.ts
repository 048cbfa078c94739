import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../src/accounts";
import { tablesWritten, writeWatchOf } from "../src/store/write-watch";
import { apiKeyCaller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Who owns a key or a session is kept in memory for a few seconds (src/accounts/actor-cache.ts):
// every change to it must still take effect on the very next request, through the API or not.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: "GET", url, headers });

describe("API keys, read from memory between requests", () => {
  it("stop working on the next request when revoked through the API", async () => {
    const owner = await newWorkspace(t);
    const created = (await owner.request("POST", "/api/v1/api-keys", { name: "Zapier", role: "agent" })).json();
    for (let i = 0; i < 3; i++) expect((await get("/api/v1/contacts", bearer(created.secret))).statusCode).toBe(200);
    expect((await owner.request("DELETE", `/api/v1/api-keys/${created.id}`)).statusCode).toBe(204);
    expect((await get("/api/v1/contacts", bearer(created.secret))).statusCode).toBe(401);
  });

  it("stop working at once when revoked in this process without the API (the CLI, a script)", async () => {
    const owner = await newWorkspace(t);
    const key = await createApiKey(t.db, null, { workspaceId: owner.workspaceId, name: "script", role: "admin" });
    expect((await get("/api/v1/contacts", bearer(key.secret))).statusCode).toBe(200);
    await revokeApiKey(t.db, { workspaceId: owner.workspaceId, role: "owner", kind: "user", userId: owner.userId, label: "test" }, key.id);
    expect((await get("/api/v1/contacts", bearer(key.secret))).statusCode).toBe(401);
  });

  it("see a role changed in the database on the next request, and still record when they were last used", async () => {
    const owner = await newWorkspace(t);
    const key = await createApiKey(t.db, null, { workspaceId: owner.workspaceId, name: "ops", role: "admin" });
    expect((await get("/api/v1/api-keys", bearer(key.secret))).statusCode).toBe(200);
    await t.db.updateTable("api_keys").set({ role: "viewer" }).where("id", "=", key.id).execute();
    expect((await get("/api/v1/api-keys", bearer(key.secret))).statusCode).toBe(403);
    const row = await t.db.selectFrom("api_keys").select("last_used_at").where("id", "=", key.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it("expire at their expiry even while remembered", async () => {
    const owner = await newWorkspace(t);
    const key = await createApiKey(t.db, null, { workspaceId: owner.workspaceId, name: "short", role: "agent" });
    expect((await get("/api/v1/contacts", bearer(key.secret))).statusCode).toBe(200);
    // Written behind the cache's back (raw SQL is watched too), in the past.
    await sql`update api_keys set expires_at = now() - interval '1 second' where id = ${key.id}`.execute(t.db);
    expect((await get("/api/v1/contacts", bearer(key.secret))).statusCode).toBe(401);
  });
});

describe("sessions, read from memory between requests", () => {
  it("end on the next request after signing out", async () => {
    const owner = await newWorkspace(t);
    expect((await owner.request("GET", "/api/v1/auth/me")).statusCode).toBe(200);
    expect((await owner.request("POST", "/api/v1/auth/signout")).statusCode).toBe(204);
    expect((await owner.request("GET", "/api/v1/auth/me")).statusCode).toBe(401);
  });

  it("end on the next request when ended from another browser", async () => {
    const owner = await newWorkspace(t);
    expect((await owner.request("GET", "/api/v1/contacts")).statusCode).toBe(200);
    const email = (await owner.request("GET", "/api/v1/auth/me")).json().user.email as string;
    const signin = await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: "correct horse" } });
    const cookie = signin.cookies.find((c) => c.name === "parley_session")?.value;
    expect(cookie).toBeDefined();
    const laptop = { cookie: `parley_session=${cookie}` };
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/sessions/revoke-others", headers: laptop })).statusCode).toBeLessThan(
      300,
    );
    expect((await owner.request("GET", "/api/v1/contacts")).statusCode).toBe(401);
    expect((await get("/api/v1/contacts", laptop)).statusCode).toBe(200);
  });

  it("end on the next request when the member is removed", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const other = await memberWithRole(t, owner, "agent");
    expect((await agent.request("GET", "/api/v1/contacts")).statusCode).toBe(200);
    expect((await other.request("GET", "/api/v1/contacts")).statusCode).toBe(200);
    expect((await owner.request("DELETE", `/api/v1/users/${agent.userId}`)).statusCode).toBe(204);
    expect((await agent.request("GET", "/api/v1/contacts")).statusCode).toBe(401);
    expect((await other.request("GET", "/api/v1/contacts")).statusCode).toBe(200);
  });

  it("carry a changed role on the next request, up and down", async () => {
    const owner = await newWorkspace(t);
    const member = await memberWithRole(t, owner, "agent");
    expect((await member.request("GET", "/api/v1/api-keys")).statusCode).toBe(403);
    expect((await owner.request("PATCH", `/api/v1/users/${member.userId}`, { role: "admin" })).statusCode).toBe(200);
    expect((await member.request("GET", "/api/v1/api-keys")).statusCode).toBe(200);
    expect((await owner.request("PATCH", `/api/v1/users/${member.userId}`, { role: "viewer" })).statusCode).toBe(200);
    expect((await member.request("GET", "/api/v1/api-keys")).statusCode).toBe(403);
    expect((await member.request("POST", "/api/v1/contacts", { name: "Not allowed" })).statusCode).toBe(403);
  });

  it("of one workspace never answer for another's key", async () => {
    const a = await newWorkspace(t, "A");
    const b = await newWorkspace(t, "B");
    const keyA = await apiKeyCaller(t, a, "admin");
    const keyB = await apiKeyCaller(t, b, "admin");
    await keyA.request("POST", "/api/v1/contacts", { name: "Only in A" });
    for (let i = 0; i < 2; i++) {
      const names = (await keyB.request("GET", "/api/v1/contacts")).json().data.map((c: { name: string }) => c.name);
      expect(names).not.toContain("Only in A");
    }
  });
});

describe("custom field definitions, read from memory by the contact list", () => {
  it("see a field created a moment ago", async () => {
    const owner = await newWorkspace(t);
    expect((await owner.request("GET", "/api/v1/contacts?sort=custom.tier")).statusCode).toBe(400);
    const field = await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "tier", label: "Tier", type: "text" });
    expect(field.statusCode).toBe(201);
    expect((await owner.request("GET", "/api/v1/contacts?sort=custom.tier")).statusCode).toBe(200);
    expect((await owner.request("DELETE", `/api/v1/custom-fields/${field.json().id}`)).statusCode).toBe(204);
    expect((await owner.request("GET", "/api/v1/contacts?sort=custom.tier")).statusCode).toBe(400);
  });
});

describe("the write watch", () => {
  it("knows which tables a statement writes, and that recording last use changes nothing cached", () => {
    const q = (b: { toOperationNode: () => Parameters<typeof tablesWritten>[0] }) => tablesWritten(b.toOperationNode());
    expect(q(t.db.selectFrom("api_keys").selectAll())).toEqual([]);
    expect(q(t.db.updateTable("api_keys").set({ revoked_at: new Date() }))).toEqual(["api_keys"]);
    expect(q(t.db.updateTable("api_keys").set({ last_used_at: new Date() }))).toEqual([]);
    expect(q(t.db.updateTable("sessions as s").set({ last_seen_at: new Date() }))).toEqual([]);
    expect(q(t.db.deleteFrom("sessions"))).toEqual(["sessions"]);
    expect(q(t.db.insertInto("memberships").values({ workspace_id: "w", user_id: "u", role: "agent" }))).toEqual(["memberships"]);
    expect(q(sql`with gone as (delete from "sessions" where true returning 1) update users set name = 'x'`)).toEqual(["sessions", "users"]);
    expect(q(sql`select * from api_keys where name = 'update memberships'`)).toEqual(["memberships"]); // over-counting is safe
    expect(writeWatchOf(t.db)).toBeDefined();
  });
});
