import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import ipaddr from "ipaddr.js";

// Outbound HTTP for URLs that users give us (feeds, instances, webhooks).
// A stranger's URL must not reach the machine's own services: hosts that are
// or resolve to private, loopback, link-local, CGNAT or unique-local addresses
// are refused, on every redirect and at connect time (the DNS answer that is
// checked is the one used, so rebinding cannot slip past). The admin can allow
// private targets with PARLEY_ALLOW_PRIVATE_URLS: 1 for all, or a list of hosts.

export type SafeFetchOptions = {
  method?: "GET" | "POST" | "HEAD";
  headers?: Record<string, string>;
  /** Text, or bytes (uploads: images, multipart forms). */
  body?: string | Buffer;
  /** Whole request, redirects included. */
  timeoutMs?: number;
  /** Largest body accepted, after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
};

export type SafeResponse = {
  status: number;
  statusText: string;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  text: string;
  /** The body as received (after decompression), for callers that decode it themselves. */
  bytes: Buffer;
  json: () => unknown;
};

export type SafeFetch = (url: string, options?: SafeFetchOptions) => Promise<SafeResponse>;

export type FetchFailure = "refused" | "timeout" | "too_large" | "too_many_redirects" | "network";

export class SafeFetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    message: string,
  ) {
    super(message);
    this.name = "SafeFetchError";
  }
}

/**
 * The IPv4 address inside an IPv6 one, for the forms that carry one in their
 * last 32 bits: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
 * SIIT (::ffff:0:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). Such an address reaches
 * the IPv4 one, so it is judged as that address.
 */
function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = v6.range();
  const p = v6.parts;
  const compatible = p.slice(0, 6).every((x) => x === 0);
  const nat64 = p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0);
  if (range === "ipv4Mapped" || range === "rfc6145" || compatible || nat64) {
    const hi = p[6] ?? 0;
    const lo = p[7] ?? 0;
    return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  return null;
}

/**
 * True for addresses a user-given URL must not reach. Classified by ipaddr.js
 * (its table of special-purpose ranges): only global unicast is allowed, so
 * loopback, private, link-local, CGNAT, unique-local, multicast, documentation
 * and reserved ranges are refused, and so are the IPv6 tunnels that hide an
 * IPv4 address elsewhere in the address (6to4 2002::/16, Teredo 2001::/32,
 * local-use NAT64 64:ff9b:1::/48).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!isIP(bare)) return true; // not an address at all: refuse rather than guess
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return true;
  }
  if (parsed.kind() === "ipv6") parsed = embeddedIpv4(parsed as ipaddr.IPv6) ?? parsed;
  return parsed.range() !== "unicast";
}

/**
 * PARLEY_ALLOW_PRIVATE_URLS=1 allows every private target; a comma-separated
 * list of host names or addresses allows only those (an intranet feed).
 */
export function privateUrlsAllowed(host?: string, address?: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = (env.PARLEY_ALLOW_PRIVATE_URLS ?? "").trim();
  if (setting === "1" || setting.toLowerCase() === "true") return true;
  if (!setting || setting === "0") return false;
  const allowed = new Set(
    setting.split(",").map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ""),
    ),
  );
  return Boolean((host && allowed.has(host.toLowerCase())) || (address && allowed.has(address.toLowerCase())));
}

function refuse(host: string, address?: string): SafeFetchError {
  const where = address && address !== host ? `${host} (${address})` : host;
  return new SafeFetchError(
    "refused",
    `Refused to connect to ${where}: it is a private, loopback or link-local address (an admin can allow it with PARLEY_ALLOW_PRIVATE_URLS)`,
  );
}

/** Checks a URL before any connection: scheme, and the host when it is a literal address or a local name. */
export function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError("refused", `"${raw}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SafeFetchError("refused", `Only http and https URLs can be fetched, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password) throw new SafeFetchError("refused", "URLs with a user name or password are not fetched");
  // "localhost." is localhost: the root dot does not make a name public.
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (!privateUrlsAllowed(host)) {
    if (isIP(host) && isPrivateAddress(host)) throw refuse(host);
    if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)) throw refuse(host);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** DNS lookup that refuses private answers: the checked address is the one connected to. */
export function guardedLookup(hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) {
  dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
    if (err) return callback(err, "");
    if (!privateUrlsAllowed(hostname)) {
      const bad = addresses.find((a) => isPrivateAddress(a.address) && !privateUrlsAllowed(undefined, a.address));
      if (bad) return callback(refuse(hostname, bad.address) as unknown as NodeJS.ErrnoException, "");
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
    callback(null, first.address, first.family);
  });
}

type RawResponse = { status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer };

