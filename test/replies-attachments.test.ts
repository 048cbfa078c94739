import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sniffImageType } from "../src/contracts/replies";
import { postToMessage } from "../src/listen/connectors/bluesky";
import { statusToMessages } from "../src/listen/connectors/mastodon";
import { thingToMessage } from "../src/listen/connectors/reddit";
import { tweetToMessage } from "../src/listen/connectors/x";
import { deliverOutbox } from "../src/rules";
import { signWebhook } from "../src/shared/signing";
import { type BlueskyFake, startBlueskyFake } from "./connectors/fakes/bluesky";
import { type MastodonFake, startMastodonFake } from "./connectors/fakes/mastodon";
import { startRedditFake } from "./connectors/fakes/reddit";
import { allowPrivateUrls, startFake } from "./connectors/fakes/server";
import { startXFake } from "./connectors/fakes/x";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Images on replies (issue #14): attached in the API as base64, recognised from their bytes,
// stored with the reply, and sent through the outbox the way each network documents it —
// Mastodon's media upload then media_ids, Bluesky's uploadBlob then an images embed, X's media
// upload, mail attachments, the webhook's signed JSON. The fakes check what the real APIs check.

/** A 2×1 PNG (red, blue). */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z8DAwPAfAAcAAf9+CLHQAAAAAElFTkSuQmCC", "base64");
/** The head of a JPEG (JFIF, then a 3×2 baseline frame): enough bytes to be recognised and measured. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00,
  0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
]);
const b64 = (b: Buffer) => b.toString("base64");

let t: TestApp;
let mastodon: MastodonFake;
let bluesky: BlueskyFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  t = await startTestApp();
  mastodon = await startMastodonFake();
  bluesky = await startBlueskyFake();
});
afterAll(async () => {
  restoreEnv();
  await mastodon?.close();
  await bluesky?.close();
  await t?.close();
});

type Attachment = { id: string; content_type: string; filename: string | null; alt: string | null; byte_size: number; url: string };
type Reply = { id: string; delivery_status: string; delivery_error: string | null; external_id: string | null; attachments: Attachment[] };

const reply = (c: Caller, conversationId: string, body: Record<string, unknown>) =>
  c.request("POST", `/api/v1/conversations/${conversationId}/replies`, body);
const replyOf = async (c: Caller, conversationId: string, id: string) =>
  (await c.request("GET", `/api/v1/conversations/${conversationId}/replies/${id}`)).json() as Reply;
const composerOf = async (c: Caller, conversationId: string) =>
  (await c.request("GET", `/api/v1/conversations/${conversationId}/composer`)).json();

async function emptyWorkspace() {
  const owner = await newWorkspace(t);
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await owner.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  return owner;
}

/** A workspace with a Mastodon channel on the fake and one customer post to answer. */
async function mastodonConversation() {
  const owner = await emptyWorkspace();
  const channel = await owner.request("POST", "/api/v1/channels", {
    name: "Mastodon",
    network: "mastodon",
    config: { instance_url: mastodon.url, hashtag: "acme" },
    credentials: { access_token: mastodon.token },
  });
  expect(channel.statusCode, channel.body).toBe(201);
  const status = mastodon.addStatus({ content: "<p>The #acme lid arrived cracked, look</p>" });
  const host = new URL(mastodon.url).host;
  await owner.request("POST", "/api/v1/messages:batch", { channel_id: channel.json().id, messages: statusToMessages(status, host) });
  const convo = (await owner.request("GET", "/api/v1/conversations?network=mastodon")).json().data[0] as { id: string };
  return { owner, conversationId: convo.id, status };
}

describe("image attachments on replies", () => {
  it("recognises images from their bytes, not their names", () => {
    expect(sniffImageType(PNG)).toBe("image/png");
    expect(sniffImageType(JPEG)).toBe("image/jpeg");
    expect(sniffImageType(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).toBe("image/gif");
    expect(sniffImageType(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("<!doctype html><script>alert(1)</script>"))).toBeNull();
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it("sends images to Mastodon (media upload with alt text, then the status with media_ids), once, and serves them to the workspace", async () => {
    const { owner, conversationId, status } = await mastodonConversation();
    const composer = await composerOf(owner, conversationId);
    expect(composer.attachments).toMatchObject({ max: 4, max_bytes: 5 * 1024 * 1024, reason: null });
    expect(composer.attachments.types).toEqual(["image/png", "image/jpeg", "image/gif", "image/webp"]);

    const body = {
      text: "So sorry! Is it like this?",
      idempotency_key: "img-1",
      attachments: [
        { data_base64: b64(PNG), alt: "The lid, cracked along the rim", filename: "../../lid.png" },
        // the declared type is not believed: the bytes are a JPEG
        { data_base64: `data:image/png;base64,${b64(JPEG)}`, content_type: "image/png" },
      ],
    };
    const created = await reply(owner, conversationId, body);
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json() as Reply;
    expect(r.attachments).toMatchObject([
      { content_type: "image/png", filename: "lid.png", alt: "The lid, cracked along the rim", byte_size: PNG.length, width: 2, height: 1 },
      { content_type: "image/jpeg", filename: "image-2.jpg", alt: null, byte_size: JPEG.length, width: 3, height: 2 },
    ]);
    // the same key: the same reply, nothing uploaded twice
    const again = await reply(owner, conversationId, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(r.id);

    const uploadsBefore = mastodon.media.length;
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const uploaded = mastodon.media.slice(uploadsBefore);
    expect(uploaded.map((m) => [m.contentType, m.description])).toEqual([
      ["image/png", "The lid, cracked along the rim"],
      ["image/jpeg", null],
    ]);
    expect(uploaded[0]?.bytes.equals(PNG)).toBe(true);
    expect(uploaded[1]?.bytes.equals(JPEG)).toBe(true);
    const posts = mastodon.posted.filter((p) => p.body.in_reply_to_id === status.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.media_ids).toEqual(uploaded.map((m) => m.id));
    expect(await replyOf(owner, conversationId, r.id)).toMatchObject({ delivery_status: "sent", external_id: expect.any(String) });

    // The thread shows the images; their address serves the bytes as an image, inline, never sniffed.
    const convo = (await owner.request("GET", `/api/v1/conversations/${conversationId}`)).json();
    const sent = convo.messages.find((m: { id: string }) => m.id === r.id);
    expect(sent.attachments.map((a: Attachment) => a.url)).toEqual(r.attachments.map((a) => `/api/v1/reply-attachments/${a.id}`));
    const image = await owner.request("GET", sent.attachments[0].url);
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.headers["content-disposition"]).toBe('inline; filename="lid.png"');
    expect(image.headers["x-content-type-options"]).toBe("nosniff");
    expect(image.rawPayload.equals(PNG)).toBe(true);

    // Another workspace cannot read it, nor can a caller who is not signed in.
    const stranger = await newWorkspace(t, "Other Co");
    expect((await stranger.request("GET", sent.attachments[0].url)).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: sent.attachments[0].url })).statusCode).toBe(401);
  });

  it("waits for Mastodon to finish processing an image (202, then 206) before posting the status", async () => {
    const { owner, conversationId, status } = await mastodonConversation();
    mastodon.mediaProcessing.polls = 2;
    try {
      const r = (await reply(owner, conversationId, { text: "Here", attachments: [{ data_base64: b64(PNG) }] })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(await replyOf(owner, conversationId, r.id)).toMatchObject({ delivery_status: "sent", delivery_error: null });
      const media = mastodon.media.at(-1);
      expect(media?.processing).toBe(0);
      expect(mastodon.posted.filter((p) => p.body.in_reply_to_id === status.id).map((p) => p.body.media_ids)).toEqual([[media?.id]]);
    } finally {
      mastodon.mediaProcessing.polls = 0;
    }
  });

  it("refuses what is not an image, too many or too large, naming the attachment", async () => {
    const { owner, conversationId } = await mastodonConversation();
    const page = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
    const renamed = await reply(owner, conversationId, {
      text: "See attached",
      attachments: [
        { data_base64: b64(PNG), alt: "fine" },
        { data_base64: b64(page), content_type: "image/png", filename: "photo.png" },
      ],
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().error.details[0]).toMatchObject({
      field: "attachments[1]",
      message: "is not an image (photo.png): only PNG, JPEG, GIF and WebP files can be attached",
    });
    const notBase64 = await reply(owner, conversationId, { text: "x", attachments: [{ data_base64: "%%%not base64%%%" }] });
    expect(notBase64.json().error.details[0].field).toBe("attachments[0]");

    const five = await reply(owner, conversationId, {
      text: "x",
      attachments: Array.from({ length: 5 }, () => ({ data_base64: b64(PNG) })),
    });
    expect(five.statusCode).toBe(400);
    expect(JSON.stringify(five.json().error)).toContain("attachments");

    // 5 MB and one byte, with a PNG's signature
    const huge = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    const tooBig = await reply(owner, conversationId, { text: "x", attachments: [{ data_base64: b64(huge) }] });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.details[0]).toMatchObject({
      field: "attachments[0]",
      message: "is 5.01 MB; Mastodon takes images up to 5 MB",
    });

    // Nothing was written by the refusals.
    const convo = (await owner.request("GET", `/api/v1/conversations/${conversationId}`)).json();
    expect(convo.messages.filter((m: { direction: string }) => m.direction === "outbound")).toHaveLength(0);
  });

  it("sends images to Bluesky as uploaded blobs named in an app.bsky.embed.images embed, and keeps to its 1 MB", async () => {
    const owner = await emptyWorkspace();
    const channel = await owner.request("POST", "/api/v1/channels", {
      name: "Bluesky",
      network: "bluesky",
      config: { service_url: bluesky.url, pds_url: bluesky.url, query: "acme" },
      credentials: { identifier: bluesky.account.identifier, app_password: bluesky.account.password },
    });
    const post = bluesky.addPost("my acme kettle leaks");
    await owner.request("POST", "/api/v1/messages:batch", { channel_id: channel.json().id, messages: [postToMessage(post, new Date())] });
    const convo = (await owner.request("GET", "/api/v1/conversations?network=bluesky")).json().data[0];
    expect((await composerOf(owner, convo.id)).attachments).toMatchObject({ max: 4, max_bytes: 1_000_000 });

    const big = Buffer.concat([PNG, Buffer.alloc(1_000_001 - PNG.length)]);
    const refused = await reply(owner, convo.id, { text: "x", attachments: [{ data_base64: b64(big) }] });
    expect(refused.json().error.details[0]).toMatchObject({
      field: "attachments[0]",
      message: "is 1.01 MB; Bluesky takes images up to 1 MB",
    });

    const r = (
      await reply(owner, convo.id, { text: "Here is where the seal goes.", attachments: [{ data_base64: b64(PNG), alt: "The seal" }] })
    ).json() as Reply;
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(await replyOf(owner, convo.id, r.id)).toMatchObject({ delivery_status: "sent", delivery_error: null });
    const written = bluesky.written.at(-1);
    const blob = bluesky.blobs.at(-1);
    expect(blob?.bytes.equals(PNG)).toBe(true);
    expect(blob?.mimeType).toBe("image/png");
    expect(written?.record.embed).toEqual({
      $type: "app.bsky.embed.images",
      images: [
        {
          alt: "The seal",
          image: { $type: "blob", ref: { $link: blob?.cid }, mimeType: "image/png", size: PNG.length },
          aspectRatio: { width: 2, height: 1 },
        },
      ],
    });
  });

  it("uploads images to X (media upload, alt text as metadata) and names them in the post", async () => {
    const x = await startXFake();
    try {
      const owner = await emptyWorkspace();
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "X",
        network: "x",
        config: { api_url: x.url, query: "acme" },
        credentials: { bearer_token: x.token, user_access_token: x.userToken },
      });
      const tweet = x.addTweet({ text: "@acme the handle fell off" });
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channel.json().id,
        messages: [tweetToMessage(tweet, x.users, new Date())],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=x")).json().data[0];
      const r = (
        await reply(owner, convo.id, { text: "Like this?", attachments: [{ data_base64: b64(PNG), alt: "A handle" }] })
      ).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(await replyOf(owner, convo.id, r.id)).toMatchObject({ delivery_status: "sent" });
      expect(x.media).toMatchObject([{ category: "tweet_image", contentType: "image/png", altText: "A handle" }]);
      expect(x.posted[0]?.body.media).toEqual({ media_ids: [x.media[0]?.id] });
    } finally {
      await x.close();
    }
  });

  it("puts images in the webhook channel's signed JSON as base64 with their content type", async () => {
    const receiver = await startFake(() => ({ body: { id: "r-1" } }));
    try {
      const owner = await emptyWorkspace();
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "Helpdesk",
        network: "webhook",
        config: { reply_url: `${receiver.url}/replies` },
      });
      const { id: channelId, webhook_secret: secret } = channel.json() as { id: string; webhook_secret: string };
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channelId,
        messages: [
          {
            network: "webhook",
            external_id: "t-5",
            author: { id: "u-1", handle: "nora" },
            text: "Broken",
            created_at: "2026-11-24T10:00:00Z",
          },
        ],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=webhook")).json().data[0];
      expect((await composerOf(owner, convo.id)).attachments).toMatchObject({ max: 4 });
      const r = (
        await reply(owner, convo.id, { text: "This part", attachments: [{ data_base64: b64(JPEG), alt: "The part" }] })
      ).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      const got = receiver.requests[0];
      const sent = JSON.parse(got?.body ?? "{}");
      expect(sent.attachments).toEqual([
        { id: r.attachments[0]?.id, content_type: "image/jpeg", filename: "image-1.jpg", alt: "The part", data_base64: b64(JPEG) },
      ]);
      expect(got?.headers["x-parley-signature"]).toBe(signWebhook(secret, Number(got?.headers["x-parley-timestamp"]), got?.body ?? ""));
    } finally {
      await receiver.close();
    }
  });

  it("attaches images to the email reply", async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, _session, callback) {
        let data = "";
        stream.on("data", (d) => {
          data += d;
        });
        stream.on("end", () => {
          mails.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((done) => smtp.listen(0, "127.0.0.1", done));
    try {
      const owner = await emptyWorkspace();
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "Support mailbox",
        network: "email",
        config: {
          host: "127.0.0.1",
          user: "support@acme.example",
          smtp_host: "127.0.0.1",
          smtp_port: (smtp.server.address() as AddressInfo).port,
        },
      });
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channel.json().id,
        messages: [
          {
            network: "email",
            external_id: "<m1@customer.example>",
            author: { id: "nora@customer.example", handle: "nora@customer.example" },
            subject: "Which screw?",
            text: "Which screw holds the lid?",
            created_at: "2026-11-24T10:00:00Z",
            public: false,
          },
        ],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=email")).json().data[0];
      const r = (
        await reply(owner, convo.id, {
          text: "This one.",
          visibility: "private",
          attachments: [{ data_base64: b64(PNG), filename: "screw.png", alt: "The screw" }],
        })
      ).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(await replyOf(owner, convo.id, r.id)).toMatchObject({ delivery_status: "sent" });
      expect(mails).toHaveLength(1);
      const mail = (mails[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
      expect(mail).toMatch(/Content-Type: image\/png; name=screw\.png/);
      expect(mail).toMatch(/Content-Disposition: attachment; filename=screw\.png/);
      expect(mail.replace(/\r?\n/g, "")).toContain(b64(PNG).replace(/=+$/, ""));
    } finally {
      await new Promise<void>((done) => smtp.close(() => done()));
    }
  });

  it("says where images cannot go (Reddit) and refuses them there, naming attachments", async () => {
    const reddit = await startRedditFake();
    try {
      const owner = await emptyWorkspace();
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "r/espresso",
        network: "reddit",
        config: { api_url: reddit.url, subreddit: "espresso" },
        credentials: { access_token: reddit.token },
      });
      const post = reddit.addPost("espresso", { title: "Acme grinder jammed", selftext: "help" });
      await owner.request("POST", "/api/v1/messages:batch", { channel_id: channel.json().id, messages: [thingToMessage(post)] });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=reddit")).json().data[0];
      expect((await composerOf(owner, convo.id)).attachments).toEqual({
        max: 0,
        max_bytes: 0,
        types: [],
        reason: "Reddit takes no images with a reply from Parley",
      });
      const res = await reply(owner, convo.id, { text: "Look", attachments: [{ data_base64: b64(PNG) }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ field: "attachments" });
      expect(reddit.comments).toHaveLength(0);
    } finally {
      await reddit.close();
    }
  });
});
