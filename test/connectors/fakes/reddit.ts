import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { RedditThing } from "../../../src/listen/connectors/reddit";
import { type Fake, type FakeReply, startFake } from "./server";

// Reddit's JSON listings as its API documents them: /r/{sub}/new.json,
// /r/{sub}/comments.json, /search.json and /r/{sub}/search.json (q, sort,
// restrict_sr), limit (≤ 100), before / after fullnames, raw_json=1;
// { kind: "Listing", data: { children, after, before } }; x-ratelimit-used /
// -remaining / -reset (seconds until the window resets); 429 and 404 bodies
// { message, error }. A `before` whose item is gone answers an empty listing,
// as Reddit does. POST /api/comment (form: api_type=json, thing_id, text) with a bearer token
// answers 200 with { json: { errors, data.things } }; a refusal is in json.errors, as Reddit does.

export type RedditFake = Fake & {
  things: Map<string, RedditThing[]>;
  rateLimit: { remaining: number; resetSeconds: number };
  addPost: (sub?: string, over?: Partial<RedditThing["data"]>) => RedditThing;
  remove: (name: string) => void;
  token: string;
  /** Comments made through POST /api/comment. */
  comments: Array<{ thing_id: string; text: string; name: string }>;
};

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/connectors/reddit-listings.json");

export async function startRedditFake(): Promise<RedditFake> {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { t3: RedditThing[]; t1: RedditThing[] };
  const things = new Map<string, RedditThing[]>([
    ["espresso/t3", [...fixture.t3]],
    ["espresso/t1", [...fixture.t1]],
  ]);
  const state = { rateLimit: { remaining: 600, resetSeconds: 240 } };
  let seq = 0;

  const listingOf = (all: RedditThing[], q: URLSearchParams) => {
    const limit = Math.min(Number(q.get("limit") ?? 25) || 25, 100);
    const sorted = [...all].sort((a, b) => b.data.created_utc - a.data.created_utc); // newest first
    const before = q.get("before");
    const after = q.get("after");
    let start = 0;
    let end = limit;
    if (before) {
      const i = sorted.findIndex((t) => t.data.name === before);
      if (i < 0) return { kind: "Listing", data: { children: [], after: null, before: null, dist: 0 } };
      start = Math.max(0, i - limit);
      end = i;
    } else if (after) {
      const i = sorted.findIndex((t) => t.data.name === after);
      if (i < 0) return { kind: "Listing", data: { children: [], after: null, before: null, dist: 0 } };
      start = i + 1;
      end = i + 1 + limit;
    }
    const children = sorted.slice(start, end);
    return {
      kind: "Listing",
      data: {
        children,
        dist: children.length,
        after: end < sorted.length && children.length ? (children[children.length - 1] as RedditThing).data.name : null,
        before: start > 0 && children.length ? (children[0] as RedditThing).data.name : null,
      },
    };
  };

  const token = "reddit-token-1";
  const comments: RedditFake["comments"] = [];
  const comment = (req: { headers: Record<string, unknown>; body: string }): FakeReply => {
    if (String(req.headers.authorization ?? "").toLowerCase() !== `bearer ${token}`)
      return { status: 401, body: { message: "Unauthorized", error: 401 } };
    const form = new URLSearchParams(req.body);
    const fail = (code: string, message: string, field: string): FakeReply => ({ body: { json: { errors: [[code, message, field]] } } });
    const thingId = form.get("thing_id") ?? "";
    const text = form.get("text") ?? "";
    const known = [...things.values()].flat().some((t) => t.data.name === thingId) || comments.some((c) => c.name === thingId);
    if (!known) return fail("INVALID_THING_ID", "that thing does not exist", "parent");
    if (!text.trim()) return fail("NO_TEXT", "we need something here", "text");
    if (text.length > 10_000) return fail("TOO_LONG", "this is too long (max: 10000)", "text");
    seq++;
    const name = `t1_reply${seq}`;
    comments.push({ thing_id: thingId, text, name });
    const permalink = `/r/espresso/comments/x/reply/${name.slice(3)}/`;
    return { body: { json: { errors: [], data: { things: [{ kind: "t1", data: { name, id: name.slice(3), body: text, permalink } }] } } } };
  };

  const fake = await startFake((req): FakeReply => {
    if (req.method === "POST" && req.path === "/api/comment") return comment(req);
    const headers = {
      "x-ratelimit-used": String(600 - state.rateLimit.remaining),
      "x-ratelimit-remaining": `${Math.max(0, state.rateLimit.remaining - 1)}.0`,
      "x-ratelimit-reset": String(state.rateLimit.resetSeconds),
    };
    if (!req.headers["user-agent"]) return { status: 403, body: { message: "Forbidden", error: 403 } };
    if (state.rateLimit.remaining <= 0) return { status: 429, headers, body: { message: "Too Many Requests", error: 429 } };
    state.rateLimit.remaining--;
    const sub = /^\/r\/([^/]+)\//.exec(req.path)?.[1]?.toLowerCase();
    if (sub === "secret") return { status: 403, headers, body: { reason: "private", message: "Forbidden", error: 403 } };
    if (sub && !things.has(`${sub}/t3`)) return { status: 404, headers, body: { message: "Not Found", error: 404 } };
    if (req.path.endsWith("/new.json")) return { headers, body: listingOf(things.get(`${sub}/t3`) ?? [], req.query) };
    if (req.path.endsWith("/comments.json")) return { headers, body: listingOf(things.get(`${sub}/t1`) ?? [], req.query) };
    if (req.path.endsWith("/search.json")) {
      const q = (req.query.get("q") ?? "").toLowerCase();
      const pool = sub ? (things.get(`${sub}/t3`) ?? []) : [...things.entries()].filter(([k]) => k.endsWith("/t3")).flatMap(([, v]) => v);
      const hits = pool.filter((t) => `${t.data.title ?? ""} ${t.data.selftext ?? ""}`.toLowerCase().includes(q));
      return { headers, body: listingOf(hits, req.query) };
    }
    return { status: 404, headers, body: { message: "Not Found", error: 404 } };
  });
  const out = Object.assign(fake, {
    token,
    comments,
    things,
    addPost: (sub = "espresso", over: Partial<RedditThing["data"]> = {}) => {
      seq++;
      const id = `1h${String(seq).padStart(5, "0")}`;
      const thing: RedditThing = {
        kind: "t3",
        data: {
          id,
          name: `t3_${id}`,
          author: `fan${seq}`,
          author_fullname: `t2_fan${seq}`,
          title: `Acme question ${seq}`,
          selftext: `Body ${seq}`,
          selftext_html: `<div class="md"><p>Body ${seq}</p></div>`,
          permalink: `/r/${sub}/comments/${id}/acme_question_${seq}/`,
          url: `https://www.reddit.com/r/${sub}/comments/${id}/acme_question_${seq}/`,
          created_utc: 1795520000 + seq,
          subreddit: sub,
          ...over,
        },
      };
      things.get(`${sub}/t3`)?.push(thing);
      return thing;
    },
    remove: (name: string) => {
      for (const list of things.values()) {
        const i = list.findIndex((t) => t.data.name === name);
        if (i >= 0) list.splice(i, 1);
      }
    },
  });
  Object.defineProperty(out, "rateLimit", { get: () => state.rateLimit, set: (v) => (state.rateLimit = v), enumerable: true });
  return out as RedditFake;
}
