import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "../support/app";
import { type FeedFake, fixture, startFeedFake } from "./fakes/feeds";
import { allowPrivateUrls } from "./fakes/server";

// Test connection, poll now and status, through the HTTP API.

let t: TestApp;
let feeds: FeedFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  // Only the local fake's address is allowed, as an admin would allow one intranet host.
  restoreEnv = allowPrivateUrls("127.0.0.1");
  t = await startTestApp();
  feeds = await startFeedFake();
  feeds.publish("/feed", fixture("rss2-blog.xml"), "Tue, 24 Nov 2026 09:30:00 GMT");
});
afterAll(async () => {
  restoreEnv();
  await feeds?.close();
  await t?.close();
});

async function channel(c: Caller, body: Record<string, unknown>) {
  const res = await c.request("POST", "/api/v1/channels", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

describe("channel connection routes", () => {
  it("tests the connection, polls now and shows the status", async () => {
    const c = await newWorkspace(t);
    const ch = await channel(c, { name: "Blog", network: "rss", config: { feed_url: `${feeds.url}/feed` } });

    const tested = await c.request("POST", `/api/v1/channels/${ch.id}/test`);
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toEqual({ ok: true, detail: 'Found the feed "Tin Roof Coffee Blog" with 3 entries' });

    const polled = await c.request("POST", `/api/v1/channels/${ch.id}/poll`);
    expect(polled.statusCode, polled.body).toBe(200);
    expect(polled.json()).toMatchObject({ status: "ok", received: 3, stored: 3, error: null });

    const status = await c.request("GET", `/api/v1/channels/${ch.id}/status`);
    expect(status.statusCode).toBe(200);
    const body = status.json();
    expect(body).toMatchObject({ status: "ok", last_error: null, items_total: 3, items_last_hour: 3, polled: true });
    expect(Date.parse(body.last_poll_at)).not.toBeNaN();
    // The stored HTML was sanitized by the pipeline.
    const list = (await c.request("GET", `/api/v1/messages?channel_id=${ch.id}`)).json();
    const grinder = list.data.find((m: { external_id: string }) => m.external_id.endsWith("acme-grinder-pro/"));
    expect(grinder.html).not.toContain("<script");

    const again = (await c.request("POST", `/api/v1/channels/${ch.id}/poll`)).json();
    expect(again).toMatchObject({ status: "ok", received: 0, stored: 0 });
  });

  it("says what is wrong in words, and records it on the channel", async () => {
    const c = await newWorkspace(t);
    const missing = await channel(c, { name: "Gone", network: "rss", config: { feed_url: `${feeds.url}/gone` } });
    expect((await c.request("POST", `/api/v1/channels/${missing.id}/test`)).json()).toEqual({
      ok: false,
      detail: "The feed answered 404 Not Found",
    });
    expect((await c.request("GET", `/api/v1/channels/${missing.id}/status`)).json()).toMatchObject({
      status: "error",
      last_error: "The feed answered 404 Not Found",
    });

    const metadata = await channel(c, { name: "Sneaky", network: "rss", config: { feed_url: "http://169.254.169.254/latest/meta-data/" } });
    const refused = (await c.request("POST", `/api/v1/channels/${metadata.id}/test`)).json();
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/^Refused to connect to 169\.254\.169\.254/);

    // An incomplete config is refused when the channel is added, naming the field.
    const incomplete = await c.request("POST", "/api/v1/channels", { name: "No URL", network: "rss", config: {} });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.details[0].field).toBe("config.feed_url");

    const hook = await channel(c, { name: "Hook", network: "webhook" });
    const notPolled = await c.request("POST", `/api/v1/channels/${hook.id}/poll`);
    expect(notPolled.statusCode).toBe(400);
    expect(notPolled.json().error.message).toMatch(/not polled/);
  });

  it("polls review-site and community channels that name a feed; without one they take pushed messages", async () => {
    const c = await newWorkspace(t);
    const reviews = await channel(c, { name: "Reviews", network: "review", config: { feed_url: `${feeds.url}/feed` } });
    const polled = await c.request("POST", `/api/v1/channels/${reviews.id}/poll`);
    expect(polled.statusCode, polled.body).toBe(200);
    expect(polled.json()).toMatchObject({ status: "ok", received: 3, stored: 3 });
    expect((await c.request("GET", `/api/v1/channels/${reviews.id}/status`)).json()).toMatchObject({ polled: true, items_total: 3 });
    const list = (await c.request("GET", `/api/v1/messages?channel_id=${reviews.id}`)).json();
    expect(list.data.map((m: { network: string }) => m.network)).toEqual(["review", "review", "review"]);

    // A bad feed address is refused when the channel is added, naming the field.
    const bad = await c.request("POST", "/api/v1/channels", { name: "Forum", network: "community", config: { feed_url: "not a url" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("config.feed_url");

    // A community channel without a feed receives pushed messages and is not polled.
    const pushed = await channel(c, { name: "Forum push", network: "community" });
    expect((await c.request("GET", `/api/v1/channels/${pushed.id}/status`)).json()).toMatchObject({ polled: false });
    const notPolled = await c.request("POST", `/api/v1/channels/${pushed.id}/poll`);
    expect(notPolled.statusCode).toBe(400);
    expect(notPolled.json().error.message).toMatch(/not polled/);
  });

  it("lets only channel managers test and poll; anyone in the workspace reads the status", async () => {
    const c = await newWorkspace(t);
    const ch = await channel(c, { name: "Blog", network: "rss", config: { feed_url: `${feeds.url}/feed` } });
    const agent = await memberWithRole(t, c, "agent");
    expect((await agent.request("POST", `/api/v1/channels/${ch.id}/test`)).statusCode).toBe(403);
    expect((await agent.request("POST", `/api/v1/channels/${ch.id}/poll`)).statusCode).toBe(403);
    expect((await agent.request("GET", `/api/v1/channels/${ch.id}/status`)).statusCode).toBe(200);
    const other = await newWorkspace(t, "Other");
    for (const [method, path] of [
      ["POST", "test"],
      ["POST", "poll"],
      ["GET", "status"],
    ] as const) {
      expect((await other.request(method, `/api/v1/channels/${ch.id}/${path}`)).statusCode).toBe(404);
    }
  });
});
