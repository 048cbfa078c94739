import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PostView } from "../../../src/listen/connectors/bluesky";
import { type Fake, type FakeReply, startFake } from "./server";

// A Bluesky AppView's XRPC endpoint app.bsky.feed.searchPosts as its lexicon
// defines it: q (required), sort (top | latest), since (inclusive) / until,
// lang, limit (1–100, default 25), an opaque cursor; output { cursor?,
// hitsTotal?, posts: postView[] }; RateLimit-* headers (reset in Unix seconds)
// and XRPC error bodies { error, message }.

export type BlueskyFake = Fake & {
  posts: PostView[];
  rateLimit: { remaining: number; reset: number };
  addPost: (text?: string) => PostView;
};

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/connectors/bluesky-search-posts.json");

export async function startBlueskyFake(): Promise<BlueskyFake> {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { posts: PostView[] };
  const state = { posts: [...fixture.posts], rateLimit: { remaining: 3000, reset: Math.floor(Date.parse("2026-11-24T12:05:00Z") / 1000) } };
  let seq = 0;
  const fake = await startFake((req): FakeReply => {
    const headers = {
      "ratelimit-limit": "3000",
      "ratelimit-remaining": String(Math.max(0, state.rateLimit.remaining - 1)),
      "ratelimit-reset": String(state.rateLimit.reset),
      "ratelimit-policy": "3000;w=300",
    };
    if (req.path !== "/xrpc/app.bsky.feed.searchPosts")
      return { status: 404, body: { error: "MethodNotImplemented", message: "Method Not Implemented" } };
    if (state.rateLimit.remaining <= 0)
      return { status: 429, headers, body: { error: "RateLimitExceeded", message: "Rate Limit Exceeded" } };
    state.rateLimit.remaining--;
    const q = req.query.get("q");
    if (!q) return { status: 400, headers, body: { error: "InvalidRequest", message: 'Error: Params must have the property "q"' } };
    const limit = Number(req.query.get("limit") ?? 25);
    if (!(limit >= 1 && limit <= 100))
      return { status: 400, headers, body: { error: "InvalidRequest", message: "Error: limit can not be greater than 100" } };
    const since = req.query.get("since");
    const words = q.toLowerCase().split(/\s+/);
    const hits = state.posts
      .filter((p) => words.every((w) => (p.record.text ?? "").toLowerCase().includes(w)))
      .filter((p) => !since || (p.indexedAt ?? "") >= since)
      .sort((a, b) => (b.indexedAt ?? "").localeCompare(a.indexedAt ?? ""));
    const offset = Number(req.query.get("cursor") ?? 0);
    const posts = hits.slice(offset, offset + limit);
    const more = offset + limit < hits.length;
    return { headers, body: { ...(more ? { cursor: String(offset + limit) } : {}), hitsTotal: hits.length, posts } };
  });
  const out = Object.assign(fake, {
    posts: state.posts,
    addPost: (text = "another Acme post") => {
      seq++;
      const at = new Date(Date.parse("2026-11-24T10:00:00Z") + seq * 1000).toISOString();
      const rkey = `3lc${String(seq).padStart(10, "0")}`;
      const post: PostView = {
        uri: `at://did:plc:fan${seq}/app.bsky.feed.post/${rkey}`,
        cid: `bafyrei${seq}`,
        author: { did: `did:plc:fan${seq}`, handle: `fan${seq}.bsky.social`, displayName: `Fan ${seq}` },
        record: { text: `${text} ${seq}`, createdAt: at, langs: ["en"] },
        indexedAt: at,
      };
      state.posts.push(post);
      return post;
    },
  });
  Object.defineProperty(out, "rateLimit", { get: () => state.rateLimit, set: (v) => (state.rateLimit = v), enumerable: true });
  return out as BlueskyFake;
}
