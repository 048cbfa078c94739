import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { htmlToText, type NormalizedMessageInput } from "../../ingest";
import { httpUrl, parseConfig, pollInterval } from "./config";
import { boundedIds, request, USER_AGENT } from "./http";
import { type Connector, type ConnectorContext, ConnectorError, type PollResult } from "./types";

// RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds: blogs, blog comments, review
// sites, forums, news. Conditional GET (ETag / Last-Modified) so an unchanged
// feed costs one empty answer; real-world feeds are often not well-formed XML,
// so parsing is lenient and every field is optional.

export const rssConfigSchema = z
  .object({
    feed_url: httpUrl("feed's address"),
    /** Post these entries as reviews or community posts rather than plain feed items. */
    network: z.enum(["rss", "review", "community"]).default("rss"),
    poll_interval_seconds: pollInterval,
  })
  .strict();
export type RssConfig = z.infer<typeof rssConfigSchema>;

type RssCursor = { etag?: string; last_modified?: string; seen?: string[]; newest?: string };

const SEEN_MAX = 1000;
const ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  processEntities: true,
  // Feeds have one or many of these; always a list keeps the code simple.
  isArray: (name) => ["item", "entry", "link", "category", "author", "dc:creator", "thr:in-reply-to"].includes(name),
});

type Node = Record<string, unknown>;

/** The text of a node that may be a string, a {#text} object or a list of either. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === "object") return textOf((value as Node)["#text"]);
  return undefined;
}

function attr(value: unknown, name: string): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = (value as Node)[`@_${name}`];
  return typeof v === "string" ? v.trim() || undefined : undefined;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

function parseDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let at = Date.parse(value);
  // "Tue, 24 Nov 2026 10:00:00 +0000 (UTC)" and similar decorations
  if (Number.isNaN(at)) at = Date.parse(value.replace(/\s*\(.*\)\s*$/, "").replace(/^[A-Za-z]+,?\s*/, ""));
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/** Decodes the body with the charset the feed declares (XML prolog, then Content-Type). */
function decode(bytes: Buffer, contentType: string | null): string {
  const head = bytes.subarray(0, 200).toString("latin1");
  const declared = /encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? /charset=([\w.:-]+)/i.exec(contentType ?? "")?.[1] ?? "utf-8";
  try {
    return new TextDecoder(declared.toLowerCase(), { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return bytes.toString("utf8").replace(/^\uFEFF/, "");
  }
}

type FeedEntry = {
  id: string;
  url?: string;
  title?: string;
  html?: string;
  authorName?: string;
  authorId?: string;
  authorUrl?: string;
  date?: string;
  inReplyTo?: string;
  raw: unknown;
};

type ParsedFeed = { title?: string; link?: string; entries: FeedEntry[] };

function isAbsoluteId(id: string) {
  return /^[a-z][a-z0-9+.-]*:/i.test(id);
}

/**
 * Many feeds put raw HTML in <description> or <content> without CDATA, so an
 * unclosed <br> or <p> would swallow the rest of the item. Wrap such bodies in
 * CDATA before parsing (a body never spans into the next item).
 *
 * A body runs from its opening tag to the first closing tag of the same name,
 * unless an item or entry starts or ends first. This is found with cursors that
 * only move forward (a regex with a lazy body took quadratic time on a feed of
 * many unclosed bodies: 9 s for 360 KB).
 */
const BODY_OPEN = /<(description|content:encoded|content|summary)(\s[^>]{0,1000})?>/g;
const ENTRY_EDGE = /<\/?(?:item|entry)[\s>]/g;

function protectHtmlBodies(xml: string): string {
  const edges = Array.from(xml.matchAll(ENTRY_EDGE), (m) => m.index);
  const closes = new Map<string, { at: number[]; next: number }>();
  const closesOf = (tag: string) => {
    let c = closes.get(tag);
    if (!c) {
      c = { at: [], next: 0 };
      for (let i = xml.indexOf(`</${tag}>`); i >= 0; i = xml.indexOf(`</${tag}>`, i + 1)) c.at.push(i);
      closes.set(tag, c);
    }
    return c;
  };
  let edge = 0;
  let out = "";
  let copied = 0;
  const open = new RegExp(BODY_OPEN.source, "g");
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const tag = m[1] as string;
    const innerStart = m.index + m[0].length;
    const c = closesOf(tag);
    while (c.next < c.at.length && (c.at[c.next] as number) < innerStart) c.next++;
    while (edge < edges.length && (edges[edge] as number) < innerStart) edge++;
    const close = c.at[c.next];
    if (close === undefined || (edge < edges.length && (edges[edge] as number) < close)) {
      open.lastIndex = m.index + 1;
      continue;
    }
    const inner = xml.slice(innerStart, close);
    const end = close + tag.length + 3;
    if (inner.includes("<") && !/^\s*<!\[CDATA\[/.test(inner)) {
      out += `${xml.slice(copied, m.index)}<${tag}${m[2] ?? ""}><![CDATA[${inner.replaceAll("]]>", "]]]]><![CDATA[>")}]]></${tag}>`;
      copied = end;
    }
    open.lastIndex = end;
  }
  return copied === 0 ? xml : out + xml.slice(copied);
}

/** Items nested in items (an unclosed tag before them) are brought back up to the feed's level. */
function flattenEntries(entries: unknown[], key: "item" | "entry"): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown, depth: number) => {
    if (!node || typeof node !== "object" || depth > 50) return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === key) {
        for (const child of list(v)) {
          out.push(child);
          visit(child, depth + 1);
        }
        delete (node as Node)[k];
      } else if (v && typeof v === "object") {
        visit(v, depth + 1);
      }
    }
  };
  for (const e of entries) {
    out.push(e);
    visit(e, 0);
  }
  return out;
}

