// Issue 12 item 6: every answer carries security headers and a
// Content-Security-Policy the web app and the API docs work under
// (test/browser/app.test.ts loads both in Chromium with no CSP violation).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let https: TestApp;
let webDir: string;
beforeAll(async () => {
  // A stand-in for the built web app, so the page shell is served without a Vite build.
  webDir = mkdtempSync(join(tmpdir(), "parley-web-"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Parley</title>");
  t = await startTestApp({ webDir });
  https = await startTestApp({ webDir, secureCookies: true });
});
afterAll(async () => {
  await t?.close();
  await https?.close();
  rmSync(webDir, { recursive: true, force: true });
});

function directives(header: unknown): Map<string, string> {
  expect(typeof header).toBe("string");
  return new Map(
    String(header)
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = "", ...values] = d.split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
  );
}

describe("security headers", () => {
  it.each([
    ["the web app", "/"],
    ["a page of the web app", "/contacts/123"],
    ["an API route", "/api/v1/auth/setup"],
    ["an API error", "/api/v1/contacts"],
    ["the API docs", "/api/docs"],
    ["the API docs' script", "/api/docs/static/swagger-initializer.js"],
  ])("are sent on %s (%s)", async (_what, url) => {
    const res = await t.app.inject({ method: "GET", url });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["strict-transport-security"]).toBeUndefined(); // plain http: no HSTS
    const csp = directives(res.headers["content-security-policy"]);
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("script-src")).toBe("'self'"); // no inline script, no eval
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("the API docs page is still served", async () => {
    const page = await t.app.inject({ method: "GET", url: "/api/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger-ui");
    // Its scripts are files of our own origin, which script-src 'self' allows.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("adds HSTS and upgrade-insecure-requests only behind HTTPS (PARLEY_SECURE_COOKIES=1)", async () => {
    const res = await https.app.inject({ method: "GET", url: "/api/v1/auth/setup" });
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect(directives(res.headers["content-security-policy"]).has("upgrade-insecure-requests")).toBe(true);
  });
});
