import { SafeFetchError, type SafeResponse } from "../../shared/safe-fetch";
import { type ConnectorContext, ConnectorError } from "./types";

// What every HTTP connector shares: one request, the network's rate-limit
// headers read, failures turned into ConnectorErrors a person can act on.

/** Which rate-limit headers a network sends, and how it writes the reset time. */
export type RateLimitStyle =
  | "x" // x-rate-limit-remaining, x-rate-limit-reset (Unix seconds)
  | "mastodon" // X-RateLimit-Remaining, X-RateLimit-Reset (ISO 8601)
  | "reddit" // x-ratelimit-remaining, x-ratelimit-reset (seconds from now)
  | "bluesky" // RateLimit-Remaining, RateLimit-Reset (Unix seconds)
  | "none";

export type RateLimit = { remaining: number | null; resetAt: Date | null };

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: Date): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return new Date(now.getTime() + Math.ceil(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : new Date(at);
}

export function readRateLimit(headers: Headers, style: RateLimitStyle, now: Date): RateLimit {
  const num = (name: string) => {
    const v = headers.get(name);
    if (v === null || v.trim() === "") return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  switch (style) {
    case "x": {
      const reset = num("x-rate-limit-reset");
      return { remaining: num("x-rate-limit-remaining"), resetAt: reset === null ? null : new Date(reset * 1000) };
    }
    case "bluesky": {
      const reset = num("ratelimit-reset");
      return { remaining: num("ratelimit-remaining"), resetAt: reset === null ? null : new Date(reset * 1000) };
    }
    case "mastodon": {
      const reset = headers.get("x-ratelimit-reset");
      const at = reset ? Date.parse(reset) : Number.NaN;
      return { remaining: num("x-ratelimit-remaining"), resetAt: Number.isNaN(at) ? null : new Date(at) };
    }
    case "reddit": {
      const reset = num("x-ratelimit-reset");
      return { remaining: num("x-ratelimit-remaining"), resetAt: reset === null ? null : new Date(now.getTime() + reset * 1000) };
    }
    default:
      return { remaining: null, resetAt: null };
  }
}

export function clock(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

export type HttpAnswer = {
  response: SafeResponse;
  rateLimit: RateLimit;
  /** Set when the quota is spent: wait this long before the next request. */
  waitMs: number | null;
};

export type RequestOptions = {
  /** The network's name, as people say it ("X", "Mastodon"). */
  label: string;
  style: RateLimitStyle;
  headers?: Record<string, string>;
  /** Statuses that are answers, not failures (e.g. 304 for feeds). */
  accept?: number[];
  /** Reads the network's error body into words. */
  errorDetail?: (body: unknown, text: string) => string | null;
  method?: "GET" | "POST";
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (APIs that take forms, e.g. Reddit's writes). */
  form?: Record<string, string>;
  /** Sent as is with its content type (uploads: an image's bytes, a multipart form). */
  raw?: { contentType: string; data: Buffer };
};

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export async function request(ctx: ConnectorContext<unknown>, url: string, options: RequestOptions): Promise<HttpAnswer> {
  let response: SafeResponse;
  try {
    response = await ctx.fetch(url, {
      method: options.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(options.json !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...(options.raw !== undefined ? { "content-type": options.raw.contentType } : {}),
        ...options.headers,
      },
      body:
        options.json !== undefined
          ? JSON.stringify(options.json)
          : options.form !== undefined
            ? new URLSearchParams(options.form).toString()
            : options.raw?.data,
      signal: ctx.signal,
    });
  } catch (err) {
    if (err instanceof SafeFetchError) throw new ConnectorError(err.kind === "refused" ? "config" : "unavailable", err.message);
    throw err;
  }
  const now = ctx.now();
  const rateLimit = readRateLimit(response.headers, options.style, now);
  const status = response.status;
  if ((status >= 200 && status < 300) || options.accept?.includes(status)) {
    const waitMs =
      rateLimit.remaining !== null && rateLimit.remaining <= 0 && rateLimit.resetAt ? rateLimit.resetAt.getTime() - now.getTime() : null;
    return { response, rateLimit, waitMs: waitMs !== null && waitMs > 0 ? waitMs : null };
  }
  const reason = `${status} ${response.statusText || REASONS[status] || ""}`.trim();
  let detail: string | null = null;
  try {
    detail = options.errorDetail?.(JSON.parse(response.text), response.text) ?? null;
  } catch {
    detail = null;
  }
  const suffix = detail ? `: ${detail}` : "";
  if (status === 429) {
    const retryAt = parseRetryAfter(response.headers.get("retry-after"), now) ?? rateLimit.resetAt ?? new Date(now.getTime() + 60_000);
    throw new ConnectorError("rate_limited", `Rate limited by ${options.label} until ${clock(retryAt)}`, retryAt);
  }
  if (status === 401) throw new ConnectorError("unauthorized", `${options.label} refused the credentials (${reason})${suffix}`);
  if (status === 403) throw new ConnectorError("unauthorized", `${options.label} refused access (${reason})${suffix}`);
  if (status === 404 || status === 410) throw new ConnectorError("not_found", `${options.label} answered ${reason}${suffix}`);
  if (status >= 500) {
    const retryAt = parseRetryAfter(response.headers.get("retry-after"), now) ?? undefined;
    throw new ConnectorError("unavailable", `${options.label} answered ${reason}${suffix}`, retryAt);
  }
  throw new ConnectorError("bad_response", `${options.label} answered ${reason}${suffix}`);
}

export async function requestJson<T = unknown>(ctx: ConnectorContext<unknown>, url: string, options: RequestOptions) {
  const answer = await request(ctx, url, options);
  let body: T;
  try {
    body = JSON.parse(answer.response.text) as T;
  } catch {
    throw new ConnectorError("bad_response", `${options.label} answered something that is not JSON`);
  }
  return { ...answer, body };
}

/** A multipart/form-data body (file parts from bytes), encoded as fetch encodes a FormData. */
export async function multipartBody(
  parts: Array<[name: string, value: string | { bytes: Buffer; filename: string; contentType: string }]>,
): Promise<{ contentType: string; data: Buffer }> {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.contentType }), value.filename);
  }
  const encoded = new Request("http://multipart.invalid/", { method: "POST", body: form });
  return { contentType: encoded.headers.get("content-type") ?? "multipart/form-data", data: Buffer.from(await encoded.arrayBuffer()) };
}

export const USER_AGENT = "Parley/0.1 (open-source social CRM; +https://parley.dev)";

/** Keeps the newest `max` ids (insertion order = age), for "seen" sets in cursors. */
export function boundedIds(ids: Iterable<string>, max: number): string[] {
  const all = [...new Set(ids)];
  return all.slice(Math.max(0, all.length - max));
}
