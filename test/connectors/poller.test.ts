import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ingestor, Notifier } from "../../src/ingest";
import { type ChannelPollState, Poller } from "../../src/listen/poller";
import * as store from "../../src/store/listening";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "../support/app";
import { type FeedFake, fixture, startFeedFake } from "./fakes/feeds";
import { allowPrivateUrls, fixedClock } from "./fakes/server";
import { startXFake, type XFake } from "./fakes/x";

// The poller on a real database: messages go through the pipeline, the
// cursor is saved only after they are committed, and a new Poller on the same
// store (a restart) carries on from it.

let t: TestApp;
let feeds: FeedFake;
let x: XFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  t = await startTestApp();
  feeds = await startFeedFake();
  x = await startXFake();
});
afterAll(async () => {
  restoreEnv();
  await feeds?.close();
  await x?.close();
  await t?.close();
});

const LAST_MODIFIED = "Tue, 24 Nov 2026 09:30:00 GMT";

async function channel(c: Caller, body: Record<string, unknown>) {
  const res = await c.request("POST", "/api/v1/channels", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function messages(c: Caller, channelId: string) {
  const res = await c.request("GET", `/api/v1/messages?channel_id=${channelId}&limit=200`);
  return (res.json() as { data: Array<{ external_id: string }> }).data.map((m) => m.external_id);
}

const row = async (c: Caller, id: string) => {
  const found = await store.findChannel(t.db, c.workspaceId, id);
  if (!found) throw new Error("channel vanished");
  return found;
};

function pollerAt(clock: ReturnType<typeof fixedClock>) {
  return new Poller(t.db, new Ingestor(t.db, new Notifier()), { now: clock.now, tickMs: 60_000 });
}

describe("poller", () => {
  it("stores what a feed has, and after a restart only what is new — no duplicates, no gaps", async () => {
    const c = await newWorkspace(t);
    feeds.publish("/restart/feed", fixture("rss2-blog.xml"), LAST_MODIFIED);
    const ch = await channel(c, { name: "Tin Roof blog", network: "rss", config: { feed_url: `${feeds.url}/restart/feed` } });
    const clock = fixedClock();

    const first = pollerAt(clock);
    const [outcome] = (await first.tick()).filter((o) => o.channel_id === ch.id);
    expect(outcome).toMatchObject({ status: "ok", stored: 3, received: 3 });
    await first.stop();
    expect((await messages(c, ch.id)).sort()).toHaveLength(3);
    const saved = await row(c, ch.id);
    expect(saved.status).toBe("ok");
    expect(saved.last_error).toBeNull();
    expect(Number(saved.items_total)).toBe(3);
    const state = saved.state as ChannelPollState;
    expect(state.cursor).toMatchObject({ last_modified: LAST_MODIFIED });
    expect(state.next_poll_at).toBe("2026-11-24T12:10:00.000Z"); // the feed's default interval

    // While stopped, the blog publishes two posts and its feed drops the oldest.
    const updated = fixture("rss2-blog.xml")
      .replace(
        "<item>",
        `<item><title>Acme replied</title><link>https://blog.tinroof.example/a/</link><pubDate>Tue, 24 Nov 2026 11:00:00 GMT</pubDate><description>New lid arrived.</description></item>
         <item><title>Acme, again</title><link>https://blog.tinroof.example/b/</link><pubDate>Tue, 24 Nov 2026 11:30:00 GMT</pubDate><description>Second lid.</description></item><item>`,
      )
      .replace(/<item>\s*<title>Cupping notes[\s\S]*?<\/item>/, "");
    feeds.publish("/restart/feed", updated, "Tue, 24 Nov 2026 11:30:00 GMT");

    // Not due yet: nothing is fetched.
    const restarted = pollerAt(clock);
    const before = feeds.requests.length;
    expect((await restarted.tick()).filter((o) => o.channel_id === ch.id)).toEqual([]);
    expect(feeds.requests.length).toBe(before);

    clock.advance(10 * 60_000);
    const [second] = (await restarted.tick()).filter((o) => o.channel_id === ch.id);
    await restarted.stop();
    expect(second).toMatchObject({ status: "ok", stored: 2, received: 2, duplicates: 0 });
    const all = await messages(c, ch.id);
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    expect(Number((await row(c, ch.id)).items_total)).toBe(5);
  });

  it("a crash after the ingest but before the cursor was saved stores nothing twice", async () => {
    const c = await newWorkspace(t);
    const ch = await channel(c, {
      name: "X search",
      network: "x",
      config: { query: "acme", api_url: x.url },
      credentials: { bearer_token: x.token },
    });
    const clock = fixedClock();
    const poller = pollerAt(clock);
    const [first] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
    expect(first?.status).toBe("ok");
    const stored = first?.stored ?? 0;
    expect(stored).toBeGreaterThan(0);
    // The cursor write is lost (the process died right after the commit): put the old state back.
    await store.updateChannel(t.db, c.workspaceId, ch.id, { state: JSON.stringify({}) });
    const [again] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
    await poller.stop();
    expect(again).toMatchObject({ status: "ok", stored: 0 });
    expect(again?.received).toBeGreaterThan(0);
    expect(again?.duplicates).toBe(again?.received); // everything re-read was recognised
    const all = await messages(c, ch.id);
    expect(new Set(all).size).toBe(all.length);
  });

  it("resumes an X search across a restart without gaps", async () => {
    const c = await newWorkspace(t);
    const ch = await channel(c, {
      name: "X resume",
      network: "x",
      config: { query: "acme", api_url: x.url },
      credentials: { bearer_token: x.token },
    });
    const clock = fixedClock();
    const p1 = pollerAt(clock);
    await p1.tick();
    await p1.stop();
    const seenBefore = new Set(await messages(c, ch.id));
    const added = Array.from({ length: 130 }, () => x.addTweet());
    clock.advance(5 * 60_000);
    const p2 = pollerAt(clock);
    const [outcome] = (await p2.tick()).filter((o) => o.channel_id === ch.id);
    await p2.stop();
    expect(outcome).toMatchObject({ status: "ok", stored: 130 });
    const all = await messages(c, ch.id);
    expect(new Set(all).size).toBe(all.length);
    for (const tw of added) expect(all).toContain(tw.id);
    expect(all.length).toBe(seenBefore.size + 130);
  });

  it("records rate limits and failures in words and waits before asking again", async () => {
    const c = await newWorkspace(t);
    feeds.publish("/limited/feed", fixture("rss2-blog.xml"), LAST_MODIFIED);
    const ch = await channel(c, { name: "Limited", network: "rss", config: { feed_url: `${feeds.url}/limited/feed` } });
    const clock = fixedClock();
    const poller = pollerAt(clock);
    feeds.throttle(true, "120");
    try {
      const [limited] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
      expect(limited).toMatchObject({ status: "rate_limited", error: "Rate limited by The feed until 12:02 UTC" });
    } finally {
      feeds.throttle(false);
    }
    let saved = await row(c, ch.id);
    expect(saved.status).toBe("rate_limited");
    expect(saved.last_error).toBe("Rate limited by The feed until 12:02 UTC");
    const nextAt = Date.parse((saved.state as ChannelPollState).next_poll_at as string);
    expect(nextAt).toBeGreaterThanOrEqual(Date.parse("2026-11-24T12:02:00Z"));
    // Still limited a minute later: not asked.
    clock.advance(60_000);
    expect((await poller.tick()).filter((o) => o.channel_id === ch.id)).toEqual([]);
    clock.advance(2 * 60_000);
    const [ok] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
    expect(ok).toMatchObject({ status: "ok", stored: 3 });

    // The feed disappears: an error in words, and exponential backoff.
    feeds.feeds.delete("/limited/feed");
    clock.advance(10 * 60_000);
    const [gone] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
    expect(gone).toMatchObject({ status: "error", error: "The feed answered 404 Not Found" });
    saved = await row(c, ch.id);
    expect(saved.status).toBe("error");
    const s1 = saved.state as ChannelPollState;
    expect(s1.failures).toBe(1);
    clock.advance(s1.backoff_ms as number);
    await poller.tick();
    const s2 = (await row(c, ch.id)).state as ChannelPollState;
    await poller.stop();
    expect(s2.failures).toBe(2);
    expect(s2.backoff_ms).toBeGreaterThanOrEqual(30_000); // second failure: 30–60 s
    expect(s2.cursor).toEqual(s1.cursor); // the cursor survives failures
  });

  it("applies the channel's listening queries", async () => {
    const c = await newWorkspace(t);
    feeds.publish("/queries/feed", fixture("rss2-blog.xml"), LAST_MODIFIED);
    const ch = await channel(c, {
      name: "Only lids",
      network: "rss",
      config: { feed_url: `${feeds.url}/queries/feed` },
      queries: ['"hopper lid"'],
    });
    const poller = pollerAt(fixedClock());
    const [outcome] = (await poller.tick()).filter((o) => o.channel_id === ch.id);
    await poller.stop();
    expect(outcome).toMatchObject({ status: "ok", received: 3, stored: 1, filtered: 2 });
    expect(await messages(c, ch.id)).toEqual(["https://blog.tinroof.example/2026/11/acme-grinder-pro/"]);
  });
});
