import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetTwoFactor } from "../src/accounts";
import { apiKeyCaller, type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Account security (issue 13): TOTP two-factor sign-in with recovery codes, sessions with idle
// and absolute expiry, API key scopes and expiry. The server's clock is the test's, so codes are
// computed here from the secret with the same library an authenticator app uses.

let t: TestApp;
let clock = new Date("2026-03-02T09:00:00Z");
const tick = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const STEP = 30_000;

beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  // a new step for every test: a code is accepted once
  tick(10 * STEP);
});

const PASSWORD = "correct horse";
const codeFor = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.getTime() });

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url: `/api/v1${url}`, payload, headers });
const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) => {
  const c = res.cookies.find((x) => x.name === "parley_session");
  return c ? `parley_session=${c.value}` : undefined;
};
const asCookie = (cookie: string) => ({
  get: (url: string) => t.app.inject({ method: "GET", url: `/api/v1${url}`, headers: { cookie } }),
  post: (url: string, payload: object = {}) => post(url, payload, { cookie }),
  del: (url: string) => t.app.inject({ method: "DELETE", url: `/api/v1${url}`, headers: { cookie } }),
});

async function emailOf(caller: Caller): Promise<string> {
  return (await caller.request("GET", "/api/v1/auth/me")).json().user.email;
}

/** Turns on two-factor sign-in for the caller; returns the secret and the recovery codes. */
async function enrol(caller: Caller) {
  const started = await caller.request("POST", "/api/v1/auth/two-factor/enrol");
  expect(started.statusCode, started.body).toBe(200);
  const { secret, uri } = started.json() as { secret: string; uri: string };
  expect(uri).toMatch(/^otpauth:\/\/totp\/Parley:/);
  expect(uri).toContain(`secret=${secret}`);
  const confirmed = await caller.request("POST", "/api/v1/auth/two-factor/confirm", { code: codeFor(secret) });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  tick(STEP);
  return { secret, recoveryCodes: confirmed.json().recovery_codes as string[] };
}

