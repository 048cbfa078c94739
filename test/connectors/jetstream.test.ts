import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedMessageInput } from "../../src/ingest";
import { blueskyConnector } from "../../src/listen/connectors/bluesky";
import { type JetstreamFake, startJetstreamFake } from "./fakes/jetstream";
import { allowPrivateUrls, contextFor } from "./fakes/server";

let fake: JetstreamFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("127.0.0.1");
  fake = await startJetstreamFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

async function eventually<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

const post = (did: string, rkey: string, text: string, extra: Record<string, unknown> = {}) => ({
  did,
  time_us: 1795500000000000,
  kind: "commit",
  commit: {
    rev: "3lcabc",
    operation: "create",
    collection: "app.bsky.feed.post",
    rkey,
    cid: "bafyreifake",
    record: { $type: "app.bsky.feed.post", createdAt: "2026-11-24T11:59:58.000Z", langs: ["en"], text, ...extra },
  },
});

describe("Bluesky Jetstream", () => {
  it("keeps only the firehose posts that match the query", async () => {
    const abort = new AbortController();
    const received: NormalizedMessageInput[] = [];
    const ctx = {
      ...contextFor(blueskyConnector, { query: "acme AND (lid OR grinder)", stream: true, jetstream_url: fake.url }),
      signal: abort.signal,
    };
    const running = blueskyConnector.stream?.(ctx, async (messages) => {
      received.push(...messages);
    });
    await eventually(() => (fake.clients.size > 0 ? true : undefined), "connected");
    expect(fake.asked[0]?.get("wantedCollections")).toBe("app.bsky.feed.post");
    fake.send(post("did:plc:other", "3lc0000000001", "Lovely weather today"));
    fake.send({
      did: "did:plc:x",
      time_us: 1,
      kind: "commit",
      commit: { operation: "create", collection: "app.bsky.feed.like", rkey: "1", record: {} },
    });
    fake.send({
      did: "did:plc:x",
      time_us: 2,
      kind: "commit",
      commit: { operation: "delete", collection: "app.bsky.feed.post", rkey: "2" },
    });
    fake.send({ did: "did:plc:x", time_us: 3, kind: "identity", identity: { did: "did:plc:x", handle: "x.bsky.social" } });
    fake.send("not json at all");
    fake.send(
      post("did:plc:kaitomori3vj5p", "3lc0000000002", "My Acme lid cracked again", {
        reply: {
          root: { uri: "at://did:plc:acme/app.bsky.feed.post/1", cid: "c" },
          parent: { uri: "at://did:plc:acme/app.bsky.feed.post/1", cid: "c" },
        },
      }),
    );
    const got = await eventually(() => received[0], "the matching post");
    expect(got).toMatchObject({
      network: "bluesky",
      external_id: "at://did:plc:kaitomori3vj5p/app.bsky.feed.post/3lc0000000002",
      text: "My Acme lid cracked again",
      in_reply_to: "at://did:plc:acme/app.bsky.feed.post/1",
      author: { id: "did:plc:kaitomori3vj5p" },
      created_at: "2026-11-24T11:59:58.000Z",
    });
    abort.abort();
    await running;
    expect(received).toHaveLength(1);
  });

  it("refuses a firehose address that points inside the network", async () => {
    const ctx = contextFor(blueskyConnector, { query: "acme", stream: true, jetstream_url: "ws://169.254.169.254" });
    const err = await blueskyConnector.stream?.(ctx, async () => undefined).catch((e) => e);
    expect(err.kind).toBe("config");
    expect(err.message).toMatch(/^Refused to connect to 169\.254\.169\.254/);
  });
});
