import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Consent to social engagement (issue 13): a person who explicitly withdrew it is not answered on
// the network by accident. The composer says so, the API refuses a reply unless override_consent
// (then audited). Consent never recorded is no objection: answering a customer who wrote in is
// customer service.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

/** A workspace without rules, a webhook channel, and one post each from Nora (a contact) and Max (a stranger). */
async function setup() {
  const owner = await newWorkspace(t, "Consent Co");
  for (const r of (await ok(owner, "GET", "/api/v1/rules")).data as Array<{ id: string }>)
    await ok(owner, "DELETE", `/api/v1/rules/${r.id}`);
  const channel = await ok(owner, "POST", "/api/v1/channels", {
    name: "Helpdesk",
    network: "webhook",
    config: { reply_url: "https://help.example/parley-replies" },
  });
  const post = (externalId: string, author: { id: string; handle: string }, text: string) => ({
    network: "webhook",
    external_id: externalId,
    author,
    text,
    created_at: "2026-11-24T10:00:00Z",
  });
  await ok(owner, "POST", "/api/v1/messages:batch", {
    channel_id: channel.id,
    messages: [
      post("nora-1", { id: "u-nora", handle: "nora" }, "My invoice is wrong again"),
      post("max-1", { id: "u-max", handle: "max" }, "Where is my parcel?"),
    ],
  });
  const messages = (await ok(owner, "GET", "/api/v1/messages?network=webhook&limit=10")).data as Array<{
    external_id: string;
    conversation_id: string;
    profile_id: string;
  }>;
  const nora = messages.find((m) => m.external_id === "nora-1");
  const max = messages.find((m) => m.external_id === "max-1");
  if (!nora || !max) throw new Error("posts not stored");
  const contact = await ok(owner, "POST", "/api/v1/contacts", { name: "Nora Quinn" });
  await ok(owner, "POST", `/api/v1/profiles/${nora.profile_id}/link`, { contact_id: contact.id });
  return { owner, noraConversation: nora.conversation_id, maxConversation: max.conversation_id, nora: contact.id as string };
}

