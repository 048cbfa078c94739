import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/understand";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Every stored message carries its analysis; agents can correct it.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const msg = (text: string, extra: Record<string, unknown> = {}) => ({
  network: "x",
  external_id: `u-${++n}`,
  author: { id: `a-${n}`, handle: `user${n}`, followers: 48_000 },
  text,
  created_at: new Date(Date.UTC(2026, 10, 1, 9, 0, n)).toISOString(),
  ...extra,
});

async function ingest(c: Caller, messages: unknown[]) {
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe("analysis on every message", () => {
  it("stores sentiment, labels, priority and reasons, and filters by them", async () => {
    const c = await newWorkspace(t);
    await c.request("POST", "/api/v1/dictionary", { kind: "product", name: "Acme Cloud" });
    await ingest(c, [
      msg("@acmehelp I was charged twice and nobody answers. I want a refund NOW, this is unacceptable"),
      msg("Absolutely love the new Acme Cloud dashboard, great work team! 😍"),
      msg("How do I change the billing email on my account?"),
    ]);
    const all = (await c.request("GET", "/api/v1/messages")).json().data as Array<{ text: string; analysis: Record<string, unknown> }>;
    expect(all).toHaveLength(3);
    for (const m of all) {
      expect(m.analysis).toMatchObject({ sentiment: { label: expect.any(String) }, priority: expect.any(Number) });
      expect(Array.isArray(m.analysis.reasons)).toBe(true);
    }
    const angry = all.find((m) => m.text.includes("charged twice"));
    const happy = all.find((m) => m.text.includes("love"));
    if (!angry || !happy) throw new Error("messages missing");
    expect((angry.analysis.sentiment as { label: string }).label).toBe("negative");
    expect(angry?.analysis.labels).toContain("complaint");
    expect((happy.analysis.sentiment as { label: string }).label).toBe("positive");
    expect(happy?.analysis.products).toEqual(["Acme Cloud"]);
    expect(Number(angry?.analysis.priority)).toBeGreaterThan(Number(happy?.analysis.priority));

    const complaints = (await c.request("GET", "/api/v1/messages?label=complaint")).json().data;
    expect(complaints.map((m: { text: string }) => m.text)).toContain(angry?.text);
    expect(complaints.map((m: { text: string }) => m.text)).not.toContain(happy?.text);
    const negative = (await c.request("GET", "/api/v1/messages?sentiment=negative")).json().data;
    expect(negative.map((m: { text: string }) => m.text)).toContain(angry?.text);
    const convs = (await c.request("GET", "/api/v1/conversations?label=complaint")).json().data;
    expect(convs.length).toBeGreaterThanOrEqual(1);
    expect(convs[0].priority).toBeGreaterThan(0);
  });

  it("keeps agents' corrections with who, when and old → new, and exports them as training data", async () => {
    const c = await newWorkspace(t);
    await ingest(c, [msg("Great, another outage. Just what I needed today.")]);
    const m = (await c.request("GET", "/api/v1/messages")).json().data[0];
    const res = await c.request("POST", `/api/v1/messages/${m.id}/corrections`, { sentiment: "negative", labels: ["complaint"] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message.analysis).toMatchObject({ sentiment: { label: "negative" }, labels: ["complaint"] });
    const history = (await c.request("GET", `/api/v1/messages/${m.id}/corrections`)).json().data;
    const fields = history.map((h: { field: string }) => h.field).sort();
    expect(fields).toEqual(expect.arrayContaining(["labels"]));
    for (const h of history) expect(h.user_id).toBe(c.userId);
    const exported = await c.request("GET", "/api/v1/corrections/export");
    expect(exported.headers["content-type"]).toContain("ndjson");
    const lines = exported.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ text: m.text, sentiment: "negative", labels: ["complaint"] });

    const bad = await c.request("POST", `/api/v1/messages/${m.id}/corrections`, { labels: ["angry"] });
    expect(bad.statusCode).toBe(400);
    const empty = await c.request("POST", `/api/v1/messages/${m.id}/corrections`, {});
    expect(empty.statusCode).toBe(400);
  });
});

