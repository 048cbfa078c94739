import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { isPrivateAddress, SafeFetchError, safeFetch } from "../../src/shared/safe-fetch";
import { refusal, restoreAllowPrivateUrlsAfterEach } from "../support/safe-fetch";
import { startFake } from "./fakes/server";

restoreAllowPrivateUrlsAfterEach();

describe("safeFetch", () => {
  it("knows private, loopback, link-local, CGNAT and unique-local addresses, v4 and v6", () => {
    for (const a of [
      "127.0.0.1",
      "10.20.30.40",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd12:3456::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::a00:1",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1", "172.32.0.1"]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it("refuses literal private addresses and local names without connecting", async () => {
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    for (const url of [
      "http://127.0.0.1:9/feed",
      "http://10.0.0.8/",
      "http://[::1]:9/",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.64.1.1/",
      "http://[fd00::5]/",
      "http://[::ffff:127.0.0.1]/",
      "http://localhost:9/",
      "http://printer.local/",
    ]) {
      const err = await refusal(url);
      expect(err.kind, url).toBe("refused");
      expect(err.message).toMatch(/private, loopback or link-local/);
    }
  });

  it("checks the address a host name resolves to, at connect time", async () => {
    const fake = await startFake(() => ({ body: "secret", headers: { "content-type": "text/plain" } }));
    try {
      // The machine's own name resolves through /etc/hosts; when that is a private address it must be refused.
      const name = hostname();
      const addresses = await lookup(name, { all: true }).catch(() => []);
      if (addresses.length === 0 || !addresses.every((a) => isPrivateAddress(a.address))) return;
      delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
      const err = await refusal(`http://${name}:${new URL(fake.url).port}/`);
      expect(err.kind).toBe("refused");
      expect(err.message).toContain(name);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it("fetches only http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/feed", "gopher://example.com/", "not a url"]) {
      expect((await refusal(url)).kind, url).toBe("refused");
    }
  });

  it("follows redirects itself and refuses one that leads to a private address", async () => {
    const fake = await startFake((req) => {
      if (req.path === "/to-metadata") return { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } };
      if (req.path === "/to-localhost")
        return { status: 301, headers: { location: `http://localhost:${req.headers.host?.split(":")[1]}/ok` } };
      if (req.path === "/hop") return { status: 307, headers: { location: "/ok" } };
      if (req.path === "/ok") return { body: "fine", headers: { "content-type": "text/plain" } };
      return { status: 404, body: "no" };
    });
    try {
      // The admin allows this one intranet host only.
      process.env.PARLEY_ALLOW_PRIVATE_URLS = "127.0.0.1";
      const ok = await safeFetch(`${fake.url}/hop`);
      expect(ok.status).toBe(200);
      expect(ok.text).toBe("fine");
      expect(ok.url).toBe(`${fake.url}/ok`);
      expect((await refusal(`${fake.url}/to-metadata`)).kind).toBe("refused");
      expect((await refusal(`${fake.url}/to-localhost`)).kind).toBe("refused");
      expect(fake.requests.some((r) => r.path === "/ok" && r.headers.host?.startsWith("localhost"))).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it("stops at the size limit and at too many redirects", async () => {
    const fake = await startFake((req) => {
      if (req.path === "/big") return { body: "x".repeat(50_000), headers: { "content-type": "text/plain" } };
      if (req.path === "/loop") return { status: 302, headers: { location: "/loop" } };
      return { status: 404 };
    });
    try {
      process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
      const big = await safeFetch(`${fake.url}/big`, { maxBytes: 10_000 }).catch((e) => e);
      expect(big).toBeInstanceOf(SafeFetchError);
      expect(big.kind).toBe("too_large");
      const loop = await safeFetch(`${fake.url}/loop`, { maxRedirects: 3 }).catch((e) => e);
      expect(loop.kind).toBe("too_many_redirects");
    } finally {
      await fake.close();
    }
  });

  it("gives up on a server that does not answer in time", async () => {
    const fake = await startFake(() => new Promise(() => undefined));
    try {
      process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
      const err = await safeFetch(`${fake.url}/slow`, { timeoutMs: 200 }).catch((e) => e);
      expect(err.kind).toBe("timeout");
    } finally {
      await fake.close();
    }
  });
});
