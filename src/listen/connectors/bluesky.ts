import { createHash } from "node:crypto";
import { type AppBskyRichtextFacet, RichText } from "@atproto/api";
import WebSocket from "ws";
import { z } from "zod";
import type { NormalizedMessageInput } from "../../ingest";
import { checkUrl, guardedLookup, SafeFetchError } from "../../shared/safe-fetch";
import { compileQueries } from "../query";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { requestJson, USER_AGENT } from "./http";
import {
  type Connector,
  type ConnectorContext,
  ConnectorError,
  type PollResult,
  type ReplyAttachmentFile,
  type ReplyTarget,
} from "./types";

// Bluesky (AT Protocol): post search over XRPC, app.bsky.feed.searchPosts with
// sort=latest. Results come newest first; a poll asks only for posts since the
// newest one it stored and pages back to it with the cursor, so nothing in
// between is skipped. A search too large for one poll continues in the next.

export const blueskyConfigSchema = z
  .object({
    service_url: httpUrl("AppView's address").default("https://public.api.bsky.app"),
    /** Where the account that replies keeps its repository (its PDS); replies are written there. */
    pds_url: httpUrl("PDS address, e.g. https://bsky.social").default("https://bsky.social"),
    query: z.string({ message: "is required: the search query" }).trim().min(1).max(500),
    lang: z.string().trim().min(2).max(10).optional(),
    /** Also listen live on the public Jetstream firehose, filtered by the query here. */
    stream: z.boolean().optional(),
    jetstream_url: z
      .string()
      .trim()
      .regex(/^wss?:\/\//, { message: "must be a ws:// or wss:// URL" })
      .default("wss://jetstream2.us-east.bsky.network"),
    poll_interval_seconds: pollInterval,
  })
  .strict();
export type BlueskyConfig = z.infer<typeof blueskyConfigSchema>;

type BlueskyCursor = {
  /** indexedAt of the newest post stored: the next search starts there (inclusive). */
  since?: string;
  /** A search that did not fit in one poll: where it continues. */
  pending?: { cursor: string; since?: string; newest?: string };
};

export type PostView = {
  uri: string;
  cid?: string;
  author: { did: string; handle: string; displayName?: string };
  record: {
    text?: string;
    createdAt?: string;
    langs?: string[];
    reply?: { parent?: { uri?: string; cid?: string }; root?: { uri?: string; cid?: string } };
    embed?: { $type?: string; record?: { uri?: string; record?: { uri?: string } } };
  };
  indexedAt?: string;
};
type SearchAnswer = { posts?: PostView[]; cursor?: string; hitsTotal?: number };

const LIMIT = 100;
const MAX_PAGES = 5;

function validDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

export function postToMessage(post: PostView, now: Date): NormalizedMessageInput {
  const rkey = post.uri.split("/").pop() ?? "";
  const handle = post.author.handle;
  const embed = post.record.embed;
  const quoted =
    embed?.$type === "app.bsky.embed.record"
      ? embed.record?.uri
      : embed?.$type === "app.bsky.embed.recordWithMedia"
        ? embed.record?.record?.uri
        : undefined;
  return {
    network: "bluesky",
    external_id: post.uri,
    url: `https://bsky.app/profile/${handle}/post/${rkey}`,
    author: {
      id: post.author.did,
      handle,
      display_name: post.author.displayName || handle,
      profile_url: `https://bsky.app/profile/${handle}`,
    },
    text: post.record.text ?? "",
    language: post.record.langs?.[0] ?? null,
    created_at: validDate(post.record.createdAt) ?? validDate(post.indexedAt) ?? now.toISOString(),
    in_reply_to: post.record.reply?.parent?.uri ?? null,
    quote_of: quoted ?? null,
    raw: post,
  };
}

const errorDetail = (body: unknown) => {
  const b = body as { error?: unknown; message?: unknown };
  return typeof b?.message === "string" ? b.message : typeof b?.error === "string" ? b.error : null;
};

function search(ctx: ConnectorContext<BlueskyConfig>, params: Record<string, string | undefined>) {
  const url = new URL(`${ctx.config.service_url.replace(/\/+$/, "")}/xrpc/app.bsky.feed.searchPosts`);
  url.searchParams.set("q", ctx.config.query);
  url.searchParams.set("sort", "latest");
  if (ctx.config.lang) url.searchParams.set("lang", ctx.config.lang);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  const headers: Record<string, string> = { "user-agent": USER_AGENT };
  if (ctx.credentials.access_token) headers.authorization = `Bearer ${ctx.credentials.access_token}`;
  return requestJson<SearchAnswer>(ctx, url.toString(), { label: "Bluesky", style: "bluesky", headers, errorDetail });
}

/** A Jetstream commit event (JSON over WebSocket). */
export type JetstreamEvent = {
  did: string;
  time_us: number;
  kind: "commit" | "identity" | "account";
  commit?: { operation: "create" | "update" | "delete"; collection: string; rkey: string; cid?: string; record?: PostView["record"] };
};

export function jetstreamToMessage(e: JetstreamEvent, now: Date): NormalizedMessageInput | null {
  const c = e.commit;
  if (e.kind !== "commit" || !c || c.operation !== "create" || c.collection !== "app.bsky.feed.post" || !c.record) return null;
  // The firehose names authors by DID only; the search poll fills in handles and names.
  return postToMessage(
    { uri: `at://${e.did}/${c.collection}/${c.rkey}`, cid: c.cid, author: { did: e.did, handle: e.did }, record: c.record },
    now,
  );
}

/** Matches firehose posts against the channel's query (the listening query language; plain words if it does not parse). */
function firehoseFilter(query: string): (text: string, language?: string | null) => boolean {
  try {
    const match = compileQueries([query]);
    return (text, language) => match({ text, language });
  } catch {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (text) => words.every((w) => text.toLowerCase().includes(w));
  }
}

// ---------- Replies: a post in the replying account's repository (com.atproto.repo.putRecord)

type StrongRef = { uri: string; cid: string };
type Session = { accessJwt: string; did: string; handle?: string };

const TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";

/**
 * A record key in the TID format posts use (53 bits of microseconds, 10 bits of clock id,
 * base32-sortable), made from the reply's time and key: every attempt writes the same record,
 * so a repeat after a lost answer updates it instead of posting twice.
 */
export function replyRecordKey(writtenAt: Date, idempotencyKey: string): string {
  const micros = BigInt(writtenAt.getTime()) * 1000n;
  const clock = BigInt(Number.parseInt(createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 3), 16) & 0x3ff);
  let v = (micros << 10n) | clock;
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = (TID_ALPHABET[Number(v & 31n)] as string) + out;
    v >>= 5n;
  }
  return out;
}

