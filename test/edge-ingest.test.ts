import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "../src/ingest";
import { HOOK_TOLERANCE_SECONDS } from "../src/listen";
import { buildApp } from "../src/server/app";
import { signWebhook } from "../src/shared/signing";
import { type Caller, newWorkspace, type TestApp } from "./support/app";
import { postMaker } from "./support/posts";
import { openTestStore } from "./support/store";

// The ingest edge: content from outside is kept even when PostgreSQL could not store
// it as sent (NUL dropped), one bad message never fails its batch, replays are refused
// across restarts, and a delivery that stored nothing is never answered 200.

type Store = Awaited<ReturnType<typeof openTestStore>>;
let store: Store;
let t: TestApp;
/** The app as a fresh process would build it, on the same store (no memory shared with `t`). */
async function anotherApp() {
  const { app } = await buildApp({ db: store.db, openSignup: true });
  await app.ready();
  return app;
}

beforeAll(async () => {
  store = await openTestStore();
  const app = await anotherApp();
  t = { app, db: store.db, routes: [], kind: store.kind, close: async () => app.close() } as unknown as TestApp;
});
afterAll(async () => {
  await t?.app.close();
  await store?.drop();
});

const post = postMaker("edge");

async function hookChannel(c: Caller) {
  const res = await c.request("POST", "/api/v1/channels", { name: `Hook ${Math.random()}`, network: "webhook" });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, secret: res.json().webhook_secret as string };
}

let clock = Math.floor(Date.now() / 1000);
/** A signed delivery; each gets its own timestamp, so the same body twice is two deliveries. */
function signed(secret: string, body: string, timestamp = clock++) {
  return {
    "content-type": "application/json",
    "x-parley-timestamp": String(timestamp),
    "x-parley-signature": signWebhook(secret, timestamp, body),
  };
}
const deliver = (app: TestApp["app"], id: string, body: string, headers: Record<string, string>) =>
  app.inject({ method: "POST", url: `/hooks/${id}`, payload: body, headers });

async function storedMessages(workspaceId: string) {
  return t.db
    .selectFrom("messages")
    .select(["external_id", "text", "author_name", "raw"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("external_id")
    .execute();
}

describe("NUL and lone surrogates in ingested content", () => {
  it("a webhook batch of 1,000 with one NUL-bearing message stores all 1,000, the NUL removed", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const messages = Array.from({ length: 1000 }, (_, i) =>
      post({
        network: "webhook",
        external_id: `batch-${String(i).padStart(4, "0")}`,
        ...(i === 500
          ? {
              text: "Acme\u0000 is down",
              author: { id: "nul-author", display_name: "Jo\u0000 Brown" },
              raw: { "k\u0000ey": "v\u0000alue", lone: "x\ud800y" },
            }
          : {}),
      }),
    );
    const body = JSON.stringify({ messages });
    const res = await deliver(t.app, id, body, signed(secret, body));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: 1000, stored: 1000, rejected: [] });
    const rows = await storedMessages(c.workspaceId);
    expect(rows).toHaveLength(1000);
    const cleaned = rows.find((r) => r.external_id === "batch-0500");
    expect(cleaned).toMatchObject({ text: "Acme is down", author_name: "Jo Brown", raw: { key: "value", lone: "x\uFFFDy" } });
  });

  it("the batch API keeps NUL-bearing messages too, while a NUL elsewhere in its body is a 400", async () => {
    const c = await newWorkspace(t);
    const res = await c.request("POST", "/api/v1/messages:batch", { messages: [post({ text: "one\u0000two" }), post()] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stored).toBe(2);
    expect((await storedMessages(c.workspaceId)).map((r) => r.text)).toContain("onetwo");

    const channel = await c.request("POST", "/api/v1/messages:batch", { channel_id: "x\u0000", messages: [post()] });
    expect(channel.statusCode).toBe(400);
    expect(channel.json().error.details[0].field).toBe("channel_id");
  });

  it("file ingest and connectors (the pipeline itself) drop NUL and reject only a message nested too deep", async () => {
    const c = await newWorkspace(t);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const { outcomes } = await ingestBatch(t.db, c.workspaceId, [
      post({ external_id: "file-1", text: "\u0000hello\u0000", author: { id: "a\u0000b", handle: "h\u0000" } }),
      post({ external_id: "file-2", raw: { deep } }),
      post({ external_id: "file-3", subject: "Re\u0000: hi" }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["stored", "rejected", "stored"]);
    expect(outcomes[1]).toMatchObject({ external_id: "file-2", errors: [{ field: "raw.deep", message: "nests deeper than 64 levels" }] });
    const rows = await storedMessages(c.workspaceId);
    expect(rows.map((r) => r.text)).toContain("hello");
  });
});

describe("deep nesting and size at the webhook", () => {
  it("a signed delivery nested deeper than 64 levels is a 400 naming the field, and stores nothing", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const deep = `${"[".repeat(200_000)}1${"]".repeat(200_000)}`;
    for (const [body, field] of [
      [`${JSON.stringify(post({ network: "webhook" })).slice(0, -1)},"raw":${deep}}`, "raw"],
      [`{"messages":[${JSON.stringify(post({ network: "webhook" }))},{"raw":${deep}}]}`, "messages.1.raw"],
      [`[${JSON.stringify(post({ network: "webhook" }))},{"raw":${deep}}]`, "messages.1.raw"],
      [`{"type":"Collection","items":${deep}}`, "items"],
    ]) {
      const res = await deliver(t.app, id, body, signed(secret, body));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ field, message: "nests deeper than 64 levels" });
    }
    expect(await storedMessages(c.workspaceId)).toEqual([]);
  });

  it("a delivery over 5 MB is a 413", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const body = JSON.stringify(post({ network: "webhook", text: "x".repeat(6 * 1024 * 1024) }));
    const res = await deliver(t.app, id, body, signed(secret, body));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });
});

