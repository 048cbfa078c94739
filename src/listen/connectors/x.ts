import { createHash } from "node:crypto";
import { z } from "zod";
import type { NormalizedMessageInput } from "../../ingest";
import { SafeFetchError, safeStream } from "../../shared/safe-fetch";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { multipartBody, requestJson, USER_AGENT } from "./http";
import { type Connector, type ConnectorContext, ConnectorError, type PollResult, type ReplyAttachmentFile } from "./types";

// X (Twitter) API v2 recent search with an app bearer token. Results come
// newest first; pages (next_token) walk back to since_id. A search larger than
// one poll keeps its next_token in the cursor and continues in the next poll,
// and since_id moves to the newest id only once every page is in.

export const xConfigSchema = z
  .object({
    query: z.string({ message: "is required: an X search query" }).trim().min(1).max(4096),
    api_url: httpUrl("API's address").default("https://api.x.com"),
    max_results: z.number().int().min(10).max(100).default(100),
    /** Also listen live on the filtered stream (the query becomes one of the app's stream rules). */
    stream: z.boolean().optional(),
    poll_interval_seconds: pollInterval,
  })
  .strict();
export type XConfig = z.infer<typeof xConfigSchema>;

type XCursor = {
  since_id?: string;
  pending?: { next_token: string; since_id?: string; newest_id?: string };
};

export type Tweet = {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  lang?: string;
  referenced_tweets?: Array<{ type: "replied_to" | "quoted" | "retweeted"; id: string }>;
};
export type XUser = {
  id: string;
  username: string;
  name?: string;
  description?: string;
  verified?: boolean;
  public_metrics?: { followers_count?: number };
};
type SearchAnswer = {
  data?: Tweet[];
  includes?: { users?: XUser[] };
  meta?: { newest_id?: string; oldest_id?: string; result_count?: number; next_token?: string };
};

const TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,public_metrics";
const USER_FIELDS = "username,name,public_metrics,description,verified";
const MAX_PAGES = 5;

export function tweetToMessage(t: Tweet, users: Map<string, XUser>, now: Date): NormalizedMessageInput {
  const user = t.author_id ? users.get(t.author_id) : undefined;
  const ref = (type: string) => t.referenced_tweets?.find((r) => r.type === type)?.id ?? null;
  const lang = t.lang && /^[a-z]{2,3}$/.test(t.lang) && !["und", "zxx", "qme", "qht"].includes(t.lang) ? t.lang : null;
  const created = t.created_at && !Number.isNaN(Date.parse(t.created_at)) ? new Date(t.created_at).toISOString() : now.toISOString();
  return {
    network: "x",
    external_id: t.id,
    url: `https://x.com/${user?.username ?? "i"}/status/${t.id}`,
    author: {
      id: t.author_id ?? "unknown",
      handle: user?.username ?? null,
      display_name: user?.name ?? user?.username ?? null,
      profile_url: user ? `https://x.com/${user.username}` : null,
      followers: user?.public_metrics?.followers_count ?? null,
      bio: user?.description?.slice(0, 5000) ?? null,
      verified: user?.verified ?? null,
    },
    text: t.text,
    language: lang,
    created_at: created,
    in_reply_to: ref("replied_to"),
    quote_of: ref("quoted"),
    repost_of: ref("retweeted"),
    raw: { tweet: t, user },
  };
}

const errorDetail = (body: unknown) => {
  const b = body as { detail?: unknown; title?: unknown; errors?: Array<{ message?: unknown }> };
  if (typeof b?.detail === "string") return b.detail;
  if (typeof b?.errors?.[0]?.message === "string") return b.errors[0].message;
  return typeof b?.title === "string" ? b.title : null;
};

function search(ctx: ConnectorContext<XConfig>, params: Record<string, string | undefined>) {
  const token = ctx.credentials.bearer_token;
  if (!token) throw new ConnectorError("unauthorized", "X needs a bearer_token in the channel's credentials");
  const url = new URL(`${ctx.config.api_url.replace(/\/+$/, "")}/2/tweets/search/recent`);
  url.searchParams.set("query", ctx.config.query);
  url.searchParams.set("tweet.fields", TWEET_FIELDS);
  url.searchParams.set("expansions", "author_id");
  url.searchParams.set("user.fields", USER_FIELDS);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  return requestJson<SearchAnswer>(ctx, url.toString(), {
    label: "X",
    style: "x",
    headers: { authorization: `Bearer ${token}`, "user-agent": USER_AGENT },
    errorDetail,
  });
}