/** The reply's root and parent: the parent is the post answered, the root its thread's first post. */
function replyRefs(target: Pick<ReplyTarget, "raw">): { root: StrongRef; parent: StrongRef } {
  const post = target.raw as Partial<PostView> | null;
  if (!post?.uri || !post.cid) {
    throw new ConnectorError(
      "bad_response",
      "Parley did not keep this post's cid, which Bluesky needs to thread a reply; wait for the next poll",
    );
  }
  const parent = { uri: post.uri, cid: post.cid };
  const root = post.record?.reply?.root;
  return { parent, root: root?.uri && root.cid ? { uri: root.uri, cid: root.cid } : parent };
}

const pds = (c: BlueskyConfig) => c.pds_url.replace(/\/+$/, "");

/**
 * The reply's rich-text facets (links, #tags and @mentions at UTF-8 byte offsets), detected by the
 * official @atproto/api RichText. A mention's facet names a DID, so each handle is resolved through
 * com.atproto.identity.resolveHandle; a handle that does not resolve stays plain text.
 */
async function replyFacets(ctx: ConnectorContext<BlueskyConfig>, text: string): Promise<AppBskyRichtextFacet.Main[]> {
  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  const dids = new Map<string, string | null>();
  const out: AppBskyRichtextFacet.Main[] = [];
  for (const facet of rt.facets ?? []) {
    const features: AppBskyRichtextFacet.Main["features"] = [];
    for (const feature of facet.features) {
      if (feature.$type !== "app.bsky.richtext.facet#mention") {
        features.push(feature);
        continue;
      }
      const handle = String((feature as AppBskyRichtextFacet.Mention).did);
      if (!dids.has(handle)) dids.set(handle, await resolveHandle(ctx, handle));
      const did = dids.get(handle);
      if (did) features.push({ $type: "app.bsky.richtext.facet#mention", did });
    }
    if (features.length) out.push({ index: facet.index, features });
  }
  return out;
}

