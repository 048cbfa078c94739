import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Home } from "../src/contracts/home";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function home(c: Caller): Promise<Home> {
  const res = await c.request("GET", "/api/v1/home");
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const step = (h: Home, key: string) => h.onboarding.steps.find((s) => s.key === key);
const count = (h: Home, key: string) => h.attention.find((a) => a.key === key)?.count;

describe("home: first steps and what needs attention", () => {
  it("walks a new workspace through its first steps, each done by what it asks for", async () => {
    const owner = await newWorkspace(t);
    const fresh = await home(owner);
    expect(fresh.onboarding).toMatchObject({ done: 0, total: 4 });
    expect(fresh.onboarding.steps.map((s) => s.key)).toEqual(["teams", "own_accounts", "channel", "invite"]);
    expect(step(fresh, "teams")?.detail).toMatch(/nobody/);

    const teams = (await owner.request("GET", "/api/v1/teams")).json().data as Array<{ id: string; name: string }>;
    const support = teams.find((x) => x.name === "Support");
    expect((await owner.request("PATCH", `/api/v1/teams/${support?.id}`, { member_ids: [owner.userId] })).statusCode).toBe(200);
    expect((await owner.request("POST", "/api/v1/own-accounts", { network: "mastodon", handle: "@AcmeHelp" })).statusCode).toBe(201);
    expect((await owner.request("POST", "/api/v1/channels", { name: "Hooks", network: "webhook" })).statusCode).toBe(201);
    expect((await owner.request("POST", "/api/v1/invitations", { email: "new@example.com", role: "agent" })).statusCode).toBe(201);

    const after = await home(owner);
    expect(after.onboarding).toMatchObject({ done: 4, total: 4 });
    expect(step(after, "teams")?.detail).toBe("You are in 1 team: rules can assign conversations to you and notify you.");
    expect(step(after, "invite")?.detail).toBe("1 invitation waiting to be accepted.");
  });

  it("counts what needs the signed-in person, in their workspace only", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const other = await newWorkspace(t, "Other");
    const messages = [1, 2, 3].map((i) => ({
      network: "mastodon",
      external_id: `home-${i}`,
      author: { id: `home-author-${i}`, handle: `ha${i}` },
      text: `Where is my parcel number ${i}?`,
      created_at: new Date(Date.UTC(2026, 10, 1, 12, 0, i)).toISOString(),
    }));
    for (const c of [owner, other]) {
      expect((await c.request("POST", "/api/v1/messages:batch", { messages })).statusCode).toBe(200);
    }
    const conversations = (await owner.request("GET", "/api/v1/conversations")).json().data as Array<{ id: string }>;
    expect(conversations).toHaveLength(3);
    for (const conv of conversations) {
      expect((await owner.request("PATCH", `/api/v1/conversations/${conv.id}`, { status: "open", assignee_id: null })).statusCode).toBe(
        200,
      );
    }
    const first = conversations[0] as { id: string };
    expect((await owner.request("PATCH", `/api/v1/conversations/${first.id}`, { assignee_id: agent.userId })).statusCode).toBe(200);

    const forAgent = await home(agent);
    expect(count(forAgent, "unassigned")).toBe(2);
    expect(count(forAgent, "mine")).toBe(1);
    expect(count(await home(owner), "mine")).toBe(0);
    expect(forAgent.attention.find((a) => a.key === "unassigned")?.link).toBe("/inbox?status=open&assignee=none");
  });

  it("is for signed-in people of the workspace", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/home" });
    expect(res.statusCode).toBe(401);
  });
});
