import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { Caller, TestApp } from "./app";

// The community portal as a browser uses it, in-process: cookies kept between requests, forms
// posted urlencoded with the CSRF token from the portal's cookie, from a chosen client address.

/** A browser-like visitor of one portal: keeps its cookies, posts forms with the CSRF token. */
export class Visitor {
  cookies = new Map<string, string>();
  /** Send the next requests from this address instead. */
  ipOverride: string | null = null;
  constructor(
    readonly t: TestApp,
    readonly base: string,
    readonly ip = "203.0.113.7",
  ) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === "" || (c.expires && new Date(c.expires).getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
  private get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async get(path: string) {
    const res = await this.t.app.inject({
      method: "GET",
      url: `${this.base}${path}`,
      headers: { cookie: this.cookieHeader },
      remoteAddress: this.ipOverride ?? this.ip,
    });
    this.remember(res);
    return res;
  }
  async post(path: string, form: Record<string, string>, opts: { csrf?: string | null } = {}) {
    if (!this.cookies.has("parley_csrf")) await this.get("");
    const csrf = opts.csrf === undefined ? (this.cookies.get("parley_csrf") ?? "") : opts.csrf;
    const body = new URLSearchParams({ ...form, ...(csrf === null ? {} : { _csrf: csrf }) }).toString();
    const res = await this.t.app.inject({
      method: "POST",
      url: `${this.base}${path}`,
      headers: { cookie: this.cookieHeader, "content-type": "application/x-www-form-urlencoded" },
      payload: body,
      remoteAddress: this.ipOverride ?? this.ip,
    });
    this.remember(res);
    return res;
  }
  async signUp(name: string) {
    const email = `${name.toLowerCase().replace(/\W+/g, "")}-${randomBytes(4).toString("hex")}@example.com`;
    const res = await this.post("/signup", { display_name: name, email, password: "a long password" });
    expect(res.statusCode, res.body).toBe(303);
    return email;
  }
}

export async function portalOf(owner: Caller): Promise<string> {
  const res = await owner.request("GET", "/api/v1/community/settings");
  expect(res.statusCode, res.body).toBe(200);
  return res.json().url as string;
}
