import { z } from "zod";
import { htmlToText, type NormalizedMessageInput } from "../../ingest";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { boundedIds, requestJson } from "./http";
import { type Connector, type ConnectorContext, ConnectorError, type PollResult } from "./types";

// Reddit listings over the JSON API: a subreddit's new posts and comments,
// and search (sort=new). A listing is read upward from the newest fullname
// stored (`before`), page by page, so a restart neither repeats nor skips.
// With an OAuth bearer token the requests go to oauth.reddit.com.

export const redditConfigSchema = z
  .object({
    subreddit: z
      .string()
      .trim()
      .regex(/^(r\/)?[A-Za-z0-9_]{2,21}$/, { message: "must be a subreddit name, e.g. parley or r/parley" })
      .optional(),
    search: z.string().trim().min(1).max(512).optional(),
    comments: z.boolean().default(true).describe("Also read the subreddit's new comments"),
    api_url: httpUrl("API's address").optional(),
    poll_interval_seconds: pollInterval,
  })
  .strict()
  .refine((c) => c.subreddit || c.search, { message: "give a subreddit, a search, or both", path: ["subreddit"] });
export type RedditConfig = z.infer<typeof redditConfigSchema>;

type SourceCursor = { before?: string; newest_utc?: number; seen?: string[] };
type RedditCursor = { sources?: Record<string, SourceCursor> };

export type RedditThing = {
  kind: string;
  data: {
    id: string;
    name: string;
    author?: string;
    author_fullname?: string;
    title?: string;
    selftext?: string;
    selftext_html?: string | null;
    body?: string;
    body_html?: string | null;
    url?: string;
    permalink?: string;
    created_utc: number;
    parent_id?: string;
    link_id?: string;
    link_title?: string;
    subreddit?: string;
    over_18?: boolean;
  };
};
type Listing = { kind: "Listing"; data: { children: RedditThing[]; after: string | null; before: string | null } };

const LIMIT = 100;
const MAX_PAGES = 5;
/** Reddit asks for "<platform>:<app id>:<version> (by …)"; generic agents are throttled hard. */
export const REDDIT_USER_AGENT = "server:dev.parley.crm:0.1 (open-source social CRM; self-hosted listening)";

type CommentAnswer = {
  json?: {
    errors?: Array<[string, string?, string?]>;
    data?: { things?: Array<{ kind?: string; data?: { name?: string; permalink?: string } }> };
  };
};

