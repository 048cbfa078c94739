// Issue 12 items 5 and 9: sign-up is closed once the server has its first
// workspace (unless opened), wrong passwords are throttled per account and per
// address in the database, and no answer says whether an account exists.
import type { LightMyRequestResponse } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_THROTTLE } from "../src/accounts";
import { buildApp } from "../src/server/app";
import { pruneLoginThrottles } from "../src/store/accounts";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Inject = (method: string, url: string, payload?: object, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
const injector =
  (app: TestApp["app"]): Inject =>
  (method, url, payload, headers = {}) =>
    app.inject({ method: method as "GET", url, headers, ...(payload !== undefined ? { payload } : {}) });

const signup = (email: string, workspace = "Acme") => ({ email, name: "Someone", password: "long enough", workspace_name: workspace });
const sessionOf = (res: { cookies: { name: string; value: string }[] }) =>
  `parley_session=${res.cookies.find((c) => c.name === "parley_session")?.value}`;

describe("sign-up after the first workspace", () => {
  it("is closed by default; the first workspace's owner can open it; invitations still work", async () => {
    t = await startTestApp({ openSignup: false });
    const inject = injector(t.app);
    expect((await inject("GET", "/api/v1/auth/setup")).json()).toEqual({ needs_setup: true, signup_open: true });
    const first = await inject("POST", "/api/v1/auth/signup", signup("first@example.com"));
    expect(first.statusCode, first.body).toBe(201);
    const owner = sessionOf(first);
    expect(first.json().workspace).toMatchObject({ open_signup: false, controls_signup: true });
    expect((await inject("GET", "/api/v1/auth/setup")).json()).toEqual({ needs_setup: false, signup_open: false });

    const refused = await inject("POST", "/api/v1/auth/signup", signup("stranger@example.com", "Mine"));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/sign-up is closed.*invitation/i);
    expect(await t.db.selectFrom("workspaces").select("id").execute()).toHaveLength(1);

    // An invitation is the way in while sign-up is closed.
    const inv = await inject("POST", "/api/v1/invitations", { email: "agent@example.com", role: "agent", team_ids: [] }, { cookie: owner });
    expect(inv.statusCode, inv.body).toBe(201);
    const accepted = await inject("POST", `/api/v1/auth/invitations/${inv.json().token}/accept`, {
      name: "Agent",
      password: "agent password",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // An admin of the first workspace may not open the server to strangers; only its owner.
    const asAgent = await inject("PATCH", "/api/v1/workspace", { open_signup: true }, { cookie: sessionOf(accepted) });
    expect(asAgent.statusCode).toBe(403);

    const opened = await inject("PATCH", "/api/v1/workspace", { open_signup: true }, { cookie: owner });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ open_signup: true });
    expect((await inject("GET", "/api/v1/auth/setup")).json()).toMatchObject({ signup_open: true });
    const second = await inject("POST", "/api/v1/auth/signup", signup("stranger@example.com", "Mine"));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().workspace).toMatchObject({ controls_signup: false });
    // The second workspace's owner does not decide for the server.
    const notTheirs = await inject("PATCH", "/api/v1/workspace", { open_signup: false }, { cookie: sessionOf(second) });
    expect(notTheirs.statusCode).toBe(403);

    expect((await inject("PATCH", "/api/v1/workspace", { open_signup: false }, { cookie: owner })).statusCode).toBe(200);
    expect((await inject("POST", "/api/v1/auth/signup", signup("third@example.com", "Third"))).statusCode).toBe(403);
    const empty = await inject("PATCH", "/api/v1/workspace", {}, { cookie: owner });
    expect(empty.statusCode).toBe(400);
  });

  it("is open to everyone when the server says so (PARLEY_OPEN_SIGNUP=1)", async () => {
    t = await startTestApp({ openSignup: true });
    const inject = injector(t.app);
    expect((await inject("POST", "/api/v1/auth/signup", signup("a@example.com"))).statusCode).toBe(201);
    expect((await inject("POST", "/api/v1/auth/signup", signup("b@example.com", "B"))).statusCode).toBe(201);
  });

  it("does not say that an email is already registered", async () => {
    t = await startTestApp({ openSignup: true });
    const inject = injector(t.app);
    expect((await inject("POST", "/api/v1/auth/signup", signup("taken@example.com"))).statusCode).toBe(201);
    const again = await inject("POST", "/api/v1/auth/signup", signup("Taken@Example.com", "Other"));
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toMatch(/exist|already|registered|taken/i);
  });
});

