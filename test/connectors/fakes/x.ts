import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { resolve } from "node:path";
import type { Tweet, XUser } from "../../../src/listen/connectors/x";
import { type Fake, type FakeReply, type FakeRequest, parseMultipart, startFake } from "./server";

// X API v2 GET /2/tweets/search/recent as its reference shows: bearer auth,
// query / since_id / until_id / max_results (10–100) / next_token, fields and
// expansions, { data, includes.users, meta { newest_id, oldest_id,
// result_count, next_token } }, x-rate-limit-* headers (reset in Unix
// seconds), problem bodies { title, detail, type, status } for 401 and 429.
// POST /2/tweets as the replying account: a user-context token (the app's bearer is refused
// with 403, as X does), text of 1–280 characters, reply.in_reply_to_tweet_id naming a known
// tweet; 201 { data: { id, text } }. What it accepted is kept in `posted`.

export type XFake = Fake & {
  tweets: Tweet[];
  users: Map<string, XUser>;
  rateLimit: { remaining: number; reset: number };
  token: string;
  addTweet: (over?: Partial<Tweet>) => Tweet;
  /** Filtered-stream rules of the app: id → rule. */
  rules: Map<string, { id: string; value: string; tag?: string }>;
  /** Open filtered-stream connections. */
  streams: Set<ServerResponse>;
  /** Sends a tweet down the open streams as matching the rules with these tags. */
  streamTweet: (tweet: Tweet, tags: string[]) => void;
  /** The replying account's user-context token. */
  userToken: string;
  posted: Array<{ id: string; body: { text?: string; reply?: { in_reply_to_tweet_id?: string }; media?: { media_ids?: string[] } } }>;
  /** Images uploaded through POST /2/media/upload (multipart `media`, `media_category`), with alt text once set. */
  media: Array<{ id: string; category: string; contentType: string; bytes: Buffer; altText: string | null }>;
};

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/connectors/x-search-recent.json");
const cmp = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
const problem = (status: number, title: string, detail: string) => ({ title, detail, type: "about:blank", status });

