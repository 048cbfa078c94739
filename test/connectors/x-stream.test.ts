import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedMessageInput } from "../../src/ingest";
import { ruleTag, xConnector } from "../../src/listen/connectors/x";
import { allowPrivateUrls, contextFor } from "./fakes/server";
import { startXFake, type XFake } from "./fakes/x";

// X API v2 filtered stream: the channel's query becomes a tagged rule of the
// app, and only tweets matching that rule are kept.

let fake: XFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startXFake();
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

const ctxFor = (signal?: AbortSignal) => ({
  ...contextFor(xConnector, { query: "acme lid", api_url: fake.url, stream: true }, { credentials: { bearer_token: fake.token } }),
  signal,
});

describe("X filtered stream", () => {
  it("adds its rule once and keeps only the tweets that matched it", async () => {
    fake.rules.set("1", { id: "1", value: "someone else's rule", tag: "other-app-use" });
    const abort = new AbortController();
    const received: NormalizedMessageInput[] = [];
    const running = xConnector.stream?.(ctxFor(abort.signal), async (m) => {
      received.push(...m);
    });
    await eventually(() => (fake.streams.size > 0 ? true : undefined), "connected");
    const tag = ruleTag("acme lid");
    expect([...fake.rules.values()].filter((r) => r.tag === tag)).toEqual([expect.objectContaining({ value: "acme lid" })]);
    expect(fake.rules.size).toBe(2); // the other rule is left alone

    const theirs = fake.addTweet({ text: "not for us" });
    const ours = fake.addTweet({
      text: "my acme lid cracked",
      author_id: "2200345",
      referenced_tweets: [{ type: "replied_to", id: "1861000000000000101" }],
    });
    fake.streamTweet(theirs, ["other-app-use"]);
    fake.streamTweet(ours, [tag]);
    const got = await eventually(() => received[0], "our tweet");
    expect(got).toMatchObject({
      external_id: ours.id,
      in_reply_to: "1861000000000000101",
      author: { handle: "kaito_roasts", followers: 1834 },
    });

    // Only one connection per app: a second stream is refused in words.
    const second = await xConnector.stream?.(ctxFor(), async () => undefined).catch((e) => e);
    expect(second.kind).toBe("rate_limited");
    expect(second.message).toMatch(/maximum allowed connection limit/);
    // Its rule was already there: not added twice.
    expect([...fake.rules.values()].filter((r) => r.tag === tag)).toHaveLength(1);

    abort.abort();
    await running?.catch(() => undefined);
    expect(received.map((m) => m.external_id)).toEqual([ours.id]);
  });
});
