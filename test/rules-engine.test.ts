import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = postMaker("r");
const ingest = ingestOk;

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
      "default.spam-close",
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

describe("rules API", () => {
  it("every save is a version; history lists them and an old one can be restored", async () => {
    const c = await newWorkspace(t);
    const rule = await makeRule(c, { name: "v1", actions: [{ type: "add_tags", tags: ["one"] }] });
    expect(rule.version).toBe(1);
    const v2 = await c.request("PATCH", `/api/v1/rules/${rule.id}`, { name: "v2", actions: [{ type: "add_tags", tags: ["two"] }] });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json()).toMatchObject({ version: 2, name: "v2" });
    const history = (await c.request("GET", `/api/v1/rules/${rule.id}/versions`)).json().data;
    expect(history.map((h: { version: number; name: string }) => [h.version, h.name])).toEqual([
      [2, "v2"],
      [1, "v1"],
    ]);
    const restored = await c.request("POST", `/api/v1/rules/${rule.id}:restore`, { version: 1 });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ version: 3, name: "v1", actions: [{ type: "add_tags", tags: ["one"] }] });
    // runs reference the version that fired
    await ingest(c, [post({ text: "versioned" })]);
    const m = (await c.request("GET", "/api/v1/messages?limit=5")).json().data[0];
    const runs = await runsOf(c, m.id);
    expect(runs.find((r) => r.rule_name === "v1")).toMatchObject({ version: 3 });
  });

  it("test with a sample message and dry run against recent messages write nothing", async () => {
    const c = await newWorkspace(t);
    await clearRules(c);
    const rule = await makeRule(c, {
      name: "refunds",
      conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "refund" }] },
      actions: [
        { type: "set_status", status: "open" },
        { type: "add_tags", tags: ["refund"] },
      ],
    });
    await clearRules(c);
    const again = await makeRule(c, {
      ...rule,
      key: undefined,
      id: undefined,
      version: undefined,
      created_at: undefined,
      updated_at: undefined,
      enabled: false,
    });
    const sample = await c.request("POST", `/api/v1/rules/${again.id}:test`, { message: { text: "I want a refund now" } });
    expect(sample.statusCode, sample.body).toBe(200);
    expect(sample.json()).toMatchObject({
      matched: true,
      actions: [
        { type: "set_status", ok: true },
        { type: "add_tags", ok: true },
      ],
    });
    expect(sample.json().conditions.conditions[0]).toMatchObject({ field: "message.text", op: "contains", result: true });
    const miss = (await c.request("POST", `/api/v1/rules/${again.id}:test`, { message: { text: "all good" } })).json();
    expect(miss).toMatchObject({ matched: false, actions: [] });
    expect(miss.conditions.conditions[0].result).toBe(false);

    await ingest(c, [post({ text: "refund please" }), post({ text: "nice product" }), post({ text: "where is my refund" })]);
    const dry = await c.request("POST", `/api/v1/rules/${again.id}:dry-run`, { limit: 10 });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ evaluated: 3, matched: 2, actions: { set_status: 2, add_tags: 2 } });
    expect(
      dry
        .json()
        .examples.map((e: { text: string }) => e.text)
        .sort(),
    ).toEqual(["refund please", "where is my refund"]);
    // nothing was written: the rule is disabled, and neither test nor dry run tags anything
    const tags = await t.db.selectFrom("conversation_tags").selectAll().where("workspace_id", "=", c.workspaceId).execute();
    expect(tags).toEqual([]);
    expect(await t.db.selectFrom("rule_runs").selectAll().where("workspace_id", "=", c.workspaceId).execute()).toEqual([]);
  });

  it("rules are managed by admins; agents and managers read them", async () => {
    const c = await newWorkspace(t);
    for (const role of ["agent", "manager"] as const) {
      const m = await memberWithRole(t, c, role);
      expect((await m.request("GET", "/api/v1/rules")).statusCode).toBe(200);
      const res = await m.request("POST", "/api/v1/rules", {
        name: "x",
        trigger: { type: "message.received" },
        actions: [{ type: "stop_processing" }],
      });
      expect(res.statusCode).toBe(403);
    }
    const admin = await memberWithRole(t, c, "admin");
    const res = await admin.request("POST", "/api/v1/rules", {
      name: "x",
      trigger: { type: "message.received" },
      actions: [{ type: "stop_processing" }],
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it("a condition on a field named like an Object property is an unknown field, not a 500", async () => {
    const c = await newWorkspace(t);
    for (const field of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const res = await c.request("POST", "/api/v1/rules", {
        name: "x",
        trigger: { type: "message.received" },
        conditions: { match: "all", conditions: [{ field, op: "lt", value: 1 }] },
        actions: [{ type: "stop_processing" }],
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).toContain(`unknown field`);
    }
  });

  it("order is the evaluation order", async () => {
    const c = await newWorkspace(t);
    await clearRules(c);
    const a = await makeRule(c, { name: "A", actions: [{ type: "set_status", status: "pending" }] });
    const b = await makeRule(c, { name: "B", actions: [{ type: "set_status", status: "open" }] });
    const reordered = await c.request("POST", "/api/v1/rules:reorder", { ids: [b.id, a.id] });
    expect(reordered.json().data.map((r: { name: string }) => r.name)).toEqual(["B", "A"]);
    await ingest(c, [post({ text: "order matters" })]);
    const m = (await c.request("GET", "/api/v1/messages?limit=5")).json().data[0];
    expect((await runsOf(c, m.id)).map((r) => r.rule_name)).toEqual(["B", "A"]);
    const conv = await conversationOf(c, m.id);
    expect(conv.status).toBe("pending");
  });
});
