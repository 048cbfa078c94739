import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { resolve } from "node:path";
import type { MastodonStatus } from "../../../src/listen/connectors/mastodon";
import { type Fake, type FakeReply, type FakeRequest, parseMultipart, startFake } from "./server";

// A Mastodon instance's REST API as docs.joinmastodon.org describes it:
// timelines/tag, accounts/lookup and accounts/:id/statuses, v2/search,
// notifications (types[]), v2/instance; max_id / since_id / min_id / limit
// pagination with a Link header (rel="next" older, rel="prev" newer);
// X-RateLimit-* headers (reset as ISO 8601) and 429 {"error": …} once spent.
// POST /api/v1/statuses is checked as the instance checks it: a Bearer token, a non-empty
// status of at most 500 characters, an in_reply_to_id it knows, a known visibility; the
// Idempotency-Key header answers a repeat with the status already made. What it accepted is
// kept in `posted`; `postAnswers` queues answers (422, 429, 500…) for the next posts.

export type PostedStatus = {
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: Record<string, unknown>;
  status: MastodonStatus;
};

/** An image uploaded through POST /api/v2/media (multipart `file`, `description`). */
export type UploadedMedia = {
  id: string;
  description: string | null;
  contentType: string;
  filename: string;
  bytes: Buffer;
  token: string;
  /** GET /api/v1/media/:id answers 206 (still processing) this many more times, then 200. */
  processing: number;
};

export type MastodonFake = Fake & {
  /** Media uploaded through POST /api/v2/media, in order. */
  media: UploadedMedia[];
  /** Set above 0 to have the next uploads answer 202 and stay processing for this many GET /api/v1/media/:id. */
  mediaProcessing: { polls: number };
  statuses: MastodonStatus[];
  notifications: Array<{ id: string; type: string; created_at: string; account: unknown; status: MastodonStatus }>;
  /** Requests left in the window; at 0 the instance answers 429. */
  rateLimit: { remaining: number; reset: string };
  token: string;
  addStatus: (over: Partial<MastodonStatus> & { tag?: string }) => MastodonStatus;
  /** Publishes a status: stored, and sent to open hashtag streams as an `update` event. */
  publish: (over: Partial<MastodonStatus> & { tag?: string }) => MastodonStatus;
  /** Open streaming connections, by stream name. */
  listeners: Map<string, Set<ServerResponse>>;
  /** Statuses made through POST /api/v1/statuses, in order. */
  posted: PostedStatus[];
  /** Answers for the next POST /api/v1/statuses, used up one per request before the checks. */
  postAnswers: FakeReply[];
};

const graphemes = (text: string) => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].length;
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/connectors/mastodon-statuses.json");

const cmp = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);

function page<T extends { id: string }>(all: T[], q: URLSearchParams): T[] {
  const limit = Math.min(Number(q.get("limit") ?? 20) || 20, 40);
  let items = [...all].sort((a, b) => cmp(b.id, a.id)); // newest first
  const maxId = q.get("max_id");
  const sinceId = q.get("since_id");
  const minId = q.get("min_id");
  if (maxId) items = items.filter((s) => cmp(s.id, maxId) < 0);
  if (sinceId) items = items.filter((s) => cmp(s.id, sinceId) > 0);
  if (minId) {
    // min_id: the page immediately newer than min_id (still listed newest first)
    const newer = items.filter((s) => cmp(s.id, minId) > 0).reverse();
    return newer.slice(0, limit).reverse();
  }
  return items.slice(0, limit);
}

function linkHeader(base: string, path: string, items: { id: string }[], extra: URLSearchParams): string | undefined {
  if (items.length === 0) return undefined;
  const keep = new URLSearchParams([...extra].filter(([k]) => !["max_id", "min_id", "since_id"].includes(k)));
  const at = (k: string, v: string) => {
    const p = new URLSearchParams(keep);
    p.set(k, v);
    return `${base}${path}?${p}`;
  };
  return `<${at("max_id", (items[items.length - 1] as { id: string }).id)}>; rel="next", <${at("min_id", (items[0] as { id: string }).id)}>; rel="prev"`;
}