/** Parses RSS 2.0, RSS 1.0 or Atom 1.0; null when the document is not a feed at all. */
export function parseFeed(xml: string, feedUrl: string): ParsedFeed | null {
  let doc: Node;
  try {
    doc = parser.parse(protectHtmlBodies(xml)) as Node;
  } catch {
    return null;
  }
  const qualify = (id: string) => (isAbsoluteId(id) ? id : `${feedUrl}#${id}`);
  const absolute = (href: string | undefined, base?: string) => {
    if (!href) return undefined;
    try {
      return new URL(href, base ?? feedUrl).toString();
    } catch {
      return undefined;
    }
  };

  const atom = doc.feed as Node | undefined;
  if (atom && typeof atom === "object") {
    const feedLink = list(atom.link).find((l) => (attr(l, "rel") ?? "alternate") === "alternate");
    const feedAuthor = list(atom.author)[0] as Node | undefined;
    const entries = flattenEntries(list(atom.entry), "entry").flatMap((raw): FeedEntry[] => {
      const e = raw as Node;
      const links = list(e.link);
      const alternate = links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate") ?? links[0];
      const url = absolute(attr(alternate, "href") ?? textOf(alternate));
      const id = textOf(e.id) ?? url;
      if (!id) return [];
      const author = (list(e.author)[0] as Node | undefined) ?? feedAuthor;
      const content = e.content ?? e.summary;
      const replyTo = list(e["thr:in-reply-to"])[0];
      return [
        {
          id: qualify(id),
          url,
          title: textOf(e.title),
          html: textOf(content),
          authorName: textOf(author?.name),
          authorId: textOf(author?.uri) ?? textOf(author?.email),
          authorUrl: absolute(textOf(author?.uri)),
          date: parseDate(textOf(e.published) ?? textOf(e.updated) ?? textOf(e["dc:date"])),
          inReplyTo: attr(replyTo, "ref") ? qualify(attr(replyTo, "ref") as string) : undefined,
          raw,
        },
      ];
    });
    return { title: textOf(atom.title), link: absolute(attr(feedLink, "href")), entries };
  }

  const rss = (doc.rss as Node | undefined) ?? (doc["rdf:RDF"] as Node | undefined);
  if (rss && typeof rss === "object") {
    const channel = (list(rss.channel)[0] as Node | undefined) ?? {};
    const items = flattenEntries([...list(channel.item), ...list(rss.item)], "item");
    const feedLink = absolute(textOf(list(channel.link).find((l) => typeof l === "string" || textOf(l))));
    const entries = items.flatMap((raw): FeedEntry[] => {
      const e = raw as Node;
      const guid = e.guid;
      const link = absolute(textOf(list(e.link).find((l) => textOf(l))) ?? attr(e, "rdf:about"), feedLink);
      const guidText = textOf(guid);
      const guidIsLink = guidText && attr(guid, "isPermaLink") !== "false" && /^https?:\/\//i.test(guidText);
      const id = guidText ?? link ?? attr(e, "rdf:about");
      if (!id) return [];
      // RSS <author> is "email (Name)"; dc:creator is a name.
      const rawAuthor = textOf(e.author) ?? textOf(e["dc:creator"]);
      const emailName = rawAuthor ? /^\s*([^\s()]+@[^\s()]+)\s*(?:\((.+)\))?\s*$/.exec(rawAuthor) : null;
      const replyTo = list(e["thr:in-reply-to"])[0];
      return [
        {
          id: qualify(id),
          url: link ?? (guidIsLink ? guidText : undefined),
          title: textOf(e.title),
          html: textOf(e["content:encoded"]) ?? textOf(e.description),
          authorName: emailName ? (emailName[2] ?? emailName[1]) : rawAuthor,
          authorId: emailName ? emailName[1] : rawAuthor,
          date: parseDate(textOf(e.pubDate) ?? textOf(e["dc:date"]) ?? textOf(e["a10:updated"])),
          inReplyTo: attr(replyTo, "ref") ? qualify(attr(replyTo, "ref") as string) : undefined,
          raw,
        },
      ];
    });
    return { title: textOf(channel.title), link: feedLink, entries };
  }
  return null;
}