async function resolveHandle(ctx: ConnectorContext<BlueskyConfig>, handle: string): Promise<string | null> {
  const url = `${pds(ctx.config)}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(handle)}`;
  try {
    const { body } = await requestJson<{ did?: string }>(ctx, url, {
      label: "Bluesky",
      style: "bluesky",
      headers: { "user-agent": USER_AGENT },
      errorDetail,
    });
    return typeof body?.did === "string" && body.did.startsWith("did:") ? body.did : null;
  } catch (err) {
    if (err instanceof ConnectorError && (err.kind === "rate_limited" || err.kind === "unavailable")) throw err;
    return null;
  }
}

async function createSession(ctx: ConnectorContext<BlueskyConfig>): Promise<Session> {
  const { body } = await requestJson<Session>(ctx, `${pds(ctx.config)}/xrpc/com.atproto.server.createSession`, {
    label: "Bluesky",
    style: "bluesky",
    method: "POST",
    headers: { "user-agent": USER_AGENT },
    json: { identifier: ctx.credentials.identifier, password: ctx.credentials.app_password },
    errorDetail,
  });
  if (!body?.accessJwt || !body.did) throw new ConnectorError("bad_response", "Bluesky signed in but did not give a session");
  return body;
}

type BlobRef = { $type: "blob"; ref: { $link: string }; mimeType: string; size: number };

/**
 * com.atproto.repo.uploadBlob: the image's bytes as the body with their content type; the PDS
 * answers the blob ref that the post's app.bsky.embed.images names (a blob no record names
 * within a while is deleted, so a retry uploads again).
 */
async function uploadBlob(ctx: ConnectorContext<BlueskyConfig>, session: Session, file: ReplyAttachmentFile): Promise<BlobRef> {
  const { body } = await requestJson<{ blob?: BlobRef }>(ctx, `${pds(ctx.config)}/xrpc/com.atproto.repo.uploadBlob`, {
    label: "Bluesky",
    style: "bluesky",
    method: "POST",
    headers: { "user-agent": USER_AGENT, authorization: `Bearer ${session.accessJwt}` },
    raw: { contentType: file.contentType, data: file.bytes },
    errorDetail,
  });
  if (!body?.blob?.ref?.$link) throw new ConnectorError("bad_response", "Bluesky accepted the image but did not answer its blob ref");
  return body.blob;
}