export async function startMastodonFake(): Promise<MastodonFake> {
  const statuses = JSON.parse(readFileSync(FIXTURE, "utf8")) as MastodonStatus[];
  const tags = new Map<string, string[]>(statuses.map((s) => [s.id, ["acme"]]));
  let seq = 113520000000000200n;
  const state = {
    statuses,
    notifications: [] as MastodonFake["notifications"],
    rateLimit: { remaining: 300, reset: "2026-11-24T12:05:00.000Z" },
    token: "mastodon-token-1",
    posted: [] as PostedStatus[],
    postAnswers: [] as FakeReply[],
    media: [] as UploadedMedia[],
    mediaProcessing: { polls: 0 },
  };
  let mediaSeq = 900000;
  const byIdempotencyKey = new Map<string, MastodonStatus>();
  let base = "";
  const listeners = new Map<string, Set<ServerResponse>>();
  const acme = statuses[1]?.account as MastodonStatus["account"];

  const handler = (req: FakeRequest): FakeReply | Promise<FakeReply> => {
    const limitHeaders = {
      "x-ratelimit-limit": "300",
      "x-ratelimit-remaining": String(Math.max(0, state.rateLimit.remaining - 1)),
      "x-ratelimit-reset": state.rateLimit.reset,
    };
    if (state.rateLimit.remaining <= 0) return { status: 429, headers: limitHeaders, body: { error: "Too many requests" } };
    state.rateLimit.remaining--;
    const auth = req.headers.authorization;
    const authed = auth === `Bearer ${state.token}`;
    if (auth && !authed) return { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
    const list = (items: { id: string }[]) => ({
      headers: {
        ...limitHeaders,
        ...(linkHeader(base, req.path, items, req.query) ? { link: linkHeader(base, req.path, items, req.query) } : {}),
      },
      body: items,
    });
    const tagMatch = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(req.path);
    const accountMatch = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(req.path);
    if (req.path === "/api/v2/instance") {
      const streaming = base.replace(/^http/, "ws");
      return {
        headers: limitHeaders,
        body: { domain: "social.example", title: "Social Example", version: "4.3.1", configuration: { urls: { streaming } } },
      };
    }
    if (req.path === "/api/v1/streaming/hashtag" || req.path === "/api/v1/streaming/user/notification") {
      const name = req.path.endsWith("hashtag") ? `hashtag:${(req.query.get("tag") ?? "").toLowerCase()}` : "user:notification";
      if (name === "user:notification" && !authed) return { status: 401, body: { error: "Error: Missing access token" } };
      return {
        headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
        stream: (res) => {
          res.write(":)\n\n");
          const set = listeners.get(name) ?? new Set();
          set.add(res);
          listeners.set(name, set);
          res.on("close", () => set.delete(res));
        },
      };
    }
    if (req.path === "/api/v1/accounts/verify_credentials") {
      return authed
        ? { headers: limitHeaders, body: acme }
        : { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
    }
    if (tagMatch) {
      const tag = decodeURIComponent(tagMatch[1] as string).toLowerCase();
      return list(
        page(
          state.statuses.filter((s) => tags.get(s.id)?.includes(tag)),
          req.query,
        ),
      );
    }
    if (req.path === "/api/v1/accounts/lookup") {
      const acct = (req.query.get("acct") ?? "").replace(/@social\.example$/, "");
      const found = state.statuses.map((s) => s.account).find((a) => a.acct === acct);
      return found ? { headers: limitHeaders, body: found } : { status: 404, headers: limitHeaders, body: { error: "Record not found" } };
    }
    if (accountMatch) {
      return list(
        page(
          state.statuses.filter((s) => s.account.id === accountMatch[1]),
          req.query,
        ),
      );
    }
    if (req.path === "/api/v2/search") {
      if (!authed) return { headers: limitHeaders, body: { accounts: [], statuses: [], hashtags: [] } };
      const q = (req.query.get("q") ?? "").toLowerCase();
      const found = page(
        state.statuses.filter((s) => s.content.toLowerCase().includes(q)),
        req.query,
      );
      return { headers: limitHeaders, body: { accounts: [], statuses: found, hashtags: [] } };
    }
    if (req.path === "/api/v1/notifications") {
      if (!authed) return { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
      const types = req.query.getAll("types[]");
      return list(
        page(
          state.notifications.filter((n) => types.length === 0 || types.includes(n.type)),
          req.query,
        ),
      );
    }
    if (req.method === "POST" && req.path === "/api/v1/statuses") return createStatus(req, limitHeaders, authed);
    if (req.method === "POST" && req.path === "/api/v2/media") return uploadMedia(req, limitHeaders, authed);
    const mediaMatch = /^\/api\/v1\/media\/([^/]+)$/.exec(req.path);
    if (req.method === "GET" && mediaMatch) {
      if (!authed) return { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
      const found = state.media.find((m) => m.id === mediaMatch[1] && m.token === state.token);
      if (!found) return { status: 404, headers: limitHeaders, body: { error: "Record not found" } };
      if (found.processing > 0) {
        found.processing--;
        return { status: 206, headers: limitHeaders, body: { id: found.id, type: "image", url: null, description: found.description } };
      }
      return {
        headers: limitHeaders,
        body: { id: found.id, type: "image", url: `${base}/system/media/${found.id}.png`, description: found.description },
      };
    }
    return { status: 404, headers: limitHeaders, body: { error: "Record not found" } };
  };

  // POST /api/v2/media as the instance checks it: a Bearer token, a multipart form whose `file`
  // is an image (422 otherwise), the alt text in `description` (at most 1500 characters).
  const uploadMedia = async (req: FakeRequest, limitHeaders: Record<string, string>, authed: boolean): Promise<FakeReply> => {
    if (!authed) return { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
    const form = await parseMultipart(req);
    if (!form) return { status: 422, headers: limitHeaders, body: { error: "Validation failed: File can't be blank" } };
    const file = form.get("file");
    if (!(file instanceof Blob)) return { status: 422, headers: limitHeaders, body: { error: "Validation failed: File can't be blank" } };
    if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
      return { status: 422, headers: limitHeaders, body: { error: "Validation failed: File content type is invalid" } };
    }
    const description = form.get("description");
    if (typeof description === "string" && description.length > 1500) {
      return {
        status: 422,
        headers: limitHeaders,
        body: { error: "Validation failed: Description is too long (maximum is 1500 characters)" },
      };
    }
    mediaSeq++;
    const id = String(mediaSeq);
    state.media.push({
      id,
      description: typeof description === "string" ? description : null,
      contentType: file.type,
      filename: (file as File).name ?? "",
      bytes: Buffer.from(await file.arrayBuffer()),
      token: String(req.headers.authorization).slice("Bearer ".length),
      processing: state.mediaProcessing.polls,
    });
    if (state.mediaProcessing.polls > 0) {
      return {
        status: 202,
        headers: limitHeaders,
        body: { id, type: "image", url: null, preview_url: null, description: description ?? null },
      };
    }
    return {
      headers: limitHeaders,
      body: { id, type: "image", url: `${base}/system/media/${id}.png`, preview_url: null, description: description ?? null },
    };
  };

  const createStatus = (req: FakeRequest, limitHeaders: Record<string, string>, authed: boolean): FakeReply => {
    if (!authed) return { status: 401, headers: limitHeaders, body: { error: "The access token is invalid" } };
    const forced = state.postAnswers.shift();
    if (forced) return { ...forced, headers: { ...limitHeaders, ...forced.headers } };
    const key = req.headers["idempotency-key"] as string | undefined;
    const seen = key ? byIdempotencyKey.get(key) : undefined;
    if (seen) return { headers: limitHeaders, body: seen };
    let body: Record<string, unknown>;
    try {
      body = String(req.headers["content-type"]).startsWith("application/json")
        ? (JSON.parse(req.body) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(req.body));
    } catch {
      return { status: 400, headers: limitHeaders, body: { error: "Error parsing JSON" } };
    }
    const text = typeof body.status === "string" ? body.status : "";
    if (!text.trim()) return { status: 422, headers: limitHeaders, body: { error: "Validation failed: Text can't be blank" } };
    if (graphemes(text) > 500) {
      return { status: 422, headers: limitHeaders, body: { error: "Validation failed: Text character limit of 500 exceeded" } };
    }
    const visibility = body.visibility ?? "public";
    if (!["public", "unlisted", "private", "direct"].includes(String(visibility))) {
      return { status: 422, headers: limitHeaders, body: { error: "Validation failed: Visibility is not included in the list" } };
    }
    // media_ids: at most four, each uploaded by this account and not yet on a status.
    const mediaIds = Array.isArray(body.media_ids) ? body.media_ids.map(String) : [];
    if (mediaIds.length > 4)
      return { status: 422, headers: limitHeaders, body: { error: "Validation failed: Media attachments too many" } };
    for (const mediaId of mediaIds) {
      const known = state.media.find((m) => m.id === mediaId && m.token === state.token);
      const used = state.posted.some((p) => (p.body.media_ids as string[] | undefined)?.includes(mediaId));
      if (!known || used) return { status: 422, headers: limitHeaders, body: { error: `Validation failed: Media ${mediaId} is invalid` } };
      if (known.processing > 0) {
        return {
          status: 422,
          headers: limitHeaders,
          body: { error: "Cannot attach files that have not finished processing. Try again in a moment!" },
        };
      }
    }
    const parentId = body.in_reply_to_id === undefined || body.in_reply_to_id === null ? null : String(body.in_reply_to_id);
    if (parentId && !state.statuses.some((s) => s.id === parentId)) {
      return { status: 404, headers: limitHeaders, body: { error: "Record not found" } };
    }
    seq++;
    const id = String(seq);
    const status: MastodonStatus = {
      id,
      uri: `${base}/users/acme/statuses/${id}`,
      url: `${base}/@acme/${id}`,
      created_at: new Date().toISOString(),
      content: `<p>${escapeHtml(text)}</p>`,
      visibility: String(visibility),
      language: "en",
      in_reply_to_id: parentId,
      account: acme,
      reblog: null,
      ...(mediaIds.length
        ? {
            media_attachments: mediaIds.map((id) => ({
              id,
              type: "image",
              description: state.media.find((m) => m.id === id)?.description ?? null,
            })),
          }
        : {}),
    };
    state.statuses.push(status);
    if (key) byIdempotencyKey.set(key, status);
    state.posted.push({ idempotencyKey: key, authorization: req.headers.authorization, body, status });
    return { headers: limitHeaders, body: status };
  };
  const fake = await startFake(handler);
  base = fake.url;
  const out = Object.assign(fake, state, {
    addStatus: (over: Partial<MastodonStatus> & { tag?: string }) => {
      seq++;
      const id = String(seq);
      const { tag, ...rest } = over;
      const status: MastodonStatus = {
        id,
        uri: `${base}/users/kaito/statuses/${id}`,
        url: `${base}/@kaito/${id}`,
        created_at: new Date(Date.UTC(2026, 10, 24, 10, 0, Number(seq % 3600n))).toISOString(),
        content: `<p>Post ${id} about #acme</p>`,
        visibility: "public",
        language: "en",
        in_reply_to_id: null,
        account: statuses[0]?.account as MastodonStatus["account"],
        reblog: null,
        ...rest,
      };
      state.statuses.push(status);
      tags.set(id, [tag ?? "acme"]);
      return status;
    },
  });
  // state fields are live objects shared with the handler
  const publish = (over: Partial<MastodonStatus> & { tag?: string }) => {
    const status = out.addStatus(over);
    for (const res of listeners.get(`hashtag:${over.tag ?? "acme"}`) ?? []) {
      // As the streaming server sends them: the event name, then the JSON on one data line.
      res.write(`event: update\ndata: ${JSON.stringify(status)}\n\n`);
    }
    return status;
  };
  Object.assign(out, { listeners, publish });
  Object.defineProperty(out, "rateLimit", { get: () => state.rateLimit, set: (v) => (state.rateLimit = v) });
  return out as MastodonFake;
}
