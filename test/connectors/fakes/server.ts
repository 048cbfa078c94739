import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { safeFetch } from "../../../src/shared/safe-fetch";

// A local HTTP server standing in for a network that cannot be reached from
// here. Each fake answers in that network's documented format.

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body's bytes (uploads: images, multipart forms). */
  raw: Buffer;
};

/** A multipart/form-data body parsed as a server would (undici's parser): fields and files by name. */
export async function parseMultipart(req: FakeRequest): Promise<FormData | null> {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) return null;
  try {
    return await new Response(new Uint8Array(req.raw), { headers: { "content-type": type } }).formData();
  } catch {
    return null;
  }
}
export type FakeReply = {
  status?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** A long-lived answer (Server-Sent Events): write to it, end it when done. */
  stream?: (res: ServerResponse) => void;
};
export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export type Fake = { url: string; requests: FakeRequest[]; close: () => Promise<void> };

export async function startFake(handler: FakeHandler): Promise<Fake> {
  const requests: FakeRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const raw = Buffer.concat(chunks);
    const request = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw.toString(),
      raw,
    };
    requests.push(request);
    try {
      const reply = await handler(request);
      if (reply.stream) {
        res.writeHead(reply.status ?? 200, reply.headers as Record<string, string>);
        res.flushHeaders();
        reply.stream(res);
        return;
      }
      const body = reply.body;
      const isText = typeof body === "string" || Buffer.isBuffer(body);
      res.writeHead(reply.status ?? 200, {
        ...(body !== undefined && !isText ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...Object.fromEntries(Object.entries(reply.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
      });
      res.end(body === undefined ? undefined : isText ? body : JSON.stringify(body));
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The test's own clock, so rate-limit resets are computed, never waited for. */
export function fixedClock(iso = "2026-11-24T12:00:00Z") {
  let now = new Date(iso);
  return {
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** What the poller hands a connector, for calling one directly. */
export function contextFor<C>(
  connector: { validateConfig: (c: unknown) => C },
  config: Record<string, unknown>,
  options: { state?: Record<string, unknown>; credentials?: Record<string, string>; now?: () => Date } = {},
) {
  return {
    config: connector.validateConfig(config),
    credentials: options.credentials ?? {},
    state: options.state ?? {},
    queries: [],
    fetch: safeFetch,
    now: options.now ?? (() => new Date()),
  };
}

/** Lets safeFetch reach the local fakes (the admin's switch); returns how to put it back. */
export function allowPrivateUrls(value = "1"): () => void {
  const saved = process.env.PARLEY_ALLOW_PRIVATE_URLS;
  process.env.PARLEY_ALLOW_PRIVATE_URLS = value;
  return () => {
    if (saved === undefined) delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    else process.env.PARLEY_ALLOW_PRIVATE_URLS = saved;
  };
}
