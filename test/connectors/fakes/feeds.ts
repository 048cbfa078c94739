import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Fake, startFake } from "./server";

// A web server hosting feeds the way blogs and forums do: ETag and
// Last-Modified on every answer, 304 Not Modified to a conditional GET that
// matches (RFC 9110 §13), 404 for unknown paths, 429 + Retry-After when
// told to throttle.

export const FIXTURES = resolve(import.meta.dirname, "../../fixtures/connectors");
export const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), "utf8");

export type FeedFake = Fake & {
  /** path → document; replace a document to publish new entries */
  feeds: Map<string, { body: string; contentType: string; lastModified: string }>;
  publish: (path: string, body: string, lastModified: string, contentType?: string) => void;
  throttle: (on: boolean, retryAfter?: string) => void;
};

export async function startFeedFake(): Promise<FeedFake> {
  const feeds: FeedFake["feeds"] = new Map();
  let retryAfter: string | null = null;
  let throttled = false;
  const fake = await startFake((req) => {
    if (throttled) {
      return {
        status: 429,
        headers: { "content-type": "text/html", ...(retryAfter ? { "retry-after": retryAfter } : {}) },
        body: "<h1>Too Many Requests</h1>",
      };
    }
    const feed = feeds.get(req.path);
    if (!feed) return { status: 404, headers: { "content-type": "text/html" }, body: "<html><body>Not Found</body></html>" };
    const etag = `"${createHash("sha1").update(feed.body).digest("hex").slice(0, 16)}"`;
    const validators = { etag, "last-modified": feed.lastModified };
    const ifNoneMatch = req.headers["if-none-match"];
    const ifModifiedSince = req.headers["if-modified-since"];
    // If-None-Match wins over If-Modified-Since when both are sent.
    const notModified = ifNoneMatch
      ? String(ifNoneMatch)
          .split(",")
          .map((t) => t.trim())
          .includes(etag)
      : ifModifiedSince
        ? Date.parse(String(ifModifiedSince)) >= Date.parse(feed.lastModified)
        : false;
    if (notModified) return { status: 304, headers: validators };
    return { headers: { ...validators, "content-type": feed.contentType }, body: feed.body };
  });
  return {
    ...fake,
    feeds,
    publish: (path, body, lastModified, contentType = "application/rss+xml; charset=utf-8") =>
      feeds.set(path, { body, contentType, lastModified }),
    throttle: (on, value) => {
      throttled = on;
      retryAfter = value ?? null;
    },
  };
}
