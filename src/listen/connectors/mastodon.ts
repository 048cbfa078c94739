import { z } from "zod";
import { htmlToText, type NormalizedMessageInput } from "../../ingest";
import { SafeFetchError, safeStream } from "../../shared/safe-fetch";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { multipartBody, request, requestJson, USER_AGENT } from "./http";
import {
  type Connector,
  type ConnectorContext,
  ConnectorError,
  type PollResult,
  type ReplyAttachmentFile,
  type ReplyTarget,
} from "./types";

// Mastodon (any instance) over its REST API: a hashtag timeline, an account's
// statuses, keyword search and the company's own mentions. Each source walks
// forward with min_id (the Link header's rel="prev"), so a restart resumes
// from the newest id it stored.

export const mastodonConfigSchema = z
  .object({
    instance_url: httpUrl("instance's address, e.g. https://mastodon.social"),
    hashtag: z.string().trim().min(1).max(100).optional(),
    account: z.string().trim().min(1).max(300).optional().describe("@user or @user@instance"),
    keyword: z.string().trim().min(1).max(500).optional(),
    mentions: z.boolean().optional().describe("Mentions of the account whose access_token is given"),
    stream: z.boolean().optional().describe("Also listen live on the streaming API (hashtag and mentions)"),
    poll_interval_seconds: pollInterval,
  })
  .strict()
  .refine((c) => c.hashtag || c.account || c.keyword || c.mentions, {
    message: "give at least one of hashtag, account, keyword or mentions",
    path: ["hashtag"],
  });
export type MastodonConfig = z.infer<typeof mastodonConfigSchema>;

type SourceCursor = { min_id?: string };
type MastodonCursor = { sources?: Record<string, SourceCursor>; account_id?: string };

type Account = {
  id: string;
  username: string;
  acct: string;
  display_name?: string;
  note?: string;
  url?: string;
  followers_count?: number;
  bot?: boolean;
};
export type MastodonStatus = {
  id: string;
  uri?: string;
  url?: string | null;
  created_at: string;
  content: string;
  spoiler_text?: string;
  visibility?: string;
  language?: string | null;
  in_reply_to_id?: string | null;
  account: Account;
  reblog?: MastodonStatus | null;
  quote?: { quoted_status?: MastodonStatus | null } | null;
};
type Notification = { id: string; type: string; created_at: string; status?: MastodonStatus | null };

const LIMIT = 40;
const MAX_PAGES = 5;

/** Mastodon ids are numbers too large for floats: compare them as digit strings. */
export function newerId(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.length !== b.length) return a.length > b.length ? a : b;
  return a > b ? a : b;
}

const base = (c: MastodonConfig) => c.instance_url.replace(/\/+$/, "");
const hostOf = (c: MastodonConfig) => new URL(c.instance_url).host;

function headers(ctx: ConnectorContext<MastodonConfig>) {
  const h: Record<string, string> = { "user-agent": USER_AGENT };
  if (ctx.credentials.access_token) h.authorization = `Bearer ${ctx.credentials.access_token}`;
  return h;
}

const errorDetail = (body: unknown) => {
  const b = body as { error?: unknown; error_description?: unknown };
  return typeof b?.error_description === "string" ? b.error_description : typeof b?.error === "string" ? b.error : null;
};

function get<T>(ctx: ConnectorContext<MastodonConfig>, path: string) {
  return requestJson<T>(ctx, `${base(ctx.config)}${path}`, { label: "Mastodon", style: "mastodon", headers: headers(ctx), errorDetail });
}

