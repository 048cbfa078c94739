import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PostView } from "../../../src/listen/connectors/bluesky";
import { type Fake, type FakeReply, startFake } from "./server";

// A Bluesky AppView's XRPC endpoint app.bsky.feed.searchPosts as its lexicon
// defines it: q (required), sort (top | latest), since (inclusive) / until,
// lang, limit (1–100, default 25), an opaque cursor; output { cursor?,
// hitsTotal?, posts: postView[] }; RateLimit-* headers (reset in Unix seconds)
// and XRPC error bodies { error, message }. As a PDS: com.atproto.server.createSession
// (identifier + app password → accessJwt, did) and com.atproto.repo.putRecord, checked as the
// lexicons say (Bearer token of a session, repo = its did, an app.bsky.feed.post of at most 300
// graphemes whose reply refs name a known post by uri and cid); written records land in `written`.

export type WrittenRecord = { rkey: string; repo: string; record: Record<string, unknown>; uri: string };

/** A blob uploaded through com.atproto.repo.uploadBlob: the bytes as the PDS stored them. */
export type UploadedBlob = { cid: string; mimeType: string; size: number; bytes: Buffer };

export type BlueskyFake = Fake & {
  /** Blobs uploaded through com.atproto.repo.uploadBlob, in order. */
  blobs: UploadedBlob[];
  posts: PostView[];
  rateLimit: { remaining: number; reset: number };
  addPost: (text?: string) => PostView;
  account: { identifier: string; password: string; did: string; handle: string };
  written: WrittenRecord[];
};

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/connectors/bluesky-search-posts.json");