/** The stream rule of this query: rules belong to the whole app, so each is tagged to be found again. */
export function ruleTag(query: string): string {
  return `parley:${createHash("sha1").update(query).digest("hex").slice(0, 16)}`;
}

type StreamRule = { id: string; value: string; tag?: string };

async function ensureRule(ctx: ConnectorContext<XConfig>, token: string): Promise<string> {
  const base = ctx.config.api_url.replace(/\/+$/, "");
  const tag = ruleTag(ctx.config.query);
  const options = { label: "X", style: "x" as const, headers: { authorization: `Bearer ${token}`, "user-agent": USER_AGENT }, errorDetail };
  const { body } = await requestJson<{ data?: StreamRule[] }>(ctx, `${base}/2/tweets/search/stream/rules`, options);
  if ((body.data ?? []).some((r) => r.tag === tag && r.value === ctx.config.query)) return tag;
  const added = await requestJson<{ errors?: Array<{ title?: string; details?: string[] }> }>(ctx, `${base}/2/tweets/search/stream/rules`, {
    ...options,
    method: "POST",
    json: { add: [{ value: ctx.config.query, tag }] },
  });
  const problem = added.body.errors?.[0];
  if (problem && problem.title !== "DuplicateRule") {
    throw new ConnectorError(
      "config",
      `X did not accept the query as a stream rule: ${problem.details?.[0] ?? problem.title ?? "unknown reason"}`,
    );
  }
  return tag;
}

/**
 * POST /2/media/upload (docs.x.com/x-api/media): a multipart form with the image's bytes as
 * `media` and media_category tweet_image; the answer's data.id goes in the post's
 * media.media_ids. The alt text is set with POST /2/media/metadata. Needs the media.write scope.
 */
async function uploadMedia(ctx: ConnectorContext<XConfig>, token: string, file: ReplyAttachmentFile): Promise<string> {
  const api = ctx.config.api_url.replace(/\/+$/, "");
  const auth = { authorization: `Bearer ${token}`, "user-agent": USER_AGENT };
  const form = await multipartBody([
    ["media", { bytes: file.bytes, filename: file.filename ?? "image", contentType: file.contentType }],
    ["media_category", "tweet_image"],
  ]);
  const { body } = await requestJson<{ data?: { id?: string } }>(ctx, `${api}/2/media/upload`, {
    label: "X",
    style: "x",
    method: "POST",
    headers: auth,
    raw: form,
    errorDetail,
  });
  const id = body.data?.id;
  if (!id) throw new ConnectorError("bad_response", "X accepted the image but did not say its media id");
  if (file.alt) {
    await requestJson(ctx, `${api}/2/media/metadata`, {
      label: "X",
      style: "x",
      method: "POST",
      headers: auth,
      json: { id, metadata: { alt_text: { text: file.alt.slice(0, 1000) } } },
      errorDetail,
    });
  }
  return id;
}