/** min_id of the Link header's rel="prev": where the next page forward starts. */
export function prevMinId(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?prev"?/.exec(part);
    if (m) {
      try {
        return new URL(m[1] as string).searchParams.get("min_id") ?? undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function statusToMessages(s: MastodonStatus, host: string): NormalizedMessageInput[] {
  const qualify = (id: string) => `${host}/${id}`;
  const author = (a: Account) => {
    const acct = a.acct.includes("@") ? a.acct : `${a.acct}@${host.replace(/:\d+$/, "")}`;
    return {
      id: acct,
      handle: acct,
      display_name: a.display_name || a.username,
      profile_url: a.url ?? null,
      followers: typeof a.followers_count === "number" && a.followers_count >= 0 ? a.followers_count : null,
      bio: a.note ? htmlToText(a.note).slice(0, 5000) : null,
    };
  };
  const one = (st: MastodonStatus): NormalizedMessageInput => ({
    network: "mastodon",
    external_id: qualify(st.id),
    url: st.url ?? st.uri ?? null,
    author: author(st.account),
    text: htmlToText(st.content ?? ""),
    html: st.content || null,
    subject: st.spoiler_text || null,
    language: st.language && st.language.length <= 20 ? st.language : null,
    created_at: new Date(st.created_at).toISOString(),
    in_reply_to: st.in_reply_to_id ? qualify(st.in_reply_to_id) : null,
    quote_of: st.quote?.quoted_status?.id ? qualify(st.quote.quoted_status.id) : null,
    public: st.visibility !== "private" && st.visibility !== "direct",
    raw: st,
  });
  if (s.reblog) {
    // A boost: the original is a post in its own right; the boost collapses onto it.
    return [one(s.reblog), { ...one({ ...s, content: s.reblog.content }), repost_of: qualify(s.reblog.id), raw: s }];
  }
  return [one(s)];
}

async function resolveAccountId(ctx: ConnectorContext<MastodonConfig>, cursor: MastodonCursor): Promise<string> {
  if (cursor.account_id) return cursor.account_id;
  const acct = (ctx.config.account as string).replace(/^@/, "");
  const { body } = await get<Account>(ctx, `/api/v1/accounts/lookup?acct=${encodeURIComponent(acct)}`);
  if (!body?.id) throw new ConnectorError("not_found", `Mastodon has no account @${acct}`);
  return body.id;
}

type Source = { key: string; path: string; notifications?: boolean };

function sources(ctx: ConnectorContext<MastodonConfig>, accountId: string | undefined): Source[] {
  const c = ctx.config;
  const out: Source[] = [];
  if (c.hashtag)
    out.push({
      key: `tag:${c.hashtag.replace(/^#/, "").toLowerCase()}`,
      path: `/api/v1/timelines/tag/${encodeURIComponent(c.hashtag.replace(/^#/, ""))}?`,
    });
  if (c.account && accountId) out.push({ key: `account:${accountId}`, path: `/api/v1/accounts/${accountId}/statuses?` });
  if (c.keyword) out.push({ key: `search:${c.keyword}`, path: `/api/v2/search?type=statuses&q=${encodeURIComponent(c.keyword)}&` });
  if (c.mentions) out.push({ key: "mentions", path: "/api/v1/notifications?types[]=mention&", notifications: true });
  return out;
}

/** Where the instance's streaming server is (it may live on another host). */
async function streamingBase(ctx: ConnectorContext<MastodonConfig>): Promise<string> {
  try {
    const { body } = await get<{ configuration?: { urls?: { streaming?: string } } }>(ctx, "/api/v2/instance");
    const url = body.configuration?.urls?.streaming;
    if (url) return url.replace(/^wss:/, "https:").replace(/^ws:/, "http:").replace(/\/+$/, "");
  } catch {
    // fall back to the instance itself
  }
  return base(ctx.config);
}

/** Reads Server-Sent Events from one streaming endpoint until it ends. */
async function streamEvents(
  ctx: ConnectorContext<MastodonConfig>,
  url: string,
  onEvent: (event: string, data: string) => Promise<void>,
): Promise<void> {
  let answer: Awaited<ReturnType<typeof safeStream>>;
  try {
    answer = await safeStream(url, { headers: { ...headers(ctx), accept: "text/event-stream" }, signal: ctx.signal });
  } catch (err) {
    if (err instanceof SafeFetchError) throw new ConnectorError(err.kind === "refused" ? "config" : "unavailable", err.message);
    throw err;
  }
  if (answer.status === 429)
    throw new ConnectorError("rate_limited", "Rate limited by Mastodon's streaming server", new Date(ctx.now().getTime() + 60_000));
  if (answer.status === 401 || answer.status === 403) {
    throw new ConnectorError("unauthorized", `Mastodon's streaming server refused the credentials (${answer.status} ${answer.statusText})`);
  }
  if (answer.status !== 200)
    throw new ConnectorError("unavailable", `Mastodon's streaming server answered ${answer.status} ${answer.statusText}`);
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of answer.chunks) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue; // heartbeat
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) await onEvent(event, data.join("\n"));
    }
  }
}

/** The status id on our instance: external ids are written "<instance host>/<id>". */
const statusIdOf = (externalId: string) => externalId.slice(externalId.lastIndexOf("/") + 1);

/**
 * A reply names the author first, as Mastodon's own composer does: without the @mention the
 * author is not notified, and a direct message reaches only the accounts it mentions.
 */
