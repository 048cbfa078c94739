import { z } from "zod";
import type { NormalizedMessageInput } from "../message";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { requestJson, USER_AGENT } from "./http";
import { type Connector, type ConnectorContext, ConnectorError, type PollResult } from "./types";

// X (Twitter) API v2 recent search with an app bearer token. Results come
// newest first; pages (next_token) walk back to since_id. A search larger than
// one poll keeps its next_token in the cursor and continues in the next poll,
// and since_id moves to the newest id only once every page is in.

export const xConfigSchema = z
  .object({
    query: z.string({ message: "is required: an X search query" }).trim().min(1).max(4096),
    api_url: httpUrl("API's address").default("https://api.x.com"),
    max_results: z.number().int().min(10).max(100).default(100),
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

export const xConnector: Connector<XConfig> = {
  network: "x",
  defaultIntervalMs: 5 * 60_000,

  validateConfig: (config) => parseConfig(xConfigSchema, config),

  async test(ctx) {
    const { body } = await search(ctx, { max_results: "10" });
    return {
      ok: true,
      detail: `X recent search works: "${ctx.config.query}" finds ${body.meta?.result_count ?? 0} recent post(s) on the first page`,
    };
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
