import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fireRules, runSchedules } from "../src/rules";
import { newId } from "../src/shared/ids";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

// Each trigger and each action, through the real app and database.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = postMaker("a");
const ingest = ingestOk;

/** A workspace with no rules but the one(s) a test makes. */
async function bare() {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  return c;
}

async function makeRule(c: Caller, rule: Record<string, unknown>) {
  const res = await c.request("POST", "/api/v1/rules", { trigger: { type: "message.received" }, ...rule });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function lastMessage(c: Caller, text: string) {
  const m = (await c.request("GET", "/api/v1/messages?limit=100")).json().data.find((x: { text: string }) => x.text === text);
  expect(m, text).toBeTruthy();
  return m as { id: string; conversation_id: string; profile_id: string };
}

async function conversation(c: Caller, id: string) {
  const res = await c.request("GET", `/api/v1/conversations/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function team(c: Caller, name: string, memberIds: string[]) {
  const teams = (await c.request("GET", "/api/v1/teams")).json();
  const existing = (teams.data ?? teams).find((x: { name: string }) => x.name === name);
  if (existing) {
    const res = await c.request("PATCH", `/api/v1/teams/${existing.id}`, { member_ids: memberIds });
    expect(res.statusCode, res.body).toBe(200);
    return existing.id as string;
  }
  const res = await c.request("POST", "/api/v1/teams", { name, member_ids: memberIds });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const everything = { match: "all", conditions: [] };

describe("actions", () => {
  it("assign: round robin through a team, preferring members with the skill", async () => {
    const c = await bare();
    const a = await memberWithRole(t, c, "agent");
    const b = await memberWithRole(t, c, "agent");
    const teamId = await team(c, "Support", [a.userId, b.userId]);
    await makeRule(c, { name: "rr", conditions: everything, actions: [{ type: "assign", team: "Support", strategy: "round_robin" }] });
    const texts = ["one", "two", "three", "four"].map((w) => `round robin ${w}`);
    await ingest(
      c,
      texts.map((text) => post({ text })),
    );
    const assignees = [];
    for (const text of texts) {
      const conv = await conversation(c, (await lastMessage(c, text)).conversation_id);
      expect(conv.team_id).toBe(teamId);
      assignees.push(conv.assignee_id);
    }
    expect(new Set(assignees)).toEqual(new Set([a.userId, b.userId]));
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[0]).toBe(assignees[2]);

    // skills: only b speaks German
    expect((await c.request("PUT", "/api/v1/skills", { user_id: b.userId, skills: ["german"] })).statusCode).toBe(200);
    const rules = (await c.request("GET", "/api/v1/rules")).json().data;
    await c.request("DELETE", `/api/v1/rules/${rules[0].id}`);
    await makeRule(c, {
      name: "de",
      conditions: { match: "all", conditions: [{ field: "message.language", op: "equals", value: "de" }] },
      actions: [{ type: "assign", team: "Support", strategy: "round_robin", skill: "german" }],
    });
    await ingest(c, [
      post({ text: "Mein Paket ist nicht angekommen", language: "de" }),
      post({ text: "Wo ist meine Bestellung", language: "de" }),
    ]);
    for (const text of ["Mein Paket ist nicht angekommen", "Wo ist meine Bestellung"]) {
      expect((await conversation(c, (await lastMessage(c, text)).conversation_id)).assignee_id).toBe(b.userId);
    }
  });

  it("assign: least loaded among online members", async () => {
    const c = await bare();
    const busy = await memberWithRole(t, c, "agent"); // signed in just now: online
    const free = await memberWithRole(t, c, "agent");
    await team(c, "Support", [busy.userId, free.userId]);
    // busy already has two open conversations
    await ingest(c, [post({ text: "older one" }), post({ text: "older two" })]);
    for (const text of ["older one", "older two"]) {
      const m = await lastMessage(c, text);
      expect((await c.request("PATCH", `/api/v1/conversations/${m.conversation_id}`, { assignee_id: busy.userId })).statusCode).toBe(200);
    }
    await makeRule(c, { name: "ll", conditions: everything, actions: [{ type: "assign", team: "Support", strategy: "least_loaded" }] });
    await ingest(c, [post({ text: "new work" })]);
    const conv = await conversation(c, (await lastMessage(c, "new work")).conversation_id);
    expect(conv.assignee_id).toBe(free.userId);
    expect(conv.rule_runs[0].actions[0].detail).toContain("least loaded online");
  });

  it("create case, deal and idea; the case is assigned and linked to the rule", async () => {
    const c = await bare();
    const agent = await memberWithRole(t, c, "agent");
    await team(c, "Support", [agent.userId]);
    const rule = await makeRule(c, {
      name: "cases",
      conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "broken" }] },
      actions: [
        { type: "assign", team: "Support", strategy: "round_robin" },
        { type: "create_case", subject: "Broken: {{message.text:20}}", priority: "high" },
      ],
    });
    await makeRule(c, {
      name: "deals",
      conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "buy" }] },
      actions: [{ type: "create_deal", title: "Lead {{author.handle}}", value: 500, currency: "EUR" }],
    });
    await makeRule(c, {
      name: "ideas",
      conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "dark mode" }] },
      actions: [{ type: "create_idea", title: "Dark mode" }],
    });
    await ingest(c, [
      post({ text: "The app is broken since the update" }),
      post({ text: "I want to buy 20 seats" }),
      post({ text: "please add dark mode" }),
      post({ text: "dark mode would be lovely" }),
    ]);
    const m = await lastMessage(c, "The app is broken since the update");
    const cases = await t.db.selectFrom("cases").selectAll().where("workspace_id", "=", c.workspaceId).execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ assignee_id: agent.userId, priority: "high", source: "rule", rule_id: rule.id });
    expect(cases[0]?.subject).toBe("Broken: The app is broken s…");
    const deals = await t.db.selectFrom("deals").selectAll().where("workspace_id", "=", c.workspaceId).execute();
    expect(deals).toHaveLength(1);
    expect(deals[0]?.title).toMatch(/^Lead user/);
    const ideas = await t.db.selectFrom("ideas").selectAll().where("workspace_id", "=", c.workspaceId).execute();
    expect(ideas).toHaveLength(1);
    const conv = await conversation(c, m.conversation_id);
    expect(conv.rule_runs.map((r: { rule_name: string }) => r.rule_name)).toEqual(["cases"]);
  });

  it("contact actions: tag (segment by tag), lifecycle stage, note and task; notify in-app", async () => {
    const c = await bare();
    const manager = await memberWithRole(t, c, "manager");
    await team(c, "Managers", [manager.userId]);
    const contact = (await c.request("POST", "/api/v1/contacts", { name: "Vera Vip", emails: ["vera@example.com"] })).json();
    await makeRule(c, {
      name: "vip",
      conditions: { match: "all", conditions: [{ field: "contact.id", op: "is_set" }] },
      actions: [
        { type: "tag_contact", tags: ["heard-on-social"] },
        { type: "set_lifecycle_stage", stage: "prospect" },
        { type: "add_note", body: "Said: {{message.text}}" },
        { type: "add_task", subject: "Call {{contact.name}} back", due_in_hours: 24 },
        { type: "notify", team: "Managers", title: "{{contact.name}} posted" },
      ],
    });
    const p = post({ text: "hello from vera", author: { id: "vera-acct", handle: "vera" } });
    const q = post({ text: "hello from a stranger" });
    // link vera's profile to the contact before her post arrives
    await ingest(c, [post({ text: "first vera post", author: { id: "vera-acct", handle: "vera" } })]);
    const first = await lastMessage(c, "first vera post");
    await t.db
      .updateTable("profiles")
      .set({ contact_id: contact.id })
      .where("workspace_id", "=", c.workspaceId)
      .where("id", "=", first.profile_id)
      .execute();
    await ingest(c, [p, q]);
    const after = (await c.request("GET", `/api/v1/contacts/${contact.id}`)).json();
    expect(after.tags).toContain("heard-on-social");
    expect(after.lifecycle_stage).toBe("prospect");
    const acts = await t.db.selectFrom("activities").selectAll().where("contact_id", "=", contact.id).orderBy("type").execute();
    expect(acts.map((a) => a.type)).toEqual(["note", "task"]);
    expect(acts[0]?.body).toBe("Said: hello from vera");
    expect(acts[1]?.subject).toBe("Call Vera Vip back");
    const notes = (await manager.request("GET", "/api/v1/notifications")).json().data;
    expect(notes).toHaveLength(1);
    expect(notes[0].title).toBe("Vera Vip posted");
    expect(await t.db.selectFrom("rule_runs").select("message_id").where("workspace_id", "=", c.workspaceId).execute()).toHaveLength(1);
  });

  it("stop processing: later rules do not run", async () => {
    const c = await bare();
    await makeRule(c, { name: "first", conditions: everything, actions: [{ type: "add_tags", tags: ["a"] }], stop_processing: true });
    await makeRule(c, { name: "second", conditions: everything, actions: [{ type: "add_tags", tags: ["b"] }] });
    await ingest(c, [post({ text: "stop here" })]);
    const conv = await conversation(c, (await lastMessage(c, "stop here")).conversation_id);
    expect(conv.tags).toEqual(["a"]);
    expect(conv.rule_runs.map((r: { rule_name: string }) => r.rule_name)).toEqual(["first"]);
  });
});

describe("conditions", () => {
  it("every operator type: numbers, enums, arrays, booleans, is set, not in, time of day", async () => {
    const c = await bare();
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 2, h, m)).toISOString(); // a Monday
    const check = async (cond: Record<string, unknown>, sample: Record<string, unknown>) => {
      const res = await c.request("POST", "/api/v1/rules:test", {
        rule: {
          name: "t",
          trigger: { type: "message.received" },
          conditions: { match: "all", conditions: [cond] },
          actions: [{ type: "add_tags", tags: ["x"] }],
        },
        message: { text: "My order never arrived, I want a refund", ...sample },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().matched as boolean;
    };
    expect(await check({ field: "author.followers", op: "gt", value: 100 }, { author: { followers: 101 } })).toBe(true);
    expect(await check({ field: "author.followers", op: "gt", value: 100 }, { author: { followers: 100 } })).toBe(false);
    expect(await check({ field: "author.followers", op: "lte", value: 100 }, {})).toBe(false); // not set
    expect(await check({ field: "message.sentiment", op: "in", value: ["negative", "neutral"] }, { sentiment: "negative" })).toBe(true);
    expect(await check({ field: "message.sentiment", op: "not_in", value: ["negative"] }, { sentiment: "negative" })).toBe(false);
    expect(await check({ field: "message.labels", op: "contains", value: "complaint" }, { labels: ["complaint", "question"] })).toBe(true);
    expect(await check({ field: "message.labels", op: "not_in", value: ["spam", "praise"] }, { labels: ["complaint"] })).toBe(true);
    expect(await check({ field: "message.labels", op: "is_not_set" }, { labels: [] })).toBe(true);
    expect(await check({ field: "author.verified", op: "equals", value: true }, { author: { verified: true } })).toBe(true);
    expect(await check({ field: "message.text", op: "not_contains", value: "REFUND" }, {})).toBe(false);
    expect(await check({ field: "message.text", op: "matches_query", value: "refund -thanks" }, {})).toBe(true);
    expect(
      await check({ field: "contact.lifecycle_stage", op: "equals", value: "customer" }, { contact: { lifecycle_stage: "customer" } }),
    ).toBe(true);
    expect(await check({ field: "contact.tags", op: "contains", value: "vip" }, { contact: { tags: ["VIP"] } })).toBe(true);
    expect(await check({ field: "contact.custom.plan", op: "equals", value: "gold" }, { contact: { "custom.plan": "gold" } })).toBe(true);
    expect(await check({ field: "time.business_hours", op: "equals", value: true }, { at: at(10) })).toBe(true);
    expect(await check({ field: "time.business_hours", op: "equals", value: true }, { at: at(20) })).toBe(false);
    expect(await check({ field: "time.time", op: "gte", value: "09:30" }, { at: at(9, 45) })).toBe(true);
    expect(await check({ field: "time.weekday", op: "in", value: ["sat", "sun"] }, { at: at(10) })).toBe(false);
    // the analyzer fills what the sample leaves out
    expect(await check({ field: "message.labels", op: "contains", value: "complaint" }, {})).toBe(true);
  });

  it("segment membership through the segment's saved filter", async () => {
    const c = await bare();
    const seg = await c.request("POST", "/api/v1/segments", {
      name: "Customers",
      entity: "contact",
      filter: { match: "all", conditions: [{ field: "lifecycle_stage", op: "eq", value: "customer" }] },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const segmentId = seg.json().id;
    await makeRule(c, {
      name: "customers",
      conditions: { match: "all", conditions: [{ field: "contact.segments", op: "contains", value: segmentId }] },
      actions: [{ type: "add_tags", tags: ["customer"] }],
    });
    const customer = (await c.request("POST", "/api/v1/contacts", { name: "Cu Stomer", lifecycle_stage: "customer" })).json();
    await ingest(c, [
      post({ text: "customer hello 1", author: { id: "cust" } }),
      post({ text: "not linked hello", author: { id: "other" } }),
    ]);
    const m1 = await lastMessage(c, "customer hello 1");
    await t.db
      .updateTable("profiles")
      .set({ contact_id: customer.id })
      .where("workspace_id", "=", c.workspaceId)
      .where("id", "=", m1.profile_id)
      .execute();
    await ingest(c, [
      post({ text: "customer hello 2", author: { id: "cust" } }),
      post({ text: "not linked again", author: { id: "other" } }),
    ]);
    expect((await conversation(c, (await lastMessage(c, "customer hello 2")).conversation_id)).tags).toEqual(["customer"]);
    expect((await conversation(c, (await lastMessage(c, "not linked again")).conversation_id)).tags).toEqual([]);
  });

  it("bad rules are refused with the field path named", async () => {
    const c = await bare();
    const res = await c.request("POST", "/api/v1/rules", {
      name: "bad",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [{ match: "any", conditions: [{ field: "author.followers", op: "contains", value: 3 }] }] },
      actions: [{ type: "assign" }],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toContain("conditions.conditions.0.conditions.0.op");
    expect(fields).toContain("actions.0.team");
    const hook = await c.request("POST", "/api/v1/rules", {
      name: "internal hook",
      trigger: { type: "message.received" },
      actions: [{ type: "webhook", url: "http://127.0.0.1:9/x" }],
    });
    expect(hook.statusCode).toBe(400);
    expect(hook.json().error.details[0].field).toBe("actions.0.url");
  });
});

describe("triggers", () => {
  it("conversation status changed", async () => {
    const c = await bare();
    await makeRule(c, {
      name: "closed",
      trigger: { type: "conversation.status_changed" },
      conditions: { match: "all", conditions: [{ field: "event.to", op: "equals", value: "closed" }] },
      actions: [{ type: "add_tags", tags: ["was-closed"] }],
    });
    await ingest(c, [post({ text: "status trigger" })]);
    const m = await lastMessage(c, "status trigger");
    const open = await c.request("PATCH", `/api/v1/conversations/${m.conversation_id}`, { status: "open" });
    expect(open.json().tags).toEqual([]);
    const closed = await c.request("PATCH", `/api/v1/conversations/${m.conversation_id}`, { status: "closed" });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().tags).toEqual(["was-closed"]);
    expect(closed.json().rule_runs[0].trigger).toBe("conversation.status_changed");
  });

  it("message analyzed, record changed and SLA events, each at most once", async () => {
    const c = await bare();
    const manager = await memberWithRole(t, c, "manager");
    await makeRule(c, {
      name: "deal won",
      trigger: { type: "record.changed", entity: "deal" },
      conditions: {
        match: "all",
        conditions: [
          { field: "record.entity", op: "equals", value: "deal" },
          { field: "record.changed", op: "contains", value: "status" },
          { field: "record.status", op: "equals", value: "won" },
        ],
      },
      actions: [{ type: "notify", user_ids: [manager.userId], title: "Deal won" }],
    });
    await makeRule(c, {
      name: "breach",
      trigger: { type: "sla.breached" },
      conditions: { match: "all", conditions: [{ field: "sla.kind", op: "equals", value: "first_response" }] },
      actions: [{ type: "notify", roles: ["manager"], title: "First response breached" }],
    });
    const dealId = newId();
    const caseId = newId();
    await t.db.transaction().execute(async (tx) => {
      await fireRules(tx, c.workspaceId, { type: "record.changed", entity: "deal", id: dealId, changes: { status: ["open", "won"] } });
      await fireRules(tx, c.workspaceId, { type: "record.changed", entity: "deal", id: dealId, changes: { value: [1, 2] } });
      await fireRules(tx, c.workspaceId, { type: "sla.breached", caseId, kind: "first_response" });
      await fireRules(tx, c.workspaceId, { type: "sla.breached", caseId, kind: "first_response" }); // the scan saw it twice
      await fireRules(tx, c.workspaceId, { type: "sla.breached", caseId, kind: "resolution" });
    });
    const notes = (await manager.request("GET", "/api/v1/notifications")).json().data.map((n: { title: string }) => n.title);
    expect(notes.sort()).toEqual(["Deal won", "First response breached"]);

    await makeRule(c, {
      name: "analyzed",
      trigger: { type: "message.analyzed" },
      conditions: everything,
      actions: [{ type: "add_tags", tags: ["seen"] }],
    });
    await ingest(c, [post({ text: "analyzed once" })]);
    const m = await lastMessage(c, "analyzed once");
    // a re-analysis fires message.analyzed again: the rule does not run twice
    await t.db.transaction().execute((tx) => fireRules(tx, c.workspaceId, { type: "message.analyzed", messageIds: [m.id] }));
    const runs = (await c.request("GET", `/api/v1/messages/${m.id}/rule-runs`)).json().data;
    expect(runs).toHaveLength(1);
  });

  it("schedule: every N minutes, at most once per slot", async () => {
    const c = await bare();
    const rule = await makeRule(c, {
      name: "digest",
      trigger: { type: "schedule", schedule: { every_minutes: 60 } },
      actions: [{ type: "notify", roles: ["owner"], title: "Hourly digest at {{time.time}}" }],
    });
    const base = new Date(Date.UTC(2030, 0, 1, 8, 0));
    const mine = async () => (await c.request("GET", "/api/v1/notifications")).json().data.map((n: { title: string }) => n.title);
    await runSchedules(t.db, base);
    await runSchedules(t.db, new Date(base.getTime() + 30 * 60_000)); // not due
    await runSchedules(t.db, new Date(base.getTime() + 61 * 60_000));
    expect((await mine()).sort()).toEqual(["Hourly digest at 08:00", "Hourly digest at 09:01"]);
    const runs = (await c.request("GET", `/api/v1/rules/${rule.id}/runs`)).json().data;
    expect(runs).toHaveLength(2);
  });
});

describe("settings and scoping", () => {
  it("time conditions use the workspace's time zone; record rules watch their entity only", async () => {
    const c = await bare();
    expect((await c.request("GET", "/api/v1/rules/settings")).json()).toEqual({ time_zone: "UTC" });
    const bad = await c.request("PUT", "/api/v1/rules/settings", { time_zone: "Mars/Olympus" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("time_zone");
    expect((await c.request("PUT", "/api/v1/rules/settings", { time_zone: "Asia/Tokyo" })).statusCode).toBe(200);
    const res = await c.request("POST", "/api/v1/rules:test", {
      rule: {
        name: "t",
        trigger: { type: "message.received" },
        conditions: { match: "all", conditions: [{ field: "time.hour", op: "equals", value: 19 }] },
        actions: [{ type: "stop_processing" }],
      },
      message: { text: "hello", at: "2026-11-02T10:00:00Z" }, // 19:00 in Tokyo
    });
    expect(res.json().matched).toBe(true);

    const manager = await memberWithRole(t, c, "manager");
    await makeRule(c, {
      name: "idea changed",
      trigger: { type: "record.changed", entity: "idea" },
      actions: [{ type: "notify", user_ids: [manager.userId], title: "An idea changed" }],
    });
    await t.db.transaction().execute(async (tx) => {
      await fireRules(tx, c.workspaceId, { type: "record.changed", entity: "deal", id: newId(), changes: { stage: ["a", "b"] } });
      await fireRules(tx, c.workspaceId, { type: "record.changed", entity: "idea", id: newId(), changes: { status: ["new", "planned"] } });
    });
    const notes = (await manager.request("GET", "/api/v1/notifications")).json().data;
    expect(notes.map((n: { title: string }) => n.title)).toEqual(["An idea changed"]);
  });
});

describe("SLA scheduler", () => {
  it("the SLA scan fires sla.warning and sla.breached rules once", async () => {
    const c = await bare();
    const target = { first_response_minutes: 60, resolution_minutes: 600 };
    const policy = await c.request("POST", "/api/v1/sla-policies", {
      name: "Fast",
      priorities: ["urgent"],
      targets: { low: target, normal: target, high: target, urgent: target },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const kase = await c.request("POST", "/api/v1/cases", { subject: "SLA watched", priority: "urgent" });
    expect(kase.statusCode, kase.body).toBe(201);
    await makeRule(c, {
      name: "warn",
      trigger: { type: "sla.warning" },
      actions: [{ type: "notify", roles: ["owner"], title: "SLA {{sla.kind}} warning" }],
    });
    await makeRule(c, {
      name: "breach",
      trigger: { type: "sla.breached" },
      actions: [{ type: "notify", roles: ["owner"], title: "SLA {{sla.kind}} breached" }],
    });
    const { runSla } = await import("../src/rules");
    const later = new Date(Date.now() + 3 * 3_600_000); // first response overdue, resolution not yet
    await runSla(t.db, later);
    await runSla(t.db, later); // a second scan changes nothing
    const titles = (await c.request("GET", "/api/v1/notifications")).json().data.map((n: { title: string }) => n.title);
    expect(titles).toContain("SLA first_response breached");
    expect(titles.filter((x: string) => x === "SLA first_response breached")).toHaveLength(1);
    expect(titles).not.toContain("SLA resolution breached");
  });
});