describe("spam and the workspace's own posts", () => {
  const giveaway = "FREE iPhone giveaway 🔥 follow + retweet + click the link in bio to claim http://bit.ly/x";
  const byText = async (c: Caller) =>
    new Map(
      (
        (await c.request("GET", "/api/v1/messages?limit=50")).json().data as Array<{
          text: string;
          id: string;
          conversation_id: string;
          direction: string;
          analysis: { labels: string[] };
        }>
      ).map((m) => [m.text, m]),
    );
  const conversation = async (c: Caller, id: string) => {
    const res = await c.request("GET", `/api/v1/conversations/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return (body.conversation ?? body) as { status: string; tags?: string[] };
  };

  it("never labels an outbound post spam, however it reads", async () => {
    const c = await newWorkspace(t);
    expect((await c.request("POST", "/api/v1/own-accounts", { network: "x", handle: "@AcmeCare" })).statusCode).toBe(201);
    const own = "Giveaway time! 🔥 Follow + retweet + click the link in bio to claim a free iPhone http://bit.ly/z";
    // From anyone else the same words are spam.
    expect(analyze(own).labels).toContain("spam");
    await ingest(c, [msg(giveaway), msg(own, { author: { id: "acme-1", handle: "AcmeCare", followers: 90_000 } })]);
    const messages = await byText(c);
    const theirs = messages.get(giveaway);
    const ours = messages.get(own);
    expect(theirs?.direction).toBe("inbound");
    expect(theirs?.analysis.labels).toContain("spam");
    expect(ours?.direction).toBe("outbound");
    expect(ours?.analysis.labels).not.toContain("spam");
  });

  it("closes a spam-only conversation but never one that holds a customer's real message", async () => {
    const c = await newWorkspace(t);
    const complaint = msg("@acmehelp my order #5521 never arrived and nobody answers my emails, I want a refund");
    const spamReply = msg("Crypto recovery expert got my bitcoin back, contact @RecoverPro on telegram 💰 http://bit.ly/y", {
      in_reply_to: complaint.external_id,
    });
    await ingest(c, [complaint]);
    await ingest(c, [spamReply, msg(giveaway)]);
    const messages = await byText(c);
    const reply = messages.get(spamReply.text);
    const lone = messages.get(giveaway);
    if (!reply || !lone) throw new Error("messages missing");
    expect(reply.analysis.labels).toContain("spam");
    expect(lone.analysis.labels).toContain("spam");
    expect(reply.conversation_id).toBe(messages.get(complaint.text)?.conversation_id);
    expect((await conversation(c, reply.conversation_id)).status).not.toBe("closed");
    expect((await conversation(c, lone.conversation_id)).status).toBe("closed");
  });
});

describe("signals on stored messages", () => {
  it("keeps irony and toxic on the analysis, and rules can test them and churn risk", async () => {
    const c = await newWorkspace(t);
    const rule = (conditions: unknown[], tag: string) =>
      c.request("POST", "/api/v1/rules", {
        name: `tag ${tag}`,
        trigger: { type: "message.analyzed" },
        conditions: { match: "all", conditions },
        actions: [{ type: "add_tags", tags: [tag] }],
      });
    expect((await rule([{ field: "message.toxic", op: "gte", value: 0.5 }], "abuse")).statusCode).toBe(201);
    expect((await rule([{ field: "message.churn_risk", op: "gte", value: 0.5 }], "at-risk")).statusCode).toBe(201);
    expect((await rule([{ field: "message.irony", op: "lt", value: 2 }], "analyzed")).statusCode).toBe(201);
    const bad = await rule([{ field: "message.toxic", op: "gte", value: "high" }], "x");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("value");

    const abuse = "you are a disgusting pig and everyone hates you";
    const leaving = "Cancelling my subscription today and moving to your competitor, done with this.";
    await ingest(c, [msg(abuse), msg(leaving)]);
    const messages = (await c.request("GET", "/api/v1/messages")).json().data as Array<{
      text: string;
      conversation_id: string;
      analysis: { signals: Record<string, number> };
    }>;
    const tagsOf = async (text: string) => {
      const m = messages.find((x) => x.text === text);
      if (!m) throw new Error(`missing ${text}`);
      const conv = (await c.request("GET", `/api/v1/conversations/${m.conversation_id}`)).json();
      return { m, tags: ((conv.conversation ?? conv).tags ?? []) as string[] };
    };
    const a = await tagsOf(abuse);
    expect(a.m.analysis.signals.toxic).toBeGreaterThanOrEqual(0.5);
    expect(a.m.analysis.signals.irony).toBeGreaterThanOrEqual(0);
    expect(a.tags).toEqual(expect.arrayContaining(["abuse", "analyzed"]));
    expect(a.tags).not.toContain("at-risk");
    const l = await tagsOf(leaving);
    expect(l.m.analysis.signals.toxic).toBeLessThan(0.5);
    expect(l.tags).toEqual(expect.arrayContaining(["at-risk", "analyzed"]));
    expect(l.tags).not.toContain("abuse");
  });
});