export const blueskyConnector: Connector<BlueskyConfig> = {
  network: "bluesky",
  defaultIntervalMs: 2 * 60_000,

  validateConfig: (config) => parseConfig(blueskyConfigSchema, config),

  // app.bsky.embed.images: four images, each blob at most 1,000,000 bytes (the lexicon's maxSize).
  replyAttachments: { max: 4, maxBytes: 1_000_000 },

  replyBlocker: (ctx) =>
    ctx.credentials.identifier && ctx.credentials.app_password
      ? null
      : "Replying on Bluesky needs the account's identifier and an app_password in the channel's credentials (Settings → Channels).",

  // Sign in to the PDS (com.atproto.server.createSession), then write an app.bsky.feed.post whose
  // `reply` holds strong refs {uri, cid} to the thread's root and the post answered.
  async reply(ctx, target, text, _visibility, attachments = []) {
    const refs = replyRefs(target);
    const session = await createSession(ctx);
    const rkey = replyRecordKey(target.writtenAt, target.idempotencyKey);
    const facets = await replyFacets(ctx, text);
    const images = [];
    for (const file of attachments) {
      images.push({
        alt: file.alt ?? "",
        image: await uploadBlob(ctx, session, file),
        ...(file.width && file.height ? { aspectRatio: { width: file.width, height: file.height } } : {}),
      });
    }
    const { body } = await requestJson<StrongRef>(ctx, `${pds(ctx.config)}/xrpc/com.atproto.repo.putRecord`, {
      label: "Bluesky",
      style: "bluesky",
      method: "POST",
      headers: { "user-agent": USER_AGENT, authorization: `Bearer ${session.accessJwt}` },
      json: {
        repo: session.did,
        collection: "app.bsky.feed.post",
        rkey,
        record: {
          $type: "app.bsky.feed.post",
          text,
          createdAt: target.writtenAt.toISOString(),
          reply: refs,
          ...(facets.length ? { facets } : {}),
          ...(images.length ? { embed: { $type: "app.bsky.embed.images", images } } : {}),
        },
      },
      errorDetail,
    });
    if (!body?.uri) throw new ConnectorError("bad_response", "Bluesky accepted the reply but did not say its uri");
    return { externalId: body.uri, url: `https://bsky.app/profile/${session.handle ?? session.did}/post/${rkey}` };
  },

  async test(ctx) {
    const { body } = await search(ctx, { limit: "1" });
    const hits = body.hitsTotal ?? body.posts?.length ?? 0;
    return { ok: true, detail: `Bluesky search works: "${ctx.config.query}" finds ${hits}${body.hitsTotal ? "" : "+"} post(s)` };
  },

  wantsStream: (config) => Boolean(config.stream),

  async stream(ctx, onMessages) {
    const url = `${ctx.config.jetstream_url.replace(/\/+$/, "")}/subscribe?wantedCollections=app.bsky.feed.post`;
    try {
      checkUrl(url.replace(/^ws/, "http")); // the same address rules as every outbound request
    } catch (err) {
      if (err instanceof SafeFetchError) throw new ConnectorError("config", err.message);
      throw err;
    }
    const wanted = firehoseFilter(ctx.config.query);
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, {
        headers: { "user-agent": USER_AGENT },
        lookup: guardedLookup as never,
        handshakeTimeout: 20_000,
      });
      let delivering: Promise<void> = Promise.resolve();
      const abort = () => socket.close(1000);
      ctx.signal?.addEventListener("abort", abort, { once: true });
      socket.on("message", (data) => {
        let event: JetstreamEvent;
        try {
          event = JSON.parse(data.toString()) as JetstreamEvent;
        } catch {
          return;
        }
        const message = jetstreamToMessage(event, ctx.now());
        if (!message || !wanted(message.text, message.language)) return;
        delivering = delivering.then(() => onMessages([message])).catch(() => undefined);
      });
      socket.on("error", (err) => reject(new ConnectorError("unavailable", `Bluesky Jetstream: ${err.message}`)));
      socket.on("close", () => {
        ctx.signal?.removeEventListener("abort", abort);
        delivering.then(() => resolve());
      });
    });
  },

  async poll(ctx): Promise<PollResult> {
    const state = ctx.state as BlueskyCursor;
    const now = ctx.now();
    const since = state.pending?.since ?? state.since;
    let cursor = state.pending?.cursor;
    let newest = state.pending?.newest;
    const messages: NormalizedMessageInput[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      let answer: Awaited<ReturnType<typeof search>>;
      try {
        answer = await search(ctx, { limit: String(LIMIT), cursor, since });
      } catch (err) {
        if (err instanceof ConnectorError && err.kind === "rate_limited" && messages.length > 0 && cursor && err.retryAt) {
          return {
            messages,
            state: { since: state.since, pending: { cursor, since, newest } },
            nextPollMs: Math.max(1000, err.retryAt.getTime() - now.getTime()),
          };
        }
        throw err;
      }
      const posts = Array.isArray(answer.body.posts) ? answer.body.posts : [];
      for (const post of posts) {
        if (!post?.uri || !post.author?.did) continue;
        messages.push(postToMessage(post, now));
        const at = validDate(post.indexedAt) ?? validDate(post.record?.createdAt);
        if (at && (!newest || at > newest)) newest = at;
      }
      cursor = answer.body.cursor;
      const done = !cursor || posts.length === 0 || !since; // first poll: the newest page only
      if (done) return { messages, state: { since: newest ?? state.since } };
      if (answer.waitMs)
        return { messages, state: { since: state.since, pending: { cursor: cursor as string, since, newest } }, nextPollMs: answer.waitMs };
    }
    return { messages, state: { since: state.since, pending: { cursor: cursor as string, since, newest } }, nextPollMs: 5_000 };
  },
};
