import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";
import { portalOf, Visitor } from "./support/portal";

// A workspace's custom domain (#17): a real HTTP request whose Host is the domain gets that
// workspace's portal at / (the pages of /c/<slug>, with links that work there) and nothing else
// of the app; another workspace's domain never shows this one's data; the domain is checked
// when it is set (a public host name, unique: 409 naming custom_domain).

let t: TestApp;
let port: number;
beforeAll(async () => {
  // a staff web app to keep out of the custom domain
  const webDir = mkdtempSync(join(tmpdir(), "parley-web-"));
  writeFileSync(join(webDir, "index.html"), '<!doctype html><title>Parley staff</title><div id="root"></div>');
  t = await startTestApp({ webDir });
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await t?.close();
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A real request to the listening server, with the Host header a browser on that domain sends. */
function get(host: string, path: string, headers: Record<string, string> = {}, method = "GET", body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers: { host, ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const cookiesOf = (a: Answer) =>
  ((a.headers["set-cookie"] as string[] | undefined) ?? []).map((c) => c.split(";")[0] as string).filter((c) => !c.endsWith("="));

describe("custom domain", () => {
  it("serves the workspace's portal at / on its domain, with working links, and nothing else of the app", async () => {
    const owner = await newWorkspace(t, "Domain Roasters");
    const base = await portalOf(owner);
    const member = new Visitor(t, base, "203.0.113.91");
    await member.signUp("Dina Domain");
    const idea = await member.post("/ideas", { title: "Single origin of the month", description: "" });
    const ideaId = /\/ideas\/([0-9a-f-]{36})/.exec(idea.headers.location as string)?.[1] as string;

    const set = await owner.request("PATCH", "/api/v1/community/settings", {
      custom_domain: "Community.Domain-Roasters.com",
      title: "Domain Roasters Community",
      color: "#7a3b12",
      logo_url: "https://cdn.domain-roasters.com/logo.png",
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().custom_domain).toBe("community.domain-roasters.com");
    const host = "community.domain-roasters.com";

    const home = await get(host, "/");
    expect(home.status).toBe(200);
    expect(home.headers["content-type"]).toMatch(/text\/html/);
    // themed with the workspace's title, colour and logo
    expect(home.body).toContain("Domain Roasters Community");
    expect(home.body).toContain("--brand:#7a3b12");
    expect(home.body).toContain('src="https://cdn.domain-roasters.com/logo.png"');
    expect(home.body).toContain("Single origin of the month");
    // links are the domain's own paths, not /c/<slug>/…
    expect(home.body).not.toContain(`"${base}`);
    expect(home.body).toContain(`href="/ideas"`);
    expect(home.body).toContain(`href="/ideas/${ideaId}"`);
    expect(home.body).toContain(`src="/c/assets/portal.js"`);

    // the same pages as /c/<slug>/…, the port in the Host header does not matter
    const ideaPage = await get(`${host}:443`, `/ideas/${ideaId}`);
    expect(ideaPage.status).toBe(200);
    expect(ideaPage.body).toContain("Single origin of the month");
    expect((await get(host, "/roadmap")).status).toBe(200);
    expect((await get(host, "/help")).status).toBe(200);
    expect((await get(host, "/c/assets/portal.js")).status).toBe(200);
    const similar = await get(host, "/ideas/similar?q=single%20origin");
    expect(similar.status).toBe(200);
    expect(JSON.parse(similar.body).data[0].url).toBe(`/ideas/${ideaId}`);
    // links under /c/<slug> (old emails) still work on the domain
    expect((await get(host, `${base}/ideas/${ideaId}`)).status).toBe(200);

    // cookies are for the whole domain, and a form posted there redirects to the domain's paths
    const signin = await get(host, "/signin");
    expect(signin.status).toBe(200);
    const setCookies = (signin.headers["set-cookie"] as string[]).join("\n");
    expect(setCookies).toMatch(/parley_csrf=[^;]+;.*Path=\/(;|$)/m);
    const cookie = cookiesOf(signin).join("; ");
    const csrf = /parley_csrf=([^;]+)/.exec(cookie)?.[1] as string;
    const signup = await get(
      host,
      "/signup",
      { cookie, "content-type": "application/x-www-form-urlencoded" },
      "POST",
      new URLSearchParams({ _csrf: csrf, display_name: "Hal Host", email: "hal.host@example.com", password: "a long password" }).toString(),
    );
    expect(signup.status, signup.body).toBe(303);
    expect(signup.headers.location).toBe("/");
    const session = [cookie, ...cookiesOf(signup)].join("; ");
    const signedIn = await get(host, "/", { cookie: session });
    expect(signedIn.body).toContain("Hal Host");
    expect(signedIn.body).toContain(`action="/signout"`);

    // nothing else of the app answers on the domain: no API, no docs, no staff app, no webhooks
    for (const path of ["/api/v1/contacts", "/api/health", "/api/openapi.json", "/api/docs", "/hooks/email/x", "/settings", "/inbox"]) {
      const res = await get(host, path, { cookie: session });
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toMatch(/"data"|openapi|<div id="root">/);
    }
    const staffApi = await get(host, "/api/v1/community/settings", { authorization: "Bearer x" });
    expect(staffApi.status).toBe(404);

    // the app itself still answers on its own host
    expect((await get(`127.0.0.1:${port}`, "/api/health")).status).toBe(200);
    expect((await get(`127.0.0.1:${port}`, "/settings")).body).toContain('<div id="root">');
    expect((await get(`127.0.0.1:${port}`, `${base}/ideas/${ideaId}`)).status).toBe(200);
  });

  it("one workspace's domain never shows another's portal or data", async () => {
    const a = await newWorkspace(t, "Alpha Domains");
    const b = await newWorkspace(t, "Beta Domains");
    const baseA = await portalOf(a);
    const baseB = await portalOf(b);
    const alice = new Visitor(t, baseA, "203.0.113.92");
    await alice.signUp("Alice Alpha");
    const asked = await alice.post("/questions", { title: "Alpha secret domain question", body: "alpha only" });
    const questionId = /\/q\/([0-9a-f-]{36})/.exec(asked.headers.location as string)?.[1] as string;
    expect((await a.request("PATCH", "/api/v1/community/settings", { custom_domain: "help.alpha-domains.com" })).statusCode).toBe(200);
    expect((await b.request("PATCH", "/api/v1/community/settings", { custom_domain: "help.beta-domains.com" })).statusCode).toBe(200);

    expect((await get("help.alpha-domains.com", `/q/${questionId}`)).body).toContain("Alpha secret domain question");
    const bHome = await get("help.beta-domains.com", "/");
    expect(bHome.body).toContain("Beta Domains");
    expect(bHome.body).not.toMatch(/alpha/i);
    expect((await get("help.beta-domains.com", `/q/${questionId}`)).status).toBe(404);
    expect((await get("help.beta-domains.com", "/questions")).body).not.toMatch(/alpha secret/i);
    // B's domain does not reach A's portal through A's /c/<slug> path either
    const viaPath = await get("help.beta-domains.com", `${baseA}/q/${questionId}`);
    expect(viaPath.status).toBe(404);
    expect(viaPath.body).not.toMatch(/alpha secret/i);
    // a session on A's domain means nothing on B's
    const aliceCookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    expect((await get("help.beta-domains.com", "/", { cookie: aliceCookie })).body).toContain("Sign in");
    expect(baseB).not.toBe(baseA);

    // a new slug behind the domain is served at once
    expect((await b.request("PATCH", "/api/v1/community/settings", { slug: "beta-renamed" })).statusCode).toBe(200);
    expect((await get("help.beta-domains.com", "/")).body).toContain("Beta Domains");
    // clearing the domain stops serving it
    expect((await b.request("PATCH", "/api/v1/community/settings", { custom_domain: null })).statusCode).toBe(200);
    const gone = await get("help.beta-domains.com", "/");
    expect(gone.body).not.toContain("Beta Domains");
  });

  it("checks the domain when it is set: a public host name, unique across workspaces", async () => {
    const a = await newWorkspace(t, "Check Alpha");
    const b = await newWorkspace(t, "Check Beta");
    const patch = (who: typeof a, custom_domain: unknown) => who.request("PATCH", "/api/v1/community/settings", { custom_domain });
    for (const bad of [
      "127.0.0.1",
      "10.0.0.7",
      "localhost",
      "shop.localhost",
      "printer.local",
      "[::1]",
      "https://x.example.com",
      "x.com/path",
      "a..b.com",
      "x.com:8080",
      "",
    ]) {
      const res = await patch(a, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(JSON.stringify(res.json().error), bad).toContain("custom_domain");
    }
    // the server's own public address would hide the staff app behind the portal
    process.env.PARLEY_PUBLIC_URL = "https://parley.check-alpha.com/";
    try {
      const own = await patch(a, "parley.check-alpha.com");
      expect(own.statusCode).toBe(400);
      expect(own.json().error.message).toContain("custom_domain");
    } finally {
      delete process.env.PARLEY_PUBLIC_URL;
    }
    expect((await patch(a, "community.check-alpha.com")).statusCode).toBe(200);
    // setting it again is fine; another workspace taking it is a conflict naming the field
    expect((await patch(a, "community.check-alpha.com")).statusCode).toBe(200);
    const taken = await patch(b, "Community.Check-Alpha.com");
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details).toEqual([{ field: "custom_domain", message: "is used by another community" }]);
    expect((await get("community.check-alpha.com", "/")).body).toContain("Check Alpha");
    // only admins change it
    expect((await b.request("GET", "/api/v1/community/settings")).json().custom_domain).toBeNull();
  });
});