const subName = (c: RedditConfig) => c.subreddit?.replace(/^r\//, "");

function baseUrl(ctx: ConnectorContext<RedditConfig>) {
  if (ctx.config.api_url) return ctx.config.api_url.replace(/\/+$/, "");
  return ctx.credentials.access_token ? "https://oauth.reddit.com" : "https://www.reddit.com";
}

const errorDetail = (body: unknown) => {
  const b = body as { message?: unknown; reason?: unknown };
  const reason = typeof b?.reason === "string" ? ` (${b.reason})` : "";
  return typeof b?.message === "string" ? `${b.message}${reason}` : null;
};

function listing(ctx: ConnectorContext<RedditConfig>, path: string, params: Record<string, string | undefined>) {
  const url = new URL(`${baseUrl(ctx)}${path}`);
  url.searchParams.set("raw_json", "1");
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  const headers: Record<string, string> = { "user-agent": REDDIT_USER_AGENT };
  if (ctx.credentials.access_token) headers.authorization = `bearer ${ctx.credentials.access_token}`;
  return requestJson<Listing>(ctx, url.toString(), { label: "Reddit", style: "reddit", headers, errorDetail });
}

export function thingToMessage(thing: RedditThing): NormalizedMessageInput | null {
  const d = thing.data;
  if (!d?.name || typeof d.created_utc !== "number") return null;
  const author = d.author && d.author !== "[deleted]" ? d.author : null;
  const common = {
    network: "reddit" as const,
    external_id: d.name,
    url: d.permalink ? `https://www.reddit.com${d.permalink}` : null,
    author: {
      id: d.author_fullname ?? author ?? "[deleted]",
      handle: author,
      display_name: author ? `u/${author}` : "[deleted]",
      profile_url: author ? `https://www.reddit.com/user/${author}` : null,
    },
    created_at: new Date(d.created_utc * 1000).toISOString(),
    raw: thing,
  };
  if (thing.kind === "t3") {
    const html = d.selftext_html ?? null;
    const body = html ? htmlToText(html) : (d.selftext ?? "");
    const link = d.url && !d.url.includes(d.permalink ?? "\u0000") ? d.url : "";
    return { ...common, subject: d.title ?? null, text: [body, link].filter(Boolean).join("\n\n") || (d.title ?? ""), html };
  }
  if (thing.kind === "t1") {
    const html = d.body_html ?? null;
    return {
      ...common,
      subject: d.link_title ?? null,
      text: html ? htmlToText(html) : (d.body ?? ""),
      html,
      in_reply_to: d.parent_id ?? null,
    };
  }
  return null;
}

type Source = { key: string; path: string; params: Record<string, string> };

function sources(c: RedditConfig): Source[] {
  const sub = subName(c);
  const out: Source[] = [];
  if (sub && !c.search) {
    out.push({ key: `r/${sub}/new`, path: `/r/${sub}/new.json`, params: {} });
    if (c.comments) out.push({ key: `r/${sub}/comments`, path: `/r/${sub}/comments.json`, params: {} });
  }
  if (c.search) {
    out.push(
      sub
        ? { key: `r/${sub}/search:${c.search}`, path: `/r/${sub}/search.json`, params: { q: c.search, sort: "new", restrict_sr: "1" } }
        : { key: `search:${c.search}`, path: "/search.json", params: { q: c.search, sort: "new" } },
    );
  }
  return out;
}

export const redditConnector: Connector<RedditConfig> = {
  network: "reddit",
  defaultIntervalMs: 2 * 60_000,

  validateConfig: (config) => parseConfig(redditConfigSchema, config),

  replyBlocker: (ctx) =>
    ctx.credentials.access_token ? null : "Replying on Reddit needs an OAuth access_token (scope submit) in the channel's credentials.",

  // POST /api/comment (thing_id = the post or comment answered, api_type=json). Reddit answers
  // 200 even when it refuses: the refusal is in json.errors as [code, message, field].
  async reply(ctx, target, text) {
    const token = ctx.credentials.access_token;
    if (!token) throw new ConnectorError("config", "Replying on Reddit needs an access_token");
    const { body } = await requestJson<CommentAnswer>(ctx, `${baseUrl(ctx)}/api/comment`, {
      label: "Reddit",
      style: "reddit",
      method: "POST",
      headers: { "user-agent": REDDIT_USER_AGENT, authorization: `bearer ${token}` },
      form: { api_type: "json", thing_id: target.externalId, text },
      errorDetail,
    });
    const errors = body.json?.errors ?? [];
    if (errors.length > 0) {
      throw new ConnectorError("bad_response", `Reddit refused the comment: ${errors.map((e) => e[1] ?? e[0]).join("; ")}`);
    }
    const made = body.json?.data?.things?.[0]?.data;
    if (!made?.name) throw new ConnectorError("bad_response", "Reddit accepted the comment but did not say its name");
    return { externalId: made.name, url: made.permalink ? `https://www.reddit.com${made.permalink}` : null };
  },

  async test(ctx) {
    const source = sources(ctx.config)[0] as Source;
    const { body } = await listing(ctx, source.path, { ...source.params, limit: "1" });
    if (body?.kind !== "Listing") throw new ConnectorError("bad_response", "Reddit answered something that is not a listing");
    return { ok: true, detail: `Reddit answered: ${source.key} is readable` };
  },

  async poll(ctx): Promise<PollResult> {
    const state = ctx.state as RedditCursor;
    const next: Record<string, SourceCursor> = { ...(state.sources ?? {}) };
    const messages: NormalizedMessageInput[] = [];
    let nextPollMs: number | undefined;
    for (const source of sources(ctx.config)) {
      const cur = next[source.key] ?? {};
      const seen = new Set(cur.seen ?? []);
      let before = cur.before;
      let newestUtc = cur.newest_utc ?? 0;
      const fresh: RedditThing[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await listing(ctx, source.path, { ...source.params, limit: String(LIMIT), before });
        const children = answer.body?.data?.children ?? [];
        if (page === 0 && before && children.length === 0) {
          // The `before` item may have been deleted, which empties the listing for good:
          // read the newest page instead and keep what is newer than the cursor.
          const top = await listing(ctx, source.path, { ...source.params, limit: String(LIMIT) });
          const newer = (top.body?.data?.children ?? []).filter((t) => t.data.created_utc >= newestUtc && !seen.has(t.data.name));
          fresh.push(...newer);
          if (newer[0]) before = newer[0].data.name;
          break;
        }
        fresh.push(...children.filter((t) => !seen.has(t.data.name)));
        // Children are newest first; the newest fullname is where the next read starts.
        if (children[0]) before = children[0].data.name;
        if (answer.waitMs) {
          nextPollMs = answer.waitMs;
          break;
        }
        if (!cur.before || children.length < LIMIT) break; // first poll: the newest page only
        if (page === MAX_PAGES - 1) nextPollMs = 5_000;
      }
      for (const t of fresh) {
        newestUtc = Math.max(newestUtc, t.data.created_utc);
        const m = thingToMessage(t);
        if (m) messages.push(m);
      }
      next[source.key] = {
        before,
        newest_utc: newestUtc || undefined,
        seen: boundedIds([...(cur.seen ?? []), ...fresh.map((t) => t.data.name).reverse()], 300),
      };
    }
    return { messages, state: { sources: next }, nextPollMs };
  },
};