describe("webhook replays", () => {
  it("are refused after a restart and by another process on the same store", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const body = JSON.stringify(post({ network: "webhook", external_id: "replayed" }));
    const headers = signed(secret, body);
    const first = await anotherApp();
    expect((await deliver(first, id, body, headers)).statusCode).toBe(200);
    const second = await anotherApp(); // another process, running at the same time
    const elsewhere = await deliver(second, id, body, headers);
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);
    expect(elsewhere.json().error.message).toMatch(/replay/);
    await first.close();
    await second.close();
    const restarted = await anotherApp();
    const replay = await deliver(restarted, id, body, headers);
    await restarted.close();
    expect(replay.statusCode, replay.body).toBe(409);
    // the same content, signed anew, is a new delivery (and its message a duplicate)
    const again = await deliver(t.app, id, body, signed(secret, body));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it("forgets signatures once their timestamp is out of the window", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const now = Math.floor(Date.now() / 1000);
    await t.db
      .insertInto("hook_deliveries")
      .values({
        workspace_id: c.workspaceId,
        channel_id: id,
        signature: "sha256=old",
        signed_at: new Date((now - HOOK_TOLERANCE_SECONDS - 60) * 1000),
      })
      .execute();
    const body = JSON.stringify(post({ network: "webhook" }));
    expect((await deliver(t.app, id, body, signed(secret, body))).statusCode).toBe(200);
    const left = await t.db.selectFrom("hook_deliveries").select("signature").where("channel_id", "=", id).execute();
    expect(left.map((r) => r.signature)).not.toContain("sha256=old");
    expect(left).toHaveLength(1);
  });
});

describe("a delivery whose every message is rejected", () => {
  it("is a 422 naming each message's fields, at the webhook and the batch API; nothing is stored", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const body = JSON.stringify([post({ network: "webhook", colour: "red" }), post({ network: "webhook", created_at: "yesterday" })]);
    const hook = await deliver(t.app, id, body, signed(secret, body));
    expect(hook.statusCode, hook.body).toBe(422);
    expect(hook.json().error).toMatchObject({
      code: "unprocessable",
      details: [{ field: "messages.0.colour" }, { field: "messages.1.created_at" }],
    });

    const batch = await c.request("POST", "/api/v1/messages:batch", { messages: [post({ colour: "red" })] });
    expect(batch.statusCode, batch.body).toBe(422);
    expect(batch.json().error).toMatchObject({
      code: "unprocessable",
      details: [{ field: "messages.0.colour", message: expect.any(String) }],
    });
    expect(await storedMessages(c.workspaceId)).toEqual([]);
  });

  it("some rejected: 200 with each rejected message's index and reasons", async () => {
    const c = await newWorkspace(t);
    const res = await c.request("POST", "/api/v1/messages:batch", {
      messages: [post(), post({ colour: "red", external_id: "" }), post()],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: 3, stored: 2 });
    expect(res.json().rejected).toEqual([
      {
        index: 1,
        external_id: "",
        reason: expect.stringContaining("colour"),
        errors: expect.arrayContaining([
          { field: "colour", message: expect.any(String) },
          { field: "external_id", message: expect.any(String) },
        ]),
      },
    ]);
  });

  it("both answers are in the OpenAPI document of the batch API and the webhook", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    for (const path of ["/api/v1/messages:batch", "/hooks/{channelId}"]) {
      const responses = doc.paths[path].post.responses;
      expect(responses["200"].description).toMatch(/rejected/);
      expect(responses["200"].content["application/json"].schema.properties.rejected.items.properties).toHaveProperty("index");
      expect(responses["422"].description).toMatch(/Every message was rejected/);
    }
  });

  it("duplicates only are not a rejection: 200", async () => {
    const c = await newWorkspace(t);
    const m = post();
    expect((await c.request("POST", "/api/v1/messages:batch", { messages: [m] })).statusCode).toBe(200);
    const again = await c.request("POST", "/api/v1/messages:batch", { messages: [m] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ stored: 0, duplicates: 1, rejected: [] });
  });
});