function mentionFirst(target: Pick<ReplyTarget, "authorHandle">, text: string): string {
  const handle = target.authorHandle?.replace(/^@/, "");
  if (!handle) return text;
  const mention = `@${handle}`;
  const local = `@${handle.split("@")[0]}`;
  const mentioned = new RegExp(`(^|\\s)${escapeRegExp(local)}(@[^\\s]+)?(?=$|[\\s.,!?:;])`, "i").test(text);
  return mentioned ? text : `${mention} ${text}`;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type MediaAttachment = { id: string; type?: string; url?: string | null };

/**
 * POST /api/v2/media (docs.joinmastodon.org/methods/media/#v2): multipart with the image as
 * `file` and the alt text as `description`. 200 when processed; 202 while the instance still
 * processes it (url null), then GET /api/v1/media/:id answers 206 until it is ready, 200 once it
 * is. A status may only carry media that finished processing.
 */
async function uploadMedia(ctx: ConnectorContext<MastodonConfig>, file: ReplyAttachmentFile): Promise<string> {
  const form = await multipartBody([
    ["file", { bytes: file.bytes, filename: file.filename ?? "image", contentType: file.contentType }],
    ...(file.alt ? ([["description", file.alt]] as Array<[string, string]>) : []),
  ]);
  const { body, response } = await requestJson<MediaAttachment>(ctx, `${base(ctx.config)}/api/v2/media`, {
    label: "Mastodon",
    style: "mastodon",
    method: "POST",
    headers: headers(ctx),
    raw: form,
    errorDetail,
  });
  if (!body?.id) throw new ConnectorError("bad_response", "Mastodon accepted the image but did not say its id");
  if (response.status !== 202) return body.id;
  for (let attempt = 0; attempt < 10; attempt++) {
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    const check = await request(ctx, `${base(ctx.config)}/api/v1/media/${encodeURIComponent(body.id)}`, {
      label: "Mastodon",
      style: "mastodon",
      headers: headers(ctx),
      accept: [206],
      errorDetail,
    });
    if (check.response.status === 200) return body.id;
  }
  throw new ConnectorError("unavailable", "Mastodon is still processing the image; Parley tries again");
}

export const mastodonConnector: Connector<MastodonConfig> = {
  network: "mastodon",
  defaultIntervalMs: 2 * 60_000,

  validateConfig: (config) => parseConfig(mastodonConfigSchema, config),

  async test(ctx) {
    const { body } = await get<{ title?: string; domain?: string; version?: string }>(ctx, "/api/v2/instance");
    const name = body.title ?? body.domain ?? hostOf(ctx.config);
    if ((ctx.config.mentions || ctx.config.keyword) && !ctx.credentials.access_token) {
      return { ok: false, detail: `Reached ${name}, but mentions and keyword search need an access_token (credentials)` };
    }
    if (ctx.credentials.access_token) {
      const me = await get<Account>(ctx, "/api/v1/accounts/verify_credentials");
      return { ok: true, detail: `Reached ${name} (Mastodon ${body.version ?? "?"}) as @${me.body.acct}` };
    }
    if (ctx.config.account) await resolveAccountId(ctx, {});
    return { ok: true, detail: `Reached ${name} (Mastodon ${body.version ?? "?"})` };
  },

  wantsStream: (config) => Boolean(config.stream && (config.hashtag || config.mentions)),

  privateReplies: true,

  replyBlocker: (ctx) =>
    ctx.credentials.access_token ? null : "Replying on Mastodon needs the channel's access_token (Settings → Channels → credentials).",

  replyText: (target, text) => mentionFirst(target, text),

  // Four media per status; instances accept images of 16 MB by default, Parley sends up to 5 MB.
  replyAttachments: { max: 4, maxBytes: 5 * 1024 * 1024 },

  // POST /api/v1/statuses (docs.joinmastodon.org/methods/statuses/#create): the reply threads
  // under in_reply_to_id; "direct" makes it a private mention. The Idempotency-Key makes a
  // repeated attempt (after a timeout or a crash) answer the status already made.
  async reply(ctx, target, text, visibility, attachments = []) {
    if (!ctx.credentials.access_token) throw new ConnectorError("config", "Replying on Mastodon needs the channel's access_token");
    const mediaIds: string[] = [];
    for (const file of attachments) mediaIds.push(await uploadMedia(ctx, file));
    const { body } = await requestJson<MastodonStatus>(ctx, `${base(ctx.config)}/api/v1/statuses`, {
      label: "Mastodon",
      style: "mastodon",
      method: "POST",
      headers: { ...headers(ctx), "idempotency-key": target.idempotencyKey },
      json: {
        status: text,
        in_reply_to_id: statusIdOf(target.externalId),
        visibility: visibility === "private" ? "direct" : "public",
        ...(mediaIds.length ? { media_ids: mediaIds } : {}),
      },
      errorDetail,
    });
    if (!body?.id) throw new ConnectorError("bad_response", "Mastodon accepted the reply but did not say its id");
    return { externalId: `${hostOf(ctx.config)}/${body.id}`, url: body.url ?? body.uri ?? null };
  },

  async stream(ctx, onMessages) {
    const root = await streamingBase(ctx);
    const host = hostOf(ctx.config);
    const urls: string[] = [];
    if (ctx.config.hashtag) urls.push(`${root}/api/v1/streaming/hashtag?tag=${encodeURIComponent(ctx.config.hashtag.replace(/^#/, ""))}`);
    if (ctx.config.mentions) urls.push(`${root}/api/v1/streaming/user/notification`);
    const handle = async (event: string, data: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // a garbled event is skipped; polling catches up
      }
      if (event === "update") await onMessages(statusToMessages(parsed as MastodonStatus, host));
      else if (event === "notification") {
        const n = parsed as Notification;
        if (n.type === "mention" && n.status) await onMessages(statusToMessages(n.status, host));
      }
    };
    // One connection per stream; when one ends, all end and the poller reconnects.
    const local = new AbortController();
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, local.signal]) : local.signal;
    try {
      const runs = urls.map((url) => streamEvents({ ...ctx, signal }, url, handle));
      for (const run of runs) run.catch(() => undefined); // the losers of the race end by the abort below
      await Promise.race(runs);
    } finally {
      local.abort();
    }
  },

  async poll(ctx): Promise<PollResult> {
    const cursor = ctx.state as MastodonCursor;
    const accountId = ctx.config.account ? await resolveAccountId(ctx, cursor) : undefined;
    const host = hostOf(ctx.config);
    const next: Record<string, SourceCursor> = { ...(cursor.sources ?? {}) };
    const messages: NormalizedMessageInput[] = [];
    let nextPollMs: number | undefined;
    for (const source of sources(ctx, accountId)) {
      let minId = next[source.key]?.min_id;
      for (let page = 0; page < MAX_PAGES; page++) {
        let answer: Awaited<ReturnType<typeof get<unknown>>>;
        try {
          answer = await get<unknown>(ctx, `${source.path}limit=${LIMIT}${minId ? `&min_id=${encodeURIComponent(minId)}` : ""}`);
        } catch (err) {
          // Keep what earlier pages brought; the cursor stops where they ended.
          if (err instanceof ConnectorError && err.kind === "rate_limited" && messages.length > 0 && err.retryAt) {
            nextPollMs = Math.max(1000, err.retryAt.getTime() - ctx.now().getTime());
            next[source.key] = { min_id: minId };
            return { messages, state: { account_id: accountId, sources: next }, nextPollMs };
          }
          throw err;
        }
        const body = answer.body;
        const items = source.notifications
          ? ((body as Notification[]) ?? []).filter((n) => n.type === "mention" && n.status)
          : Array.isArray(body)
            ? (body as MastodonStatus[])
            : ((body as { statuses?: MastodonStatus[] })?.statuses ?? []);
        const rawCount = Array.isArray(body) ? body.length : items.length;
        let pageNewest: string | undefined;
        for (const item of items) {
          const status = source.notifications ? ((item as Notification).status as MastodonStatus) : (item as MastodonStatus);
          pageNewest = newerId(pageNewest, item.id);
          messages.push(...statusToMessages(status, host));
        }
        const forward = prevMinId(answer.response.headers.get("link")) ?? pageNewest;
        if (forward) minId = newerId(minId, forward);
        if (answer.waitMs) {
          nextPollMs = answer.waitMs;
          break;
        }
        // First poll: the newest page only, no backfill. Later: walk forward until a short page.
        if (!cursor.sources?.[source.key]) break;
        if (rawCount < LIMIT) break;
        if (page === MAX_PAGES - 1) nextPollMs = 5_000;
      }
      next[source.key] = { min_id: minId };
    }
    return { messages, state: { account_id: accountId, sources: next }, nextPollMs };
  },
};