export async function startBlueskyFake(): Promise<BlueskyFake> {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { posts: PostView[] };
  const state = { posts: [...fixture.posts], rateLimit: { remaining: 3000, reset: Math.floor(Date.parse("2026-11-24T12:05:00Z") / 1000) } };
  let seq = 0;
  const account = { identifier: "acme.bsky.social", password: "app-pass-1234", did: "did:plc:acmebrand", handle: "acme.bsky.social" };
  const sessions = new Set<string>();
  const written: WrittenRecord[] = [];
  const blobs: UploadedBlob[] = [];
  // app.bsky.embed.images as its lexicon checks it: 1–4 images, each { image: a blob ref this PDS
  // holds (its $link, mimeType image/*, size at most 1,000,000), alt: a string }.
  const embedError = (embed: unknown): string | null => {
    if (embed === undefined) return null;
    const e = embed as { $type?: unknown; images?: unknown };
    if (e.$type !== "app.bsky.embed.images") return "Record/embed must be a known embed type";
    if (!Array.isArray(e.images) || e.images.length === 0 || e.images.length > 4)
      return "Record/embed/images must be an array of 1 to 4 images";
    for (const img of e.images as {
      image?: { $type?: unknown; ref?: { $link?: unknown }; mimeType?: unknown; size?: unknown };
      alt?: unknown;
    }[]) {
      if (typeof img.alt !== "string") return 'Record/embed/images must have the property "alt"';
      const ref = img.image;
      if (ref?.$type !== "blob" || typeof ref.ref?.$link !== "string") return "Record/embed/images/image should be a blob ref";
      const held = blobs.find((b) => b.cid === ref.ref?.$link);
      if (!held) return `Could not find blob: ${String(ref.ref.$link)}`;
      if (!String(ref.mimeType).startsWith("image/") || held.mimeType !== ref.mimeType)
        return "Record/embed/images/image has the wrong mime type";
      if (held.size > 1_000_000) return "Record/embed/images/image is too big (max 1000000 bytes)";
    }
    return null;
  };
  const xrpcError = (status: number, error: string, message: string): FakeReply => ({ status, body: { error, message } });
  const isRef = (r: unknown) => {
    const ref = r as { uri?: unknown; cid?: unknown } | undefined;
    return state.posts.some((p) => p.uri === ref?.uri && p.cid === ref?.cid) || written.some((w) => w.uri === ref?.uri);
  };
  // Handles this fake's network knows (com.atproto.identity.resolveHandle), besides the account's own.
  const handles = new Map([
    [account.handle, account.did],
    ["kai.bsky.social", "did:plc:kaitomori3vj5p"],
  ]);
  // Facets as the lexicon (app.bsky.richtext.facet) checks them: UTF-8 byte slices inside the text,
  // mentions naming a DID, links naming a URI; returns what is wrong, or null.
  const facetError = (text: string, facets: unknown): string | null => {
    if (facets === undefined) return null;
    if (!Array.isArray(facets)) return "Record/facets must be an array";
    const bytes = Buffer.byteLength(text, "utf8");
    for (const f of facets as { index?: { byteStart?: unknown; byteEnd?: unknown }; features?: unknown }[]) {
      const start = f.index?.byteStart;
      const end = f.index?.byteEnd;
      if (typeof start !== "number" || typeof end !== "number" || start < 0 || end <= start || end > bytes)
        return "Record/facets/index must be a byte slice inside the text";
      if (!Array.isArray(f.features) || f.features.length === 0) return "Record/facets/features must not be empty";
      for (const feature of f.features as { $type?: string; did?: unknown; uri?: unknown; tag?: unknown }[]) {
        if (feature.$type === "app.bsky.richtext.facet#mention" && !String(feature.did).startsWith("did:"))
          return "Record/facets/features/did must be a valid did";
        if (feature.$type === "app.bsky.richtext.facet#link" && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(String(feature.uri)))
          return "Record/facets/features/uri must be a valid uri";
        if (feature.$type === "app.bsky.richtext.facet#tag" && typeof feature.tag !== "string")
          return "Record/facets/features/tag must be a string";
      }
    }
    return null;
  };
  const pds = (req: {
    path: string;
    query: URLSearchParams;
    headers: Record<string, unknown>;
    body: string;
    raw: Buffer;
  }): FakeReply | null => {
    if (req.path === "/xrpc/com.atproto.repo.uploadBlob") {
      const auth = String(req.headers.authorization ?? "");
      if (!sessions.has(auth.replace(/^Bearer /, ""))) return xrpcError(401, "AuthenticationRequired", "Authentication Required");
      const mimeType = String(req.headers["content-type"] ?? "");
      if (!mimeType || mimeType === "*/*") return xrpcError(400, "InvalidRequest", "A content type is required");
      if (req.raw.length === 0) return xrpcError(400, "InvalidRequest", "The blob is empty");
      const cid = `bafkreiblob${createHash("sha256").update(req.raw).digest("hex").slice(0, 20)}`;
      if (!blobs.some((b) => b.cid === cid)) blobs.push({ cid, mimeType, size: req.raw.length, bytes: req.raw });
      return { body: { blob: { $type: "blob", ref: { $link: cid }, mimeType, size: req.raw.length } } };
    }
    if (req.path === "/xrpc/com.atproto.identity.resolveHandle") {
      const did = handles.get(req.query.get("handle") ?? "");
      return did ? { body: { did } } : xrpcError(400, "InvalidRequest", "Unable to resolve handle");
    }
    if (req.path === "/xrpc/com.atproto.server.createSession") {
      const b = JSON.parse(req.body || "{}") as { identifier?: string; password?: string };
      if (b.identifier !== account.identifier || b.password !== account.password)
        return xrpcError(401, "AuthenticationRequired", "Invalid identifier or password");
      const jwt = `jwt-${sessions.size + 1}`;
      sessions.add(jwt);
      return { body: { accessJwt: jwt, refreshJwt: `r${jwt}`, did: account.did, handle: account.handle } };
    }
    if (req.path === "/xrpc/com.atproto.repo.putRecord") {
      const auth = String(req.headers.authorization ?? "");
      if (!sessions.has(auth.replace(/^Bearer /, ""))) return xrpcError(401, "AuthenticationRequired", "Authentication Required");
      const b = JSON.parse(req.body || "{}") as { repo?: string; collection?: string; rkey?: string; record?: Record<string, unknown> };
      if (b.repo !== account.did) return xrpcError(400, "InvalidRequest", "Input/repo must be the authenticated account");
      if (b.collection !== "app.bsky.feed.post" || !b.rkey || !/^[234567a-z]{13}$/.test(b.rkey))
        return xrpcError(400, "InvalidRequest", "Invalid collection or record key");
      const text = String(b.record?.text ?? "");
      if ([...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].length > 300)
        return xrpcError(400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes");
      const badFacet = facetError(text, b.record?.facets);
      if (badFacet) return xrpcError(400, "InvalidRequest", `Invalid app.bsky.feed.post record: ${badFacet}`);
      const badEmbed = embedError(b.record?.embed);
      if (badEmbed) return xrpcError(400, "InvalidRequest", `Invalid app.bsky.feed.post record: ${badEmbed}`);
      const reply = b.record?.reply as { root?: unknown; parent?: unknown } | undefined;
      if (reply && !(isRef(reply.root) && isRef(reply.parent)))
        return xrpcError(400, "InvalidRequest", "Invalid app.bsky.feed.post record: reply refs must be strong refs to existing posts");
      const uri = `at://${account.did}/app.bsky.feed.post/${b.rkey}`;
      const existing = written.findIndex((w) => w.uri === uri);
      const entry = { rkey: b.rkey, repo: b.repo, record: b.record ?? {}, uri };
      if (existing >= 0) written[existing] = entry;
      else written.push(entry);
      return { body: { uri, cid: `bafyreply${written.length}` } };
    }
    return null;
  };
  const fake = await startFake((req): FakeReply => {
    const wrote = pds(req);
    if (wrote) return wrote;
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
    account,
    written,
    blobs,
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
