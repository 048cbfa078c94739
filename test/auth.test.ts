import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const inject = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: method as "GET", url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe("first run, sign-in and sessions", () => {
  it("offers owner sign-up until someone has signed up, then signs in and out", async () => {
    expect((await inject("GET", "/api/v1/auth/setup")).json()).toEqual({ needs_setup: true, signup_open: true });
    const signup = await inject("POST", "/api/v1/auth/signup", {
      email: "Owner@Example.com",
      name: "Owner",
      password: "long enough",
      workspace_name: "Acme",
    });
    expect(signup.statusCode, signup.body).toBe(201);
    expect(signup.json()).toMatchObject({ user: { email: "owner@example.com" }, workspace: { name: "Acme" }, role: "owner" });
    const cookie = signup.cookies.find((c) => c.name === "parley_session");
    expect(cookie?.httpOnly).toBe(true);
    expect((await inject("GET", "/api/v1/auth/setup")).json()).toEqual({ needs_setup: false, signup_open: true }); // the test app opens sign-up

    const again = await inject("POST", "/api/v1/auth/signup", {
      email: "owner@example.com",
      name: "X",
      password: "long enough",
      workspace_name: "Other",
    });
    expect(again.statusCode).toBe(409);

    const wrong = await inject("POST", "/api/v1/auth/signin", { email: "owner@example.com", password: "wrong password" });
    expect(wrong.statusCode).toBe(401);
    const signin = await inject("POST", "/api/v1/auth/signin", { email: "OWNER@example.com", password: "long enough" });
    expect(signin.statusCode).toBe(200);
    const session = `parley_session=${signin.cookies.find((c) => c.name === "parley_session")?.value}`;
    expect((await inject("GET", "/api/v1/auth/me", undefined, { cookie: session })).statusCode).toBe(200);
    expect((await inject("POST", "/api/v1/auth/signout", undefined, { cookie: session })).statusCode).toBe(204);
    expect((await inject("GET", "/api/v1/auth/me", undefined, { cookie: session })).statusCode).toBe(401);
  });

  it("refuses cookie-authenticated writes from another site", async () => {
    const owner = await newWorkspace(t);
    const res = await owner.request("POST", "/api/v1/contacts", { name: "X" }, { origin: "https://evil.example", host: "localhost:4000" });
    expect(res.statusCode).toBe(403);
    const same = await owner.request(
      "POST",
      "/api/v1/contacts",
      { name: "X" },
      { origin: "http://localhost:4000", host: "localhost:4000" },
    );
    expect(same.statusCode).toBe(201);
  });
});

describe("invitations", () => {
  it("an admin invites, the invitee joins with the role and teams, the link works once", async () => {
    const owner = await newWorkspace(t);
    // a team of its own: Support, Sales, Product and Managers come with the workspace
    const team = (await owner.request("POST", "/api/v1/teams", { name: "Billing" })).json();
    const inv = await owner.request("POST", "/api/v1/invitations", { email: "new.agent@example.com", role: "agent", team_ids: [team.id] });
    expect(inv.statusCode, inv.body).toBe(201);
    const token = inv.json().token as string;
    expect((await inject("GET", `/api/v1/auth/invitations/${token}`)).json()).toMatchObject({
      email: "new.agent@example.com",
      role: "agent",
      workspace_name: "Acme",
    });
    const accept = await inject("POST", `/api/v1/auth/invitations/${token}/accept`, { name: "New Agent", password: "agent password" });
    expect(accept.statusCode, accept.body).toBe(200);
    expect(accept.json()).toMatchObject({ role: "agent", workspace: { id: owner.workspaceId } });
    const again = await inject("POST", `/api/v1/auth/invitations/${token}/accept`, { name: "New Agent", password: "agent password" });
    expect(again.statusCode).toBe(404);
    const teams = (await owner.request("GET", `/api/v1/teams/${team.id}`)).json();
    expect(teams.member_ids).toHaveLength(1);
    const users = (await owner.request("GET", "/api/v1/users")).json().data;
    expect(users.map((u: { email: string; role: string }) => [u.email, u.role])).toContainEqual(["new.agent@example.com", "agent"]);
  });
});

describe("API keys", () => {
  it("shows the secret once, stores only its hash, and stops working when revoked", async () => {
    const owner = await newWorkspace(t);
    const created = await owner.request("POST", "/api/v1/api-keys", { name: "Zapier", role: "agent" });
    expect(created.statusCode).toBe(201);
    const { id, secret, prefix } = created.json();
    expect(secret).toMatch(/^pk_/);
    expect(secret.startsWith(prefix)).toBe(true);
    const listed = await owner.request("GET", "/api/v1/api-keys");
    expect(listed.body).not.toContain(secret);
    const stored = await t.db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const bearer = { authorization: `Bearer ${secret}` };
    const viaKey = await inject("POST", "/api/v1/contacts", { name: "From the API" }, bearer);
    expect(viaKey.statusCode).toBe(201);
    expect((await owner.request("DELETE", `/api/v1/api-keys/${id}`)).statusCode).toBe(204);
    const revoked = await inject("GET", "/api/v1/contacts", undefined, bearer);
    expect(revoked.statusCode).toBe(401);
    expect((await inject("GET", "/api/v1/contacts", undefined, { authorization: "Basic abc" })).statusCode).toBe(401);
  });
});