async function auditActions(owner: Caller, prefix: string): Promise<Array<{ action: string; summary: string }>> {
  const res = await owner.request("GET", `/api/v1/audit?action=${encodeURIComponent(prefix)}&limit=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

describe("two-factor sign-in (TOTP)", () => {
  it("enrols with a confirming code, then sign-in takes the password and a code; a wrong or replayed code is refused", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json()).toMatchObject({ enabled: false, required: false });

    const started = (await owner.request("POST", "/api/v1/auth/two-factor/enrol")).json();
    const wrong = await owner.request("POST", "/api/v1/auth/two-factor/confirm", {
      code: "000000" === codeFor(started.secret) ? "111111" : "000000",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].field).toBe("code");
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json().enabled).toBe(false);
    const confirmed = await owner.request("POST", "/api/v1/auth/two-factor/confirm", { code: codeFor(started.secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes = confirmed.json().recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json()).toMatchObject({ enabled: true, recovery_codes_left: 10 });
    expect((await owner.request("GET", "/api/v1/auth/me")).json().two_factor).toEqual({ enabled: true, setup_required: false });
    tick(STEP);

    // Step one: the right password gives a challenge, not a session.
    const first = await post("/auth/signin", { email, password: PASSWORD });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ two_factor_required: true });
    expect(cookieOf(first)).toBeUndefined();
    const challenge = first.json().challenge as string;

    const bad = await post("/auth/signin/two-factor", { challenge, code: codeFor(started.secret) === "123456" ? "654321" : "123456" });
    expect(bad.statusCode).toBe(401);
    expect(cookieOf(bad)).toBeUndefined();

    const code = codeFor(started.secret);
    const ok = await post("/auth/signin/two-factor", { challenge, code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ user: { email }, workspace: { id: owner.workspaceId } });
    const cookie = cookieOf(ok);
    expect(cookie).toBeDefined();
    expect((await asCookie(cookie as string).get("/auth/me")).statusCode).toBe(200);

    // The challenge is spent, and the same code cannot start a second session.
    expect((await post("/auth/signin/two-factor", { challenge, code })).statusCode).toBe(401);
    const again = (await post("/auth/signin", { email, password: PASSWORD })).json().challenge;
    expect((await post("/auth/signin/two-factor", { challenge: again, code })).statusCode).toBe(401);

    const actions = (await auditActions(owner, "two_factor.")).map((e) => e.action);
    expect(actions).toContain("two_factor.enabled");
    const signIns = await auditActions(owner, "session.");
    expect(signIns.some((e) => e.action === "session.signed_in" && e.summary.includes("authenticator code"))).toBe(true);
    expect(signIns.some((e) => e.action === "session.sign_in_failed" && e.summary.includes("two-factor"))).toBe(true);
  });

  it("a recovery code signs in once, and its use is audited", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    const { recoveryCodes } = await enrol(owner);
    const [code] = recoveryCodes;
    const first = (await post("/auth/signin", { email, password: PASSWORD })).json().challenge;
    // typed with capitals and without dashes, as read off paper
    const ok = await post("/auth/signin/two-factor", { challenge: first, code: code.replaceAll("-", "").toUpperCase() });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(cookieOf(ok)).toBeDefined();

    const second = (await post("/auth/signin", { email, password: PASSWORD })).json().challenge;
    const reused = await post("/auth/signin/two-factor", { challenge: second, code });
    expect(reused.statusCode).toBe(401);
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json().recovery_codes_left).toBe(9);
    const used = await auditActions(owner, "two_factor.recovery_code_used");
    expect(used).toHaveLength(1);
    expect(used[0].summary).toContain("9 left");
  });

  it("the code step is throttled like passwords: after repeated wrong codes even the right one waits", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    const { secret } = await enrol(owner);
    const challenge = (await post("/auth/signin", { email, password: PASSWORD })).json().challenge;
    const wrong = codeFor(secret) === "000000" ? "111111" : "000000";
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await post("/auth/signin/two-factor", { challenge, code: wrong })).statusCode);
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[5]).toBe(429);
    const locked = await post("/auth/signin/two-factor", { challenge, code: codeFor(secret) });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // a right password does not reset the count while the second factor is still owed
    tick(10 * 60_000);
    const fresh = (await post("/auth/signin", { email, password: PASSWORD })).json().challenge;
    expect((await post("/auth/signin/two-factor", { challenge: fresh, code: wrong })).statusCode).toBe(401);
    expect((await post("/auth/signin/two-factor", { challenge: fresh, code: codeFor(secret) })).statusCode).toBe(429);
  });

  it("turning it off needs the password (or a code); sign-in is one step again", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    await enrol(owner);
    expect((await owner.request("POST", "/api/v1/auth/two-factor/disable", {})).statusCode).toBe(400);
    const wrong = await owner.request("POST", "/api/v1/auth/two-factor/disable", { password: "not it at all" });
    expect(wrong.statusCode).toBe(401);
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json().enabled).toBe(true);
    expect((await owner.request("POST", "/api/v1/auth/two-factor/disable", { password: PASSWORD })).statusCode).toBe(204);
    expect((await owner.request("GET", "/api/v1/auth/two-factor")).json()).toMatchObject({ enabled: false, recovery_codes_left: 0 });
    const signin = await post("/auth/signin", { email, password: PASSWORD });
    expect(cookieOf(signin)).toBeDefined();
    expect((await auditActions(owner, "two_factor.disabled")).length).toBe(1);
  });

  it("an admin resets a member's lost second factor (ending their sessions); a member of other workspaces needs the operator", async () => {
    const owner = await newWorkspace(t);
    const agent = await memberWithRole(t, owner, "agent");
    const agentEmail = await emailOf(agent);
    await enrol(agent);
    const listed = (await owner.request("GET", "/api/v1/users")).json().data.find((m: { id: string }) => m.id === agent.userId);
    expect(listed.two_factor).toBe(true);
    expect((await agent.request("POST", `/api/v1/users/${owner.userId}/two-factor/reset`)).statusCode).toBe(403);

    const reset = await owner.request("POST", `/api/v1/users/${agent.userId}/two-factor/reset`);
    expect(reset.statusCode, reset.body).toBe(204);
    expect((await agent.request("GET", "/api/v1/auth/me")).statusCode).toBe(401);
    expect(cookieOf(await post("/auth/signin", { email: agentEmail, password: PASSWORD }))).toBeDefined();
    expect((await auditActions(owner, "two_factor.reset"))[0].summary).toContain(agentEmail);

    // Someone who is also in another workspace: that workspace's admin cannot switch off what guards both.
    const other = await newWorkspace(t, "Elsewhere");
    const shared = await memberWithRole(t, owner, "manager");
    const sharedEmail = await emailOf(shared);
    await enrol(shared);
    await other.request("POST", "/api/v1/invitations", { email: sharedEmail, role: "agent" }).then(async (inv) => {
      const accepted = await post(`/auth/invitations/${inv.json().token}/accept`, { name: "Shared", password: PASSWORD });
      // an account with a second factor joins, then signs in with its code
      expect(accepted.json()).toMatchObject({ two_factor_required: true });
    });
    const refused = await owner.request("POST", `/api/v1/users/${shared.userId}/two-factor/reset`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain("parley user reset-2fa");
    // the operator (no actor: the command line) can
    expect(await resetTwoFactor(t.db, null, shared.userId)).toMatchObject({ email: sharedEmail });
    expect((await auditActions(other, "two_factor.reset")).length).toBe(1);
  });

  it("an API key cannot manage its creator's second factor or sessions", async () => {
    const owner = await newWorkspace(t);
    const key = await apiKeyCaller(t, owner, "admin");
    expect((await key.request("POST", "/api/v1/auth/two-factor/enrol")).statusCode).toBe(403);
    expect((await key.request("GET", "/api/v1/auth/sessions")).statusCode).toBe(403);
  });
});

describe("a workspace that requires two-factor sign-in", () => {
  it("sends members without a second factor to set one up before anything else", async () => {
    const owner = await newWorkspace(t);
    const refused = await owner.request("PATCH", "/api/v1/workspace/security", { require_two_factor: true });
    expect(refused.statusCode).toBe(409);
    await enrol(owner);
    const on = await owner.request("PATCH", "/api/v1/workspace/security", { require_two_factor: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toEqual({ require_two_factor: true, session_idle_minutes: 720, session_max_days: 30 });

    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("GET", "/api/v1/auth/me")).json().two_factor).toEqual({ enabled: false, setup_required: true });
    const blocked = await agent.request("GET", "/api/v1/contacts");
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.message).toContain("two-factor");
    await enrol(agent);
    expect((await agent.request("GET", "/api/v1/auth/me")).json().two_factor).toEqual({ enabled: true, setup_required: false });
    expect((await agent.request("GET", "/api/v1/contacts")).statusCode).toBe(200);
    expect((await auditActions(owner, "workspace.security_changed"))[0].summary).toContain("require_two_factor false → true");
  });

  it("refuses settings out of range, naming the field", async () => {
    const owner = await newWorkspace(t);
    const res = await owner.request("PATCH", "/api/v1/workspace/security", { session_idle_minutes: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe("session_idle_minutes");
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("PATCH", "/api/v1/workspace/security", { session_max_days: 5 })).statusCode).toBe(403);
  });
});

describe("sessions", () => {
  it("lists my sessions with where they came from, and revokes one or all others", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    const browser = (agent: string) => post("/auth/signin", { email, password: PASSWORD }, { "user-agent": agent });
    const laptop = cookieOf(await browser("Laptop Firefox")) as string;
    const phone = cookieOf(await browser("Phone Safari")) as string;
    const tablet = cookieOf(await browser("Tablet Chrome")) as string;

    const list = (await asCookie(laptop).get("/auth/sessions")).json().data as Array<{
      id: string;
      user_agent: string;
      current: boolean;
      ip: string;
    }>;
    expect(list).toHaveLength(4); // sign-up's session too
    expect(list.filter((s) => s.current).map((s) => s.user_agent)).toEqual(["Laptop Firefox"]);
    const phoneSession = list.find((s) => s.user_agent === "Phone Safari");
    expect(phoneSession?.ip).toBeTruthy();

    expect((await asCookie(laptop).del(`/auth/sessions/${phoneSession?.id}`)).statusCode).toBe(204);
    expect((await asCookie(phone).get("/auth/me")).statusCode).toBe(401);
    expect((await asCookie(tablet).get("/auth/me")).statusCode).toBe(200);
    const revoked = await auditActions(owner, "session.revoked");
    expect(revoked[0].summary).toContain("Phone Safari");

    // Someone else's session is not mine to end.
    const other = await newWorkspace(t, "Other");
    const theirs = (await other.request("GET", "/api/v1/auth/sessions")).json().data[0].id;
    expect((await asCookie(laptop).del(`/auth/sessions/${theirs}`)).statusCode).toBe(404);
    expect((await other.request("GET", "/api/v1/auth/me")).statusCode).toBe(200);

    const others = await asCookie(laptop).post("/auth/sessions/revoke-others");
    expect(others.json()).toEqual({ revoked: 2 });
    expect((await asCookie(tablet).get("/auth/me")).statusCode).toBe(401);
    expect((await asCookie(laptop).get("/auth/me")).statusCode).toBe(200);
    expect((await asCookie(laptop).get("/auth/sessions")).json().data).toHaveLength(1);
  });

  it("ends a session after the workspace's idle time without use", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    const cookie = cookieOf(await post("/auth/signin", { email, password: PASSWORD })) as string;
    tick(11 * 3600_000);
    expect((await asCookie(cookie).get("/auth/me")).statusCode).toBe(200); // used: the idle clock restarts
    tick(11 * 3600_000);
    expect((await asCookie(cookie).get("/auth/me")).statusCode).toBe(200);
    tick(12 * 3600_000 + 60_000);
    expect((await asCookie(cookie).get("/auth/me")).statusCode).toBe(401);
  });

  it("ends a session at the absolute limit however much it is used, and a shorter setting applies at once", async () => {
    const owner = await newWorkspace(t);
    const email = await emailOf(owner);
    const cookie = cookieOf(await post("/auth/signin", { email, password: PASSWORD })) as string;
    for (let hour = 0; hour < 30; hour += 6) {
      tick(6 * 3600_000);
      expect((await asCookie(cookie).get("/auth/me")).statusCode).toBe(200);
    }
    const set = await asCookie(cookie).get("/workspace/security");
    expect(set.json().session_max_days).toBe(30);
    const patch = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/workspace/security",
      headers: { cookie },
      payload: { session_max_days: 1 },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    // 30 hours old: past one day
    expect((await asCookie(cookie).get("/auth/me")).statusCode).toBe(401);
    const fresh = cookieOf(await post("/auth/signin", { email, password: PASSWORD })) as string;
    tick(11 * 3600_000);
    expect((await asCookie(fresh).get("/auth/me")).statusCode).toBe(200);
    tick(11 * 3600_000);
    expect((await asCookie(fresh).get("/auth/me")).statusCode).toBe(200);
    tick(2 * 3600_000 + 1000);
    expect((await asCookie(fresh).get("/auth/me")).statusCode).toBe(401);
  });
});

describe("API key scopes, expiry and last use", () => {
  async function keyWith(owner: Caller, body: object) {
    const res = await owner.request("POST", "/api/v1/api-keys", body);
    expect(res.statusCode, res.body).toBe(201);
    const secret = res.json().secret as string;
    return {
      id: res.json().id as string,
      call: (method: string, url: string, payload?: object) =>
        t.app.inject({
          method: method as "GET",
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${secret}` },
          ...(payload ? { payload } : {}),
        }),
    };
  }

  it("a read key only reads, a write key writes but changes no admin settings, an admin key does all its role allows", async () => {
    const owner = await newWorkspace(t);
    const read = await keyWith(owner, { name: "reader", role: "admin", scope: "read" });
    const write = await keyWith(owner, { name: "writer", role: "admin", scope: "write" });
    const admin = await keyWith(owner, { name: "admin", role: "admin", scope: "admin" });

    expect((await read.call("GET", "/contacts")).statusCode).toBe(200);
    const readPost = await read.call("POST", "/contacts", { name: "Should not exist" });
    expect(readPost.statusCode).toBe(403);
    expect(readPost.json().error.message).toContain("scope (read)");
    expect((await read.call("GET", "/api-keys")).statusCode).toBe(403);

    expect((await write.call("POST", "/contacts", { name: "Written" })).statusCode).toBe(201);
    expect((await write.call("POST", "/api-keys", { name: "escalate", role: "admin" })).statusCode).toBe(403);
    expect((await write.call("PATCH", "/workspace/security", { session_max_days: 2 })).statusCode).toBe(403);

    expect((await admin.call("POST", "/api-keys", { name: "made by a key", role: "viewer", scope: "read" })).statusCode).toBe(201);
    // The scope narrows the role, never widens it.
    const viewerAdmin = await keyWith(owner, { name: "viewer admin", role: "viewer", scope: "admin" });
    expect((await viewerAdmin.call("POST", "/contacts", { name: "No" })).statusCode).toBe(403);

    const names = (await owner.request("GET", "/api/v1/contacts")).json().data.map((c: { name: string }) => c.name);
    expect(names).toEqual(["Written"]);
    const audit = await auditActions(owner, "api_key.created");
    expect(audit.some((e) => e.summary.includes("scope read"))).toBe(true);
  });

  it("an expired key is refused; a key's last use is recorded (at most once a minute)", async () => {
    const owner = await newWorkspace(t);
    const past = await owner.request("POST", "/api/v1/api-keys", {
      name: "past",
      role: "agent",
      expires_at: new Date(clock.getTime() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0].field).toBe("expires_at");

    const soon = await keyWith(owner, {
      name: "soon",
      role: "agent",
      scope: "read",
      expires_at: new Date(clock.getTime() + 3600_000).toISOString(),
    });
    const listed = () => owner.request("GET", "/api/v1/api-keys").then((r) => r.json().data.find((k: { id: string }) => k.id === soon.id));
    expect(await listed()).toMatchObject({ scope: "read", last_used_at: null });
    expect((await soon.call("GET", "/contacts")).statusCode).toBe(200);
    const used = (await listed()).last_used_at;
    expect(used).not.toBeNull();
    tick(3600_000 + 1000);
    const expired = await soon.call("GET", "/contacts");
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toContain("expired");
  });

  it("keys made before scopes existed keep all their role allows", async () => {
    const owner = await newWorkspace(t);
    const key = await apiKeyCaller(t, owner, "admin");
    expect((await key.request("GET", "/api/v1/api-keys")).statusCode).toBe(200);
  });
});