export const xConnector: Connector<XConfig> = {
  network: "x",
  defaultIntervalMs: 5 * 60_000,

  validateConfig: (config) => parseConfig(xConfigSchema, config),

  // Up to four photos per post, images up to 5 MB.
  replyAttachments: { max: 4, maxBytes: 5 * 1024 * 1024 },

  replyBlocker: (ctx) =>
    ctx.credentials.user_access_token
      ? null
      : "Replying on X needs a user_access_token (OAuth 2.0, user context, tweet.write) in the channel's credentials; the app's bearer_token can only read.",

  // POST /2/tweets with reply.in_reply_to_tweet_id, as the replying account (user-context token).
  // X takes no idempotency key: a send whose answer is lost may post twice when retried.
  async reply(ctx, target, text, _visibility, attachments = []) {
    const token = ctx.credentials.user_access_token;
    if (!token) throw new ConnectorError("config", "Replying on X needs a user_access_token in the channel's credentials");
    const mediaIds: string[] = [];
    for (const file of attachments) mediaIds.push(await uploadMedia(ctx, token, file));
    const { body } = await requestJson<{ data?: { id?: string } }>(ctx, `${ctx.config.api_url.replace(/\/+$/, "")}/2/tweets`, {
      label: "X",
      style: "x",
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "user-agent": USER_AGENT },
      json: { text, reply: { in_reply_to_tweet_id: target.externalId }, ...(mediaIds.length ? { media: { media_ids: mediaIds } } : {}) },
      errorDetail,
    });
    const id = body.data?.id;
    if (!id) throw new ConnectorError("bad_response", "X accepted the reply but did not say its id");
    return { externalId: id, url: `https://x.com/i/web/status/${id}` };
  },

  async test(ctx) {
    const { body } = await search(ctx, { max_results: "10" });
    return {
      ok: true,
      detail: `X recent search works: "${ctx.config.query}" finds ${body.meta?.result_count ?? 0} recent post(s) on the first page`,
    };
  },

  wantsStream: (config) => Boolean(config.stream),

  async stream(ctx, onMessages) {
    const token = ctx.credentials.bearer_token;
    if (!token) throw new ConnectorError("unauthorized", "X needs a bearer_token in the channel's credentials");
    const tag = await ensureRule(ctx, token);
    const url = new URL(`${ctx.config.api_url.replace(/\/+$/, "")}/2/tweets/search/stream`);
    url.searchParams.set("tweet.fields", TWEET_FIELDS);
    url.searchParams.set("expansions", "author_id");
    url.searchParams.set("user.fields", USER_FIELDS);
    let answer: Awaited<ReturnType<typeof safeStream>>;
    try {
      // X sends a keep-alive newline every 20 s; a minute of silence means the connection is gone.
      answer = await safeStream(url.toString(), {
        headers: { authorization: `Bearer ${token}`, "user-agent": USER_AGENT },
        signal: ctx.signal,
        idleMs: 60_000,
      });
    } catch (err) {
      if (err instanceof SafeFetchError) throw new ConnectorError(err.kind === "refused" ? "config" : "unavailable", err.message);
      throw err;
    }
    if (answer.status !== 200) {
      let text = "";
      for await (const chunk of answer.chunks) {
        text += chunk.toString();
        if (text.length > 10_000) break;
      }
      let detail: string | null = null;
      try {
        detail = errorDetail(JSON.parse(text));
      } catch {
        detail = null;
      }
      const reason = `${answer.status} ${answer.statusText}${detail ? `: ${detail}` : ""}`;
      if (answer.status === 429) {
        const reset = Number(answer.headers.get("x-rate-limit-reset"));
        const retryAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(ctx.now().getTime() + 60_000);
        throw new ConnectorError("rate_limited", `X refused the stream (${reason})`, retryAt);
      }
      if (answer.status === 401 || answer.status === 403) throw new ConnectorError("unauthorized", `X refused the stream (${reason})`);
      throw new ConnectorError("unavailable", `X's filtered stream answered ${reason}`);
    }
    let buffer = "";
    const decoder = new TextDecoder();
    for await (const chunk of answer.chunks) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue; // keep-alive
        let event: SearchAnswer & { data?: Tweet | Tweet[]; matching_rules?: Array<{ id: string; tag?: string }> };
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        // Rules are shared by every channel on this app: keep what matched ours.
        if (!event.matching_rules?.some((r) => r.tag === tag)) continue;
        const tweet = Array.isArray(event.data) ? event.data[0] : event.data;
        if (!tweet?.id) continue;
        const users = new Map((event.includes?.users ?? []).map((u) => [u.id, u]));
        await onMessages([tweetToMessage(tweet, users, ctx.now())]);
      }
    }
  },

  async poll(ctx): Promise<PollResult> {
    const state = ctx.state as XCursor;
    const now = ctx.now();
    const sinceId = state.pending?.since_id ?? state.since_id;
    let nextToken = state.pending?.next_token;
    let newest = state.pending?.newest_id;
    const messages: NormalizedMessageInput[] = [];
    const unfinished = (nextPollMs: number): PollResult => ({
      messages,
      state: { since_id: state.since_id, pending: { next_token: nextToken as string, since_id: sinceId, newest_id: newest } },
      nextPollMs,
    });
    for (let page = 0; page < MAX_PAGES; page++) {
      let answer: Awaited<ReturnType<typeof search>>;
      try {
        answer = await search(ctx, { max_results: String(ctx.config.max_results), since_id: sinceId, next_token: nextToken });
      } catch (err) {
        if (err instanceof ConnectorError && err.kind === "rate_limited" && messages.length > 0 && nextToken && err.retryAt) {
          return unfinished(Math.max(1000, err.retryAt.getTime() - now.getTime()));
        }
        throw err;
      }
      const users = new Map((answer.body.includes?.users ?? []).map((u) => [u.id, u]));
      for (const t of answer.body.data ?? []) if (t?.id) messages.push(tweetToMessage(t, users, now));
      // The first page of a search names its newest id: that is where the next search starts.
      if (!newest) newest = answer.body.meta?.newest_id;
      nextToken = answer.body.meta?.next_token;
      if (!nextToken || !sinceId) return { messages, state: { since_id: newest ?? sinceId } }; // first poll: one page, no backfill
      if (answer.waitMs) return unfinished(answer.waitMs);
    }
    return unfinished(5_000);
  },
};