export async function startXFake(): Promise<XFake> {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { data: Tweet[]; includes: { users: XUser[] } };
  const state = {
    tweets: [...fixture.data],
    users: new Map(fixture.includes.users.map((u) => [u.id, u])),
    rateLimit: { remaining: 450, reset: Math.floor(Date.parse("2026-11-24T12:15:00Z") / 1000) },
    token: "x-bearer-token-1",
  };
  let seq = 1861000000000000200n;
  let ruleSeq = 0;
  const rules: XFake["rules"] = new Map();
  const streams = new Set<ServerResponse>();

  const userToken = "x-user-token-1";
  const posted: XFake["posted"] = [];
  const media: XFake["media"] = [];
  let mediaSeq = 1880028106020515840n;
  const userAuth = (req: { headers: Record<string, unknown> }): FakeReply | null => {
    if (req.headers.authorization === `Bearer ${state.token}`) {
      return {
        status: 403,
        body: problem(403, "Unsupported Authentication", "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."),
      };
    }
    if (req.headers.authorization !== `Bearer ${userToken}`) return { status: 401, body: problem(401, "Unauthorized", "Unauthorized") };
    return null;
  };
  // POST /2/media/upload: a multipart form with the bytes as `media` and a media_category
  // (tweet_image for posts); 200 { data: { id, media_key } }.
  const uploadMedia = async (req: FakeRequest): Promise<FakeReply> => {
    const refused = userAuth(req);
    if (refused) return refused;
    const form = await parseMultipart(req);
    const file = form?.get("media");
    if (!(file instanceof Blob) || file.size === 0) return { status: 400, body: problem(400, "Invalid Request", "media: is required") };
    const category = String(form?.get("media_category") ?? "tweet_image");
    if (!["tweet_image", "dm_image", "tweet_gif"].includes(category))
      return { status: 400, body: problem(400, "Invalid Request", "media_category: is invalid for an image") };
    if (!/^image\//.test(file.type) && file.type !== "application/octet-stream")
      return { status: 400, body: problem(400, "Invalid Request", "media: unsupported media type") };
    mediaSeq++;
    const id = String(mediaSeq);
    media.push({ id, category, contentType: file.type, bytes: Buffer.from(await file.arrayBuffer()), altText: null });
    return { body: { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } } };
  };
  // POST /2/media/metadata: { id, metadata: { alt_text: { text } } } for media this account uploaded.
  const mediaMetadata = (req: FakeRequest): FakeReply => {
    const refused = userAuth(req);
    if (refused) return refused;
    const b = JSON.parse(req.body || "{}") as { id?: string; metadata?: { alt_text?: { text?: string } } };
    const found = media.find((m) => m.id === b.id);
    if (!found) return { status: 400, body: problem(400, "Invalid Request", "id: unknown media") };
    const text = b.metadata?.alt_text?.text;
    if (typeof text !== "string" || text.length > 1000)
      return { status: 400, body: problem(400, "Invalid Request", "metadata.alt_text.text: must be at most 1000 characters") };
    found.altText = text;
    return { body: { data: { id: found.id, associated_metadata: true } } };
  };
  const createTweet = (req: { headers: Record<string, unknown>; body: string }): FakeReply => {
    if (req.headers.authorization === `Bearer ${state.token}`) {
      return {
        status: 403,
        body: problem(403, "Unsupported Authentication", "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."),
      };
    }
    if (req.headers.authorization !== `Bearer ${userToken}`) return { status: 401, body: problem(401, "Unauthorized", "Unauthorized") };
    const body = JSON.parse(req.body || "{}") as XFake["posted"][number]["body"];
    const text = body.text ?? "";
    if (!text || [...text].length > 280) return { status: 400, body: problem(400, "Invalid Request", "text: must be 1 to 280 characters") };
    const parent = body.reply?.in_reply_to_tweet_id;
    if (parent && !state.tweets.some((t) => t.id === parent)) {
      return { status: 400, body: problem(400, "Invalid Request", "Invalid 'in_reply_to_tweet_id' parameter") };
    }
    const mediaIds = body.media?.media_ids ?? [];
    if (mediaIds.length > 4 || mediaIds.some((id) => !media.some((m) => m.id === id)))
      return { status: 400, body: problem(400, "Invalid Request", "Your media IDs are invalid.") };
    seq++;
    const id = String(seq);
    posted.push({ id, body });
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  };

  const fake = await startFake((req): FakeReply | Promise<FakeReply> => {
    if (req.method === "POST" && req.path === "/2/tweets") return createTweet(req);
    if (req.method === "POST" && req.path === "/2/media/upload") return uploadMedia(req);
    if (req.method === "POST" && req.path === "/2/media/metadata") return mediaMetadata(req);
    const headers = {
      "x-rate-limit-limit": "450",
      "x-rate-limit-remaining": String(Math.max(0, state.rateLimit.remaining - 1)),
      "x-rate-limit-reset": String(state.rateLimit.reset),
    };
    if (req.headers.authorization !== `Bearer ${state.token}`) return { status: 401, body: problem(401, "Unauthorized", "Unauthorized") };
    if (req.path === "/2/tweets/search/stream/rules" && req.method === "GET") {
      const data = [...rules.values()];
      return {
        headers,
        body: data.length
          ? { data, meta: { sent: "2026-11-24T12:00:00.000Z", result_count: data.length } }
          : { meta: { sent: "2026-11-24T12:00:00.000Z", result_count: 0 } },
      };
    }
    if (req.path === "/2/tweets/search/stream/rules" && req.method === "POST") {
      const asked = JSON.parse(req.body || "{}") as { add?: Array<{ value: string; tag?: string }> };
      const created = (asked.add ?? []).map((r) => {
        ruleSeq++;
        const rule = { id: String(1861999000000000000n + BigInt(ruleSeq)), value: r.value, ...(r.tag ? { tag: r.tag } : {}) };
        rules.set(rule.id, rule);
        return rule;
      });
      return {
        status: 201,
        headers,
        body: {
          data: created,
          meta: {
            sent: "2026-11-24T12:00:00.000Z",
            summary: { created: created.length, not_created: 0, valid: created.length, invalid: 0 },
          },
        },
      };
    }
    if (req.path === "/2/tweets/search/stream") {
      if (streams.size >= 1) {
        return {
          status: 429,
          headers,
          body: {
            title: "ConnectionException",
            detail: "This stream is currently at the maximum allowed connection limit.",
            connection_issue: "TooManyConnections",
            type: "https://api.twitter.com/2/problems/streaming-connection",
          },
        };
      }
      return {
        headers: { "content-type": "application/json; charset=utf-8" },
        stream: (res) => {
          streams.add(res);
          res.write("\r\n"); // keep-alive
          res.on("close", () => streams.delete(res));
        },
      };
    }
    if (req.path !== "/2/tweets/search/recent") return { status: 404, body: problem(404, "Not Found Error", "Resource not found") };
    if (state.rateLimit.remaining <= 0) return { status: 429, headers, body: problem(429, "Too Many Requests", "Too Many Requests") };
    state.rateLimit.remaining--;
    const query = (req.query.get("query") ?? "").trim();
    if (!query) {
      return {
        status: 400,
        body: {
          errors: [{ parameters: { query: [] }, message: "The `query` query parameter can not be empty" }],
          title: "Invalid Request",
          detail: "One or more parameters to your request was invalid.",
          type: "https://api.twitter.com/2/problems/invalid-request",
        },
      };
    }
    const max = Number(req.query.get("max_results") ?? 10);
    if (!(max >= 10 && max <= 100)) {
      return {
        status: 400,
        body: {
          errors: [
            { parameters: { max_results: [String(max)] }, message: "The `max_results` query parameter value is not between 10 and 100" },
          ],
          title: "Invalid Request",
          detail: "One or more parameters to your request was invalid.",
          type: "https://api.twitter.com/2/problems/invalid-request",
        },
      };
    }
    const words = query
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => !w.startsWith("-") && !w.includes(":"));
    const sinceId = req.query.get("since_id");
    // next_token is opaque to clients; here it carries the id to continue below.
    const token = req.query.get("next_token");
    const untilId = token ? Buffer.from(token, "base64url").toString("utf8") : req.query.get("until_id");
    const matching = state.tweets
      .filter((t) => words.every((w) => t.text.toLowerCase().includes(w)))
      .filter((t) => !sinceId || cmp(t.id, sinceId) > 0)
      .filter((t) => !untilId || cmp(t.id, untilId) < 0)
      .sort((a, b) => cmp(b.id, a.id));
    const page = matching.slice(0, max);
    if (page.length === 0) return { headers, body: { meta: { result_count: 0 } } };
    const oldest = (page[page.length - 1] as Tweet).id;
    const authors = [...new Set(page.map((t) => t.author_id))].flatMap((id) => (id && state.users.get(id) ? [state.users.get(id)] : []));
    return {
      headers,
      body: {
        data: page,
        includes: { users: authors },
        meta: {
          newest_id: (page[0] as Tweet).id,
          oldest_id: oldest,
          result_count: page.length,
          ...(matching.length > max ? { next_token: Buffer.from(oldest).toString("base64url") } : {}),
        },
      },
    };
  });
  const out = Object.assign(fake, {
    userToken,
    posted,
    media,
    tweets: state.tweets,
    users: state.users,
    token: state.token,
    addTweet: (over: Partial<Tweet> = {}) => {
      seq++;
      const t: Tweet = {
        id: String(seq),
        text: `Acme grinder thoughts #${seq}`,
        author_id: "2200345",
        created_at: new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + Number(seq % 100000n) * 1000).toISOString(),
        lang: "en",
        ...over,
      };
      state.tweets.push(t);
      return t;
    },
  });
  Object.assign(out, {
    rules,
    streams,
    streamTweet: (tweet: Tweet, tags: string[]) => {
      const matching = [...rules.values()].filter((r) => r.tag && tags.includes(r.tag)).map((r) => ({ id: r.id, tag: r.tag }));
      const user = tweet.author_id ? state.users.get(tweet.author_id) : undefined;
      for (const res of streams)
        res.write(`${JSON.stringify({ data: tweet, includes: { users: user ? [user] : [] }, matching_rules: matching })}\r\n`);
    },
  });
  Object.defineProperty(out, "rateLimit", { get: () => state.rateLimit, set: (v) => (state.rateLimit = v), enumerable: true });
  return out as XFake;
}
