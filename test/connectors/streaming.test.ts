import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ingestor, type NormalizedMessageInput, Notifier } from "../../src/ingest";
import { mastodonConnector } from "../../src/listen/connectors/mastodon";
import { Poller } from "../../src/listen/poller";
import { newWorkspace, startTestApp, type TestApp } from "../support/app";
import { type MastodonFake, startMastodonFake } from "./fakes/mastodon";
import { allowPrivateUrls, contextFor } from "./fakes/server";

// Mastodon's streaming API (Server-Sent Events): new statuses arrive without
// waiting for the next poll.

let t: TestApp;
let fake: MastodonFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  t = await startTestApp();
  fake = await startMastodonFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
  await t?.close();
});

/** Waits for a condition the test cannot await directly (a message crossing a live connection). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe("Mastodon streaming", () => {
  it("hands over statuses as the streaming server sends them, until aborted", async () => {
    const abort = new AbortController();
    const received: NormalizedMessageInput[] = [];
    const ctx = { ...contextFor(mastodonConnector, { instance_url: fake.url, hashtag: "acme", stream: true }), signal: abort.signal };
    const running = mastodonConnector.stream?.(ctx, async (messages) => {
      received.push(...messages);
    });
    await eventually(async () => (fake.listeners.get("hashtag:acme")?.size ? true : undefined), "the stream connects");
    const status = fake.publish({ content: "<p>Live: my #acme lid cracked</p>" });
    const got = await eventually(async () => received.find((m) => m.external_id.endsWith(`/${status.id}`)), "the status arrives");
    expect(got).toMatchObject({ network: "mastodon", text: "Live: my #acme lid cracked" });
    abort.abort();
    await running?.catch(() => undefined);
    expect(fake.listeners.get("hashtag:acme")?.size ?? 0).toBe(0);
  });

  it("the poller keeps a live stream open for channels that ask, and stores what arrives", async () => {
    const c = await newWorkspace(t);
    const res = await c.request("POST", "/api/v1/channels", {
      name: "Acme live",
      network: "mastodon",
      config: { instance_url: fake.url, hashtag: "acme", stream: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const channelId = res.json().id as string;
    const poller = new Poller(t.db, new Ingestor(t.db, new Notifier()), { tickMs: 60_000 });
    try {
      await poller.tick(); // the catch-up poll, and the stream opens
      await eventually(
        async () => (poller.liveStreams().includes(channelId) && fake.listeners.get("hashtag:acme")?.size ? true : undefined),
        "live",
      );
      const status = fake.publish({ content: "<p>Streamed straight into the inbox #acme</p>" });
      const found = await eventually(async () => {
        const list = (await c.request("GET", `/api/v1/messages?channel_id=${channelId}&limit=200`)).json();
        return list.data.find((m: { external_id: string }) => m.external_id.endsWith(`/${status.id}`));
      }, "the streamed status is stored");
      expect(found.text).toBe("Streamed straight into the inbox #acme");
    } finally {
      await poller.stop();
    }
    expect(poller.liveStreams()).toEqual([]);
  });
});