function toMessage(entry: FeedEntry, feed: ParsedFeed, config: RssConfig, now: Date): NormalizedMessageInput {
  const site = feed.title ?? new URL(config.feed_url).host;
  const authorId = entry.authorId ?? entry.authorName ?? feed.link ?? config.feed_url;
  const html = entry.html && /<[a-z!/]/i.test(entry.html) ? entry.html : undefined;
  const text = html ? htmlToText(html) : htmlToText(entry.html ?? "");
  const subject = entry.title ? htmlToText(entry.title).slice(0, 1000) : undefined;
  return {
    network: config.network,
    external_id: entry.id.slice(0, 500),
    url: entry.url?.slice(0, 2000),
    author: {
      id: authorId.slice(0, 300),
      handle: entry.authorName?.slice(0, 300) ?? null,
      display_name: (entry.authorName ?? site).slice(0, 300),
      profile_url: entry.authorUrl?.slice(0, 2000) ?? null,
    },
    text: (text || subject || "").slice(0, 100_000),
    html: html?.slice(0, 500_000),
    subject,
    created_at: entry.date ?? now.toISOString(),
    in_reply_to: entry.inReplyTo?.slice(0, 500),
    raw: entry.raw,
  };
}

async function fetchFeed(ctx: ConnectorContext<RssConfig>, conditional: boolean) {
  const cursor = ctx.state as RssCursor;
  const headers: Record<string, string> = { accept: ACCEPT, "user-agent": USER_AGENT };
  if (conditional && cursor.etag) headers["if-none-match"] = cursor.etag;
  if (conditional && cursor.last_modified) headers["if-modified-since"] = cursor.last_modified;
  const answer = await request(ctx, ctx.config.feed_url, { label: "The feed", style: "none", headers, accept: [304] });
  if (answer.response.status === 304) return { answer, feed: null };
  const xml = decode(answer.response.bytes, answer.response.headers.get("content-type"));
  const feed = parseFeed(xml, ctx.config.feed_url);
  if (!feed) {
    const looksHtml = /<html[\s>]/i.test(xml.slice(0, 2000));
    throw new ConnectorError(
      "bad_response",
      looksHtml
        ? "The address answered a web page, not an RSS or Atom feed"
        : "The address answered something that is not an RSS or Atom feed",
    );
  }
  return { answer, feed };
}

export const rssConnector: Connector<RssConfig> = {
  network: "rss",
  defaultIntervalMs: 10 * 60_000,

  validateConfig: (config) => parseConfig(rssConfigSchema, config),

  async test(ctx) {
    const { feed } = await fetchFeed(ctx, false);
    const entries = feed?.entries.length ?? 0;
    return {
      ok: true,
      detail: `Found the feed "${feed?.title ?? ctx.config.feed_url}" with ${entries} entr${entries === 1 ? "y" : "ies"}`,
    };
  },

  async poll(ctx): Promise<PollResult> {
    const cursor = ctx.state as RssCursor;
    const { answer, feed } = await fetchFeed(ctx, true);
    if (!feed) return { messages: [], state: cursor };
    const seen = new Set(cursor.seen ?? []);
    const now = ctx.now();
    const fresh = feed.entries.filter((e) => !seen.has(e.id));
    const messages = fresh.map((e) => toMessage(e, feed, ctx.config, now));
    const dates = messages.map((m) => m.created_at).sort();
    const newest = [cursor.newest, dates[dates.length - 1]]
      .filter((d): d is string => Boolean(d))
      .sort()
      .pop();
    const headers = answer.response.headers;
    return {
      messages,
      state: {
        etag: headers.get("etag") ?? undefined,
        last_modified: headers.get("last-modified") ?? undefined,
        // oldest first, so the bound drops the oldest
        seen: boundedIds([...(cursor.seen ?? []), ...[...fresh].reverse().map((e) => e.id)], SEEN_MAX),
        newest,
      },
    };
  },
};

/**
 * Review-site and community channels that name a feed_url are read as feeds: the same connector,
 * with the entries posted on the channel's own network (so a review channel's items are reviews).
 */
export function feedConnectorAs(network: "review" | "community"): Connector<RssConfig> {
  return {
    ...rssConnector,
    network,
    validateConfig: (config) => parseConfig(rssConfigSchema, { ...(config && typeof config === "object" ? config : {}), network }),
  };
}