function requestOnce(url: URL, options: SafeFetchOptions, maxBytes: number, signal: AbortSignal): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === "https:" ? https : http;
    const req = lib.request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          "accept-encoding": "gzip, deflate, br",
          // bytes (uploads) go with their length: some APIs refuse a chunked upload
          ...(Buffer.isBuffer(options.body) ? { "content-length": String(options.body.length) } : {}),
          ...options.headers,
        },
        lookup: guardedLookup as never,
        signal,
      },
      (res) => {
        const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
        const isRedirect = (res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400;
        let stream: NodeJS.ReadableStream = res;
        if (!isRedirect && encoding === "gzip") stream = res.pipe(createGunzip());
        else if (!isRedirect && encoding === "deflate") stream = res.pipe(createInflate());
        else if (!isRedirect && encoding === "br") stream = res.pipe(createBrotliDecompress());
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new SafeFetchError("too_large", `The answer from ${url.host} is larger than ${Math.round(maxBytes / 1024)} KiB`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on("end", () =>
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks) }),
        );
        stream.on("error", (err: Error) => reject(err));
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

function describeNetworkError(url: URL, err: unknown): SafeFetchError {
  if (err instanceof SafeFetchError) return err;
  const code = (err as { code?: string })?.code;
  const text =
    code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? `The host ${url.hostname} was not found`
      : code === "ECONNREFUSED"
        ? `${url.host} refused the connection`
        : code === "ECONNRESET"
          ? `${url.host} closed the connection`
          : code?.startsWith("CERT_") || code?.startsWith("ERR_TLS") || code === "DEPTH_ZERO_SELF_SIGNED_CERT"
            ? `${url.host} has an invalid TLS certificate (${code})`
            : `Could not reach ${url.host}: ${err instanceof Error ? err.message : String(err)}`;
  return new SafeFetchError("network", text);
}

/**
 * fetch() for untrusted URLs: http/https only, private targets refused (also
 * on redirects, which are followed here one by one), a time limit and a size limit.
 */
export const safeFetch: SafeFetch = async (raw, options = {}) => {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = checkUrl(raw);
  let method = options.method ?? "GET";
  let body = options.body;
  for (let hop = 0; ; hop++) {
    let res: RawResponse;
    try {
      res = await requestOnce(url, { ...options, method, body }, maxBytes, signal);
    } catch (err) {
      if (timeout.aborted) throw new SafeFetchError("timeout", `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s`);
      if (options.signal?.aborted) throw new SafeFetchError("network", "The request was cancelled");
      throw describeNetworkError(url, err);
    }
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location) {
      if (hop >= maxRedirects) throw new SafeFetchError("too_many_redirects", `More than ${maxRedirects} redirects from ${raw}`);
      const next = checkUrl(new URL(location, url).toString());
      // Credentials are for the host they were given for, not for wherever it redirects.
      if (next.origin !== url.origin && options.headers) {
        options = {
          ...options,
          headers: Object.fromEntries(Object.entries(options.headers).filter(([k]) => !/^(authorization|cookie)$/i.test(k))),
        };
      }
      url = next;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    const text = res.body.toString("utf8");
    return {
      status: res.status,
      statusText: res.statusText,
      headers: toHeaders(res.headers),
      url: url.toString(),
      text,
      bytes: res.body,
      json: () => JSON.parse(text),
    };
  }
};

export type SafeStream = {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as it arrives; ends when the server closes or the signal aborts. */
  chunks: AsyncIterable<Buffer>;
};

/**
 * A long-lived GET (Server-Sent Events, streaming JSON) with the same address
 * checks as safeFetch. Redirects are not followed; `idleMs` without a byte ends it.
 */
export async function safeStream(
  raw: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal; connectTimeoutMs?: number; idleMs?: number } = {},
): Promise<SafeStream> {
  const url = checkUrl(raw);
  const lib = url.protocol === "https:" ? https : http;
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
  const idleMs = options.idleMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method: "GET",
      headers: { ...options.headers },
      lookup: guardedLookup as never,
      signal: options.signal,
    });
    const connectTimer = setTimeout(() => {
      req.destroy();
      reject(new SafeFetchError("timeout", `${url.host} did not answer within ${Math.round(connectTimeoutMs / 1000)} s`));
    }, connectTimeoutMs);
    req.on("response", (res) => {
      clearTimeout(connectTimer);
      // No data at all for a long time: the connection is dead even if TCP has not noticed.
      res.setTimeout(idleMs, () =>
        res.destroy(new SafeFetchError("timeout", `${url.host} sent nothing for ${Math.round(idleMs / 1000)} s`)),
      );
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? "",
        headers: toHeaders(res.headers),
        chunks: res as AsyncIterable<Buffer>,
      });
    });
    req.on("error", (err) => {
      clearTimeout(connectTimer);
      reject(options.signal?.aborted ? new SafeFetchError("network", "The request was cancelled") : describeNetworkError(url, err));
    });
    req.end();
  });
}
