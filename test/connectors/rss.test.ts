import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { ConnectorError } from "../../src/listen/connectors";
import { rssConnector } from "../../src/listen/connectors/rss";
import { type FeedFake, fixture, startFeedFake } from "./fakes/feeds";
import { allowPrivateUrls, contextFor } from "./fakes/server";

let fake: FeedFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startFeedFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

const LAST_MODIFIED = "Tue, 24 Nov 2026 09:30:00 GMT";

describe("RSS/Atom connector", () => {
  it("reads an RSS 2.0 feed into normalized messages", async () => {
    fake.publish("/blog/feed", fixture("rss2-blog.xml"), LAST_MODIFIED);
    const result = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/blog/feed` }));
    expect(result.messages).toHaveLength(3);
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success).toBe(true);
    const [grinder, hours, cupping] = result.messages;
    expect(grinder).toMatchObject({
      network: "rss",
      external_id: "https://blog.tinroof.example/2026/11/acme-grinder-pro/",
      url: "https://blog.tinroof.example/2026/11/acme-grinder-pro/",
      subject: "Why we switched to the Acme Grinder Pro",
      author: { id: "Marta Lindqvist", display_name: "Marta Lindqvist" },
      created_at: "2026-11-24T09:30:00.000Z",
    });
    expect(grinder?.text).toContain("the hopper lid cracked in week two");
    expect(grinder?.html).toContain("<strong>Acme Grinder Pro</strong>"); // the pipeline sanitizes it when storing
    // A guid that is not a URL is made unique to this feed; the RSS author is "email (name)".
    expect(hours?.external_id).toBe(`${fake.url}/blog/feed#tinroof-post-1187`);
    expect(hours?.author).toMatchObject({ id: "hello@tinroof.example", display_name: "The Tin Roof team" });
    // No guid: the link is the id; entity-encoded HTML becomes text.
    expect(cupping?.external_id).toBe("https://blog.tinroof.example/2026/11/cupping-guji/");
    expect(cupping?.text).toBe("Blueberry, jasmine and a long finish.");
    expect(cupping?.created_at).toBe("2026-11-20T13:00:00.000Z");
    expect(result.state).toMatchObject({ last_modified: LAST_MODIFIED });
    expect(result.state.etag).toMatch(/^"/);
  });

  it("reads Atom comment feeds and links each comment to what it answers", async () => {
    fake.publish("/blog/comments", fixture("atom-comments.xml"), LAST_MODIFIED, "application/atom+xml");
    const result = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/blog/comments`, network: "community" }));
    expect(result.messages.map((m) => [m.external_id, m.in_reply_to])).toEqual([
      ["https://blog.tinroof.example/?p=2201#comment-41", "https://blog.tinroof.example/2026/11/acme-grinder-pro/"],
      ["https://blog.tinroof.example/?p=2201#comment-42", "https://blog.tinroof.example/?p=2201#comment-41"],
    ]);
    expect(result.messages[0]).toMatchObject({
      network: "community",
      author: { id: "https://samokafor.example", display_name: "Sam Okafor", profile_url: "https://samokafor.example/" },
      created_at: "2026-11-24T10:02:00.000Z",
      text: "Same thing happened to my lid. Acme sent a new one after I emailed them twice.",
    });
    expect(result.messages[1]?.text).toBe("Thanks Sam — which address did you write to?");
  });

  it("is lenient with malformed real-world feeds", async () => {
    fake.publish("/forum.rss", fixture("rss-malformed.xml"), LAST_MODIFIED, "text/xml");
    const now = new Date("2026-11-24T12:00:00Z");
    const result = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/forum.rss` }, { now: () => now }));
    // An unescaped <br> and an unclosed <description> do not swallow the items after them.
    expect(result.messages).toHaveLength(3);
    expect(result.messages[1]).toMatchObject({ subject: "Best beans for espresso?", text: "Looking for suggestions & tips" });
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success, JSON.stringify(m)).toBe(true);
    const lid = result.messages.find((m) => m.external_id === "https://forum.grinders.example/t/acme-pro-lid/881");
    expect(lid).toMatchObject({ author: { id: "grindhard" }, created_at: "2026-11-24T06:45:00.000Z" });
    expect(lid?.text).toContain("R&D at Acme");
    expect(lid?.subject).toBe("Acme Pro lid cracked – anyone else?");
    // An unreadable date becomes the time it was first seen.
    const support = result.messages.find((m) => m.external_id.endsWith("#forum-883"));
    expect(support).toMatchObject({ created_at: now.toISOString(), text: "Credit where due: Acme replaced my part." });
  });

  it("asks with If-None-Match / If-Modified-Since and gets nothing new on 304", async () => {
    fake.publish("/cond/feed", fixture("rss2-blog.xml"), LAST_MODIFIED);
    const first = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/cond/feed` }));
    expect(first.messages).toHaveLength(3);
    const again = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/cond/feed` }, { state: first.state }));
    expect(again.messages).toEqual([]);
    expect(again.state).toEqual(first.state);
    const last = fake.requests.filter((r) => r.path === "/cond/feed").pop();
    expect(last?.headers["if-none-match"]).toBe(first.state.etag);
    expect(last?.headers["if-modified-since"]).toBe(LAST_MODIFIED);

    // A new post: the feed changes, only the new entry comes through.
    const updated = fixture("rss2-blog.xml").replace(
      "<item>",
      `<item><title>Acme replied!</title><link>https://blog.tinroof.example/2026/11/acme-replied/</link><pubDate>Tue, 24 Nov 2026 11:00:00 GMT</pubDate><description>They sent a new lid.</description></item><item>`,
    );
    fake.publish("/cond/feed", updated, "Tue, 24 Nov 2026 11:00:00 GMT");
    const third = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/cond/feed` }, { state: again.state }));
    expect(third.messages.map((m) => m.external_id)).toEqual(["https://blog.tinroof.example/2026/11/acme-replied/"]);
    expect(third.state.etag).not.toBe(first.state.etag);
  });

  it("says in words what went wrong", async () => {
    const missing = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/nope` })).catch((e) => e);
    expect(missing).toBeInstanceOf(ConnectorError);
    expect(missing.message).toBe("The feed answered 404 Not Found");

    fake.publish("/page", "<!doctype html><html><head><title>Shop</title></head><body>Hello</body></html>", LAST_MODIFIED, "text/html");
    const page = await rssConnector.poll(contextFor(rssConnector, { feed_url: `${fake.url}/page` })).catch((e) => e);
    expect(page.message).toBe("The address answered a web page, not an RSS or Atom feed");

    const now = new Date("2026-11-24T12:00:00Z");
    fake.throttle(true, "120");
    try {
      const limited = await rssConnector
        .poll(contextFor(rssConnector, { feed_url: `${fake.url}/blog/feed` }, { now: () => now }))
        .catch((e) => e);
      expect(limited.kind).toBe("rate_limited");
      expect(limited.retryAt.toISOString()).toBe("2026-11-24T12:02:00.000Z");
      expect(limited.message).toBe("Rate limited by The feed until 12:02 UTC");
      fake.throttle(true, "Tue, 24 Nov 2026 12:30:00 GMT");
      const dated = await rssConnector
        .poll(contextFor(rssConnector, { feed_url: `${fake.url}/blog/feed` }, { now: () => now }))
        .catch((e) => e);
      expect(dated.retryAt.toISOString()).toBe("2026-11-24T12:30:00.000Z");
    } finally {
      fake.throttle(false);
    }
  });

  it("names the field when the config is wrong", () => {
    expect(() => rssConnector.validateConfig({})).toThrow(/config\.feed_url/);
    expect(() => rssConnector.validateConfig({ feed_url: "ftp://x.example/feed" })).toThrow(/config\.feed_url/);
    expect(() => rssConnector.validateConfig({ feed_url: "https://x.example/feed", colour: "red" })).toThrow(/config\.colour/);
  });
});