describe("bad input to the account security routes", () => {
  it("never answers with a 5xx", async () => {
    const owner = await newWorkspace(t);
    const bodies = [
      {},
      { code: "" },
      { code: 123456 },
      { code: "x".repeat(500) },
      { code: "12345a" },
      { challenge: "short", code: "123456" },
      { challenge: "pc_not-a-real-challenge-token", code: "123456" },
      { password: "" },
      { password: "x", code: "123456", extra: true },
      { session_idle_minutes: "12" },
      { session_max_days: 1.5 },
      { require_two_factor: "yes" },
      { name: "k", role: "agent", scope: "everything" },
      { name: "k", role: "agent", expires_at: "tomorrow" },
    ];
    const routes: Array<[string, string]> = [
      ["POST", "/api/v1/auth/signin/two-factor"],
      ["POST", "/api/v1/auth/two-factor/confirm"],
      ["POST", "/api/v1/auth/two-factor/disable"],
      ["POST", "/api/v1/auth/two-factor/recovery-codes"],
      ["PATCH", "/api/v1/workspace/security"],
      ["POST", "/api/v1/api-keys"],
      ["DELETE", "/api/v1/auth/sessions/not-a-uuid"],
      ["DELETE", "/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000"],
      ["POST", "/api/v1/users/00000000-0000-4000-8000-000000000000/two-factor/reset"],
    ];
    for (const [method, url] of routes) {
      for (const body of bodies) {
        const res = await owner.request(method, url, method === "DELETE" ? undefined : body);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
      }
    }
  });
});
