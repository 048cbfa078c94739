import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { blueskyConnector } from "../../src/listen/connectors/bluesky";
import { type BlueskyFake, startBlueskyFake } from "./fakes/bluesky";
import { allowPrivateUrls, contextFor } from "./fakes/server";

let fake: BlueskyFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startBlueskyFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

const NOW = new Date("2026-11-24T12:00:00Z");
const ctx = (state: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
  contextFor(blueskyConnector, { service_url: fake.url, query: "acme", ...config }, { state, now: () => NOW });

describe("Bluesky connector", () => {
  let cursor: Record<string, unknown> = {};

  it("reads searchPosts (sort=latest) into normalized messages", async () => {
    const result = await blueskyConnector.poll(ctx());
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success).toBe(true);
    const asked = fake.requests[fake.requests.length - 1];
    expect(asked?.query.get("sort")).toBe("latest");
    expect(asked?.query.get("q")).toBe("acme");
    const [quote, reply, original] = result.messages;
    expect(original).toMatchObject({
      network: "bluesky",
      external_id: "at://did:plc:kaitomori3vj5p/app.bsky.feed.post/3lbxp2c6ll22a",
      url: "https://bsky.app/profile/kaito.bsky.social/post/3lbxp2c6ll22a",
      author: { id: "did:plc:kaitomori3vj5p", handle: "kaito.bsky.social", display_name: "Kaito Mori" },
      created_at: "2026-11-24T09:12:44.000Z",
      language: "en",
    });
    expect(reply?.in_reply_to).toBe("at://did:plc:kaitomori3vj5p/app.bsky.feed.post/3lbxp2c6ll22a");
    expect(quote?.quote_of).toBe("at://did:plc:kaitomori3vj5p/app.bsky.feed.post/3lbxp2c6ll22a");
    expect(result.state).toEqual({ since: "2026-11-24T09:31:41.020Z" });
    cursor = result.state;
  });

  it("asks only for posts since the newest one stored, paging back with the cursor", async () => {
    const added = Array.from({ length: 230 }, () => fake.addPost());
    const before = fake.requests.length;
    const result = await blueskyConnector.poll(ctx(cursor));
    const asked = fake.requests.slice(before);
    expect(asked.map((r) => r.query.get("since"))).toEqual([
      "2026-11-24T09:31:41.020Z",
      "2026-11-24T09:31:41.020Z",
      "2026-11-24T09:31:41.020Z",
    ]);
    expect(asked.map((r) => r.query.get("cursor"))).toEqual([null, "100", "200"]);
    const ids = result.messages.map((m) => m.external_id);
    // since is inclusive: the boundary post may come again, and dedupe absorbs it.
    expect(ids.filter((id) => id.includes("lenapours"))).toHaveLength(1);
    expect(ids.filter((id) => !id.includes("lenapours")).sort()).toEqual(added.map((p) => p.uri).sort());
    expect(result.state).toEqual({ since: added[added.length - 1]?.indexedAt });
    const quiet = await blueskyConnector.poll(ctx(result.state));
    expect(quiet.messages.map((m) => m.external_id)).toEqual([added[added.length - 1]?.uri]);
    cursor = quiet.state;
  });

  it("keeps its place through a rate limit", async () => {
    const added = Array.from({ length: 150 }, () => fake.addPost());
    fake.rateLimit = { remaining: 1, reset: Math.floor(Date.parse("2026-11-24T12:05:00Z") / 1000) };
    const r1 = await blueskyConnector.poll(ctx(cursor));
    expect(r1.messages).toHaveLength(100);
    expect(r1.nextPollMs).toBe(5 * 60_000);
    expect(r1.state).toMatchObject({ pending: { cursor: "100" } });
    const refused = await blueskyConnector.poll(ctx(r1.state)).catch((e) => e);
    expect(refused.message).toBe("Rate limited by Bluesky until 12:05 UTC");
    fake.rateLimit = { remaining: 3000, reset: Math.floor(Date.parse("2026-11-24T12:10:00Z") / 1000) };
    const r2 = await blueskyConnector.poll(ctx(r1.state));
    const got = new Set([...r1.messages, ...r2.messages].map((m) => m.external_id));
    for (const p of added) expect(got.has(p.uri)).toBe(true);
    expect(r2.state).toEqual({ since: added[added.length - 1]?.indexedAt });
  });

  it("reports XRPC errors in words and checks its config", async () => {
    fake.rateLimit = { remaining: 3000, reset: 0 };
    expect(await blueskyConnector.test(ctx())).toMatchObject({ ok: true });
    expect(() => blueskyConnector.validateConfig({})).toThrow(/config\.query/);
    expect(blueskyConnector.validateConfig({ query: "acme" })).toMatchObject({ service_url: "https://public.api.bsky.app" });
    const bad = await blueskyConnector
      .poll({ ...ctx(), config: { ...ctx().config, service_url: `${fake.url}/nothing-here` } })
      .catch((e) => e);
    expect(bad.message).toBe("Bluesky answered 404 Not Found: Method Not Implemented");
  });
});
