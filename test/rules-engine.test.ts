import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
function post(over: Record<string, unknown> = {}) {
  seq++;
  return {
    network: "mastodon",
    external_id: `r-${seq}`,
    author: { id: `acct-${seq}`, handle: `user${seq}`, display_name: `User ${seq}`, followers: 10 },
    text: `Post number ${seq} about Acme`,
    created_at: new Date(Date.UTC(2026, 10, 2, 10, 0, seq)).toISOString(),
    ...over,
  };
}

async function ingest(c: Caller, messages: unknown[]) {
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function makeRule(c: Caller, rule: Record<string, unknown>) {
  const res = await c.request("POST", "/api/v1/rules", { trigger: { type: "message.received" }, ...rule });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function clearRules(c: Caller) {
  const list = (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>;
  for (const r of list) expect((await c.request("DELETE", `/api/v1/rules/${r.id}`)).statusCode).toBe(204);
}

async function conversationOf(c: Caller, messageId: string) {
  const msg = (await c.request("GET", `/api/v1/messages?limit=200`)).json().data.find((m: { id: string }) => m.id === messageId);
  return (await c.request("GET", `/api/v1/conversations/${msg.conversation_id}`)).json();
}

async function runsOf(c: Caller, messageId: string) {
  const res = await c.request("GET", `/api/v1/messages/${messageId}/rule-runs`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<{
    rule_name: string;
    conditions: unknown;
    actions: Array<{ type: string; ok: boolean; detail: string }>;
  }>;
}

describe("rules on ingest", () => {
  it("a new workspace has the default rules", async () => {
    const c = await newWorkspace(t);
    const list = (await c.request("GET", "/api/v1/rules")).json().data;
    expect(list.map((r: { key: string }) => r.key)).toEqual([
      "default.spam",
      "default.escalate",
      "default.support",
      "default.questions",
      "default.ideas",
      "default.sales",
    ]);
    const teams = (await c.request("GET", "/api/v1/teams")).json();
    const names = (teams.data ?? teams).map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(["Support", "Product", "Sales", "Managers"]));
  });

  it("conditions on text, sentiment and author decide; the run says why", async () => {
    const c = await newWorkspace(t);
    await clearRules(c);
    await makeRule(c, {
      name: "Outage",
      conditions: {
        match: "all",
        conditions: [
          { field: "message.text", op: "matches_query", value: '"is down" OR outage' },
          {
            match: "any",
            conditions: [
              { field: "author.followers", op: "gte", value: 1000 },
              { field: "author.verified", op: "equals", value: true },
            ],
          },
        ],
      },
      actions: [
        { type: "add_tags", tags: ["outage"] },
        { type: "set_status", status: "open" },
        { type: "set_priority", priority: 90 },
      ],
    });
    const big = post({ text: "Acme is down again", author: { id: "big", handle: "big", followers: 5000 } });
    const small = post({ text: "Acme is down again for me", author: { id: "small", handle: "small", followers: 3 } });
    const out = await ingest(c, [big, small]);
    expect(out.stored).toBe(2);
    const ids = (await c.request("GET", "/api/v1/messages?limit=10")).json().data;
    const bigMsg = ids.find((m: { text: string }) => m.text === "Acme is down again");
    const smallMsg = ids.find((m: { text: string }) => m.text !== "Acme is down again");
    const runs = await runsOf(c, bigMsg.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.rule_name).toBe("Outage");
    expect(runs[0]?.actions.map((a) => a.type)).toEqual(["add_tags", "set_status", "set_priority"]);
    expect(JSON.stringify(runs[0]?.conditions)).toContain('"result":true');
    expect(await runsOf(c, smallMsg.id)).toHaveLength(0);
    const conv = await conversationOf(c, bigMsg.id);
    expect(conv.conversation ?? conv).toMatchObject({ status: "open", priority: 90 });
  });
});