describe("sign-in throttling", () => {
  it("refuses the 6th attempt with 429 and Retry-After, even with the right password, until the lock passes", async () => {
    let clock = new Date("2026-12-01T10:00:00Z");
    t = await startTestApp({ now: () => clock });
    const inject = injector(t.app);
    expect((await inject("POST", "/api/v1/auth/signup", signup("ann@example.com"))).statusCode).toBe(201);
    const attempt = (password: string) => inject("POST", "/api/v1/auth/signin", { email: "ann@example.com", password });

    for (let i = 0; i < DEFAULT_THROTTLE.accountLimit; i++) expect((await attempt("wrong password")).statusCode).toBe(401);
    const locked = await attempt("long enough");
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe("rate_limited");
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);

    // The lock is in the database: a second app (another process, or after a restart) honours it.
    const other = await buildApp({ db: t.db, now: () => clock });
    await other.app.ready();
    const elsewhere = await injector(other.app)("POST", "/api/v1/auth/signin", { email: "ann@example.com", password: "long enough" });
    await other.app.close();
    expect(elsewhere.statusCode).toBe(429);

    clock = new Date(clock.getTime() + retryAfter * 1000 + 1000);
    expect((await attempt("long enough")).statusCode).toBe(200);
    // Success clears the account's count: one more slip is a plain 401 again.
    expect((await attempt("wrong password")).statusCode).toBe(401);
    expect((await attempt("long enough")).statusCode).toBe(200);
  });

  it("locks longer after each further failure", async () => {
    let clock = new Date("2026-12-01T10:00:00Z");
    t = await startTestApp({ now: () => clock });
    const inject = injector(t.app);
    const attempt = () => inject("POST", "/api/v1/auth/signin", { email: "nobody@example.com", password: "guess" });
    for (let i = 0; i < DEFAULT_THROTTLE.accountLimit; i++) await attempt();
    const first = Number((await attempt()).headers["retry-after"]);
    clock = new Date(clock.getTime() + first * 1000 + 1000);
    expect((await attempt()).statusCode).toBe(401); // one more guess is let through …
    const second = Number((await attempt()).headers["retry-after"]); // … and doubles the lock
    expect(second).toBeGreaterThan(first);

    // Counts older than the window, with no lock in force, are pruned; a live lock is kept.
    const rows = () => t?.db.selectFrom("login_throttles").select("key").where("key", "=", "email:nobody@example.com").execute();
    await pruneLoginThrottles(t.db, clock, DEFAULT_THROTTLE.windowMs);
    expect(await rows()).toHaveLength(1);
    clock = new Date(clock.getTime() + DEFAULT_THROTTLE.windowMs + DEFAULT_THROTTLE.maxMs);
    await pruneLoginThrottles(t.db, clock, DEFAULT_THROTTLE.windowMs);
    expect(await rows()).toHaveLength(0);
  });

  it("throttles one client address that guesses across many accounts", async () => {
    t = await startTestApp({ signInThrottle: { ...DEFAULT_THROTTLE, ipLimit: 3 } });
    const app = t.app;
    const from = (ip: string, email: string, headers: Record<string, string> = {}) =>
      app.inject({ method: "POST", url: "/api/v1/auth/signin", remoteAddress: ip, headers, payload: { email, password: "guess" } });
    for (let i = 0; i < 3; i++) expect((await from("203.0.113.7", `user${i}@example.com`)).statusCode).toBe(401);
    expect((await from("203.0.113.7", "fresh@example.com")).statusCode).toBe(429);
    // Without a trusted proxy, a forged X-Forwarded-For does not give the guesser a fresh address.
    expect((await from("203.0.113.7", "other@example.com", { "x-forwarded-for": "192.0.2.55" })).statusCode).toBe(429);
    expect((await from("198.51.100.1", "fresh@example.com")).statusCode).toBe(401);
  });

  it("believes X-Forwarded-For only from a proxy it was told to trust", async () => {
    t = await startTestApp({ signInThrottle: { ...DEFAULT_THROTTLE, ipLimit: 2 }, trustProxy: "127.0.0.1" });
    const app = t.app;
    const viaProxy = (client: string, email: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        remoteAddress: "127.0.0.1",
        headers: { "x-forwarded-for": client },
        payload: { email, password: "guess" },
      });
    for (let i = 0; i < 2; i++) expect((await viaProxy("203.0.113.8", `p${i}@example.com`)).statusCode).toBe(401);
    expect((await viaProxy("203.0.113.8", "p9@example.com")).statusCode).toBe(429);
    // Another client behind the same proxy is not locked out with it.
    expect((await viaProxy("198.51.100.2", "p9@example.com")).statusCode).toBe(401);
  });
});

describe("joining by invitation with an existing account", () => {
  it("throttles wrong passwords like sign-in", async () => {
    t = await startTestApp();
    const inject = injector(t.app);
    const first = await inject("POST", "/api/v1/auth/signup", signup("owner@example.com"));
    expect((await inject("POST", "/api/v1/auth/signup", signup("bo@example.com", "Bo's"))).statusCode).toBe(201);
    const inv = await inject(
      "POST",
      "/api/v1/invitations",
      { email: "bo@example.com", role: "agent", team_ids: [] },
      { cookie: sessionOf(first) },
    );
    const accept = (password: string) => inject("POST", `/api/v1/auth/invitations/${inv.json().token}/accept`, { name: "Bo", password });
    for (let i = 0; i < DEFAULT_THROTTLE.accountLimit; i++) {
      const wrong = await accept("not bo's password");
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).not.toMatch(/already has an account/);
    }
    const locked = await accept("long enough");
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("no account enumeration through sign-in", () => {
  it("answers a known email with a wrong password exactly like an unknown email", async () => {
    t = await startTestApp();
    const inject = injector(t.app);
    expect((await inject("POST", "/api/v1/auth/signup", signup("known@example.com"))).statusCode).toBe(201);
    const known = await inject("POST", "/api/v1/auth/signin", { email: "known@example.com", password: "wrong password" });
    const unknown = await inject("POST", "/api/v1/auth/signin", { email: "unknown@example.com", password: "wrong password" });
    expect(known.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    // Unknown emails are throttled like known ones, so a lock does not tell them apart either.
    for (let i = 1; i < DEFAULT_THROTTLE.accountLimit; i++) {
      await inject("POST", "/api/v1/auth/signin", { email: "known@example.com", password: "wrong password" });
      await inject("POST", "/api/v1/auth/signin", { email: "unknown@example.com", password: "wrong password" });
    }
    const knownLocked = await inject("POST", "/api/v1/auth/signin", { email: "known@example.com", password: "x" });
    const unknownLocked = await inject("POST", "/api/v1/auth/signin", { email: "unknown@example.com", password: "x" });
    expect([knownLocked.statusCode, unknownLocked.statusCode]).toEqual([429, 429]);
    expect(unknownLocked.body).toBe(knownLocked.body);
  });
});