describe("social engagement consent", () => {
  let owner: Caller;
  let noraConversation: string;
  let maxConversation: string;
  let nora: string;
  beforeAll(async () => {
    ({ owner, noraConversation, maxConversation, nora } = await setup());
  });

  it("never recorded: the composer has no warning and a reply goes out", async () => {
    const composer = await ok(owner, "GET", `/api/v1/conversations/${noraConversation}/composer`);
    expect(composer).toMatchObject({ can_reply: true, consent_warning: null });
    const res = await owner.request("POST", `/api/v1/conversations/${noraConversation}/replies`, { text: "Looking into it" });
    expect(res.statusCode, res.body).toBe(201);
  });

  it("withdrawn: the composer warns, a reply is refused (409 naming override_consent) and nothing is stored", async () => {
    await ok(owner, "POST", `/api/v1/contacts/${nora}/consent`, {
      purpose: "social_engagement",
      status: "withdrawn",
      source: "email to support",
    });
    const composer = await ok(owner, "GET", `/api/v1/conversations/${noraConversation}/composer`);
    expect(composer.can_reply).toBe(true);
    expect(composer.consent_warning).toMatchObject({ contact_id: nora, contact_name: "Nora Quinn", source: "email to support" });

    const before = (await ok(owner, "GET", `/api/v1/conversations/${noraConversation}`)).message_count;
    const res = await owner.request("POST", `/api/v1/conversations/${noraConversation}/replies`, { text: "Any news?" });
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.message).toContain("Nora Quinn withdrew consent to social engagement");
    expect(error.details[0].field).toBe("override_consent");
    expect((await ok(owner, "GET", `/api/v1/conversations/${noraConversation}`)).message_count).toBe(before);
    // a public comment on a case goes the same way
    const kase = await ok(owner, "POST", "/api/v1/cases", { subject: "Invoice", contact_id: nora });
    await ok(owner, "POST", `/api/v1/cases/${kase.id}/conversations`, { conversation_id: noraConversation });
    const comment = await owner.request("POST", `/api/v1/cases/${kase.id}/comments`, { body: "Fixed", public: true });
    expect(comment.statusCode).toBe(409);
    expect(comment.json().error.details[0].field).toBe("override_consent");
  });

  it("others are not affected", async () => {
    expect((await ok(owner, "GET", `/api/v1/conversations/${maxConversation}/composer`)).consent_warning).toBeNull();
    const res = await owner.request("POST", `/api/v1/conversations/${maxConversation}/replies`, { text: "It ships today" });
    expect(res.statusCode, res.body).toBe(201);
  });

  it("override_consent: true sends it and the audit log records who overrode, about the contact", async () => {
    const res = await owner.request("POST", `/api/v1/conversations/${noraConversation}/replies`, {
      text: "Your corrected invoice is attached",
      override_consent: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const log = (await ok(owner, "GET", "/api/v1/audit?action=reply.consent_overridden")).data;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ target_type: "contact", target_id: nora, actor_name: "Olivia Owner" });
    expect(log[0].details).toMatchObject({ conversation_id: noraConversation });
  });

  it("a bad override_consent is a 400 naming it", async () => {
    const res = await owner.request("POST", `/api/v1/conversations/${noraConversation}/replies`, { text: "x", override_consent: "yes" });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain("override_consent");
  });

  it("granted again: no warning, no refusal", async () => {
    await ok(owner, "POST", `/api/v1/contacts/${nora}/consent`, { purpose: "social_engagement", status: "granted", source: "phone call" });
    expect((await ok(owner, "GET", `/api/v1/conversations/${noraConversation}/composer`)).consent_warning).toBeNull();
    const res = await owner.request("POST", `/api/v1/conversations/${noraConversation}/replies`, { text: "Thanks for calling" });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe("the send_reply rule action", () => {
  it("answers people where they wrote, but not one who withdrew social engagement consent: the trace says why", async () => {
    const { owner, noraConversation, maxConversation, nora } = await setup();
    await ok(owner, "POST", `/api/v1/contacts/${nora}/consent`, { purpose: "social_engagement", status: "withdrawn", source: "web form" });
    const channel = (await ok(owner, "GET", "/api/v1/channels")).data[0];
    await ok(owner, "POST", "/api/v1/rules", {
      name: "acknowledge",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [] },
      actions: [{ type: "send_reply", text: "Thanks, we are on it", visibility: "private" }],
    });
    const counts = async () => ({
      nora: (await ok(owner, "GET", `/api/v1/conversations/${noraConversation}`)).message_count,
      max: (await ok(owner, "GET", `/api/v1/conversations/${maxConversation}`)).message_count,
    });
    const before = await counts();
    await ok(owner, "POST", "/api/v1/messages:batch", {
      channel_id: channel.id,
      messages: [
        {
          network: "webhook",
          external_id: "nora-2",
          author: { id: "u-nora", handle: "nora" },
          text: "Still wrong",
          in_reply_to: "nora-1",
          created_at: "2026-11-24T11:00:00Z",
        },
        {
          network: "webhook",
          external_id: "max-2",
          author: { id: "u-max", handle: "max" },
          text: "Any news?",
          in_reply_to: "max-1",
          created_at: "2026-11-24T11:00:00Z",
        },
      ],
    });
    const after = await counts();
    // each got their own message; only Max also got the automated reply
    expect(after.nora).toBe(before.nora + 1);
    expect(after.max).toBe(before.max + 2);
    const maxThread = await ok(owner, "GET", `/api/v1/conversations/${maxConversation}`);
    const auto = maxThread.messages.find((m: { text: string }) => m.text === "Thanks, we are on it");
    expect(auto).toMatchObject({ direction: "outbound" });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox
      where workspace_id = ${owner.workspaceId} and kind = 'reply'`.execute(t.db);
    expect(rows[0]?.n).toBe(1);
    const { rows: runs } = await sql<{ results: unknown }>`
      select rr.* from rule_runs rr join rules r on r.workspace_id = rr.workspace_id and r.id = rr.rule_id
      where rr.workspace_id = ${owner.workspaceId} and r.name = 'acknowledge'`.execute(t.db);
    expect(JSON.stringify(runs)).toContain("refused: the contact withdrew social_engagement consent");
    expect(JSON.stringify(runs)).toContain("private reply queued");
  });

  it("an empty reply text is refused with a 400 naming text", async () => {
    const { owner } = await setup();
    const res = await owner.request("POST", "/api/v1/rules", {
      name: "bad",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [] },
      actions: [{ type: "send_reply", text: "" }],
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error)).toContain("text");
  });
});
