import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "../src/ingest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { postMaker } from "./support/posts";

// The rules of one ingest batch create their cases, deals and ideas together (src/work/rule-batch.ts):
// the same records as one at a time, consecutive case numbers, a rule run per message and rule,
// nothing more on a re-ingest, and no number twice when two batches of a workspace run at once.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = postMaker("rb");

async function withRules(rules: Array<Record<string, unknown>>) {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  for (const rule of rules) {
    const res = await c.request("POST", "/api/v1/rules", { trigger: { type: "message.received" }, ...rule });
    expect(res.statusCode, res.body).toBe(201);
  }
  return c;
}

const contains = (text: string) => ({ match: "all", conditions: [{ field: "message.text", op: "contains", value: text }] });

const RULES = [
  {
    name: "Broken → case",
    conditions: contains("broken"),
    actions: [{ type: "create_case", subject: "Broken: {{message.text:40}}", team: "Support" }],
  },
  // a second case rule on the same messages reuses the case the first one made in this batch
  { name: "Broken → urgent too", conditions: contains("broken"), actions: [{ type: "create_case", priority: "urgent" }] },
  { name: "Ideas", conditions: contains("dark mode"), actions: [{ type: "create_idea", title: "Dark mode for the dashboard" }] },
  { name: "Other ideas", conditions: contains("csv export"), actions: [{ type: "create_idea", title: "CSV export of invoices" }] },
  { name: "Leads", conditions: contains("buy"), actions: [{ type: "create_deal", title: "Lead: {{message.text:40}}" }] },
];

function batchOf() {
  const broken = Array.from({ length: 5 }, (_, i) => post({ text: `The app is broken again, try ${i}` }));
  // a reply in the first complaint's conversation: its case is reused, not a sixth one
  const reply = post({ text: "Still broken here as well", in_reply_to: broken[0]?.external_id });
  const ideas = [
    post({ text: "Please give us dark mode" }),
    post({ text: "dark mode would be lovely" }),
    post({ text: "dark mode, when?" }),
    post({ text: "We need csv export" }),
  ];
  const leads = [post({ text: "We want to buy 20 seats" }), post({ text: "How do I buy the team plan?" })];
  return [...broken, reply, ...ideas, ...leads];
}

async function counts(c: Caller) {
  const ws = c.workspaceId;
  const n = async (table: "cases" | "deals" | "ideas" | "idea_votes" | "case_conversations" | "case_events" | "rule_runs") =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("workspace_id", "=", ws)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    cases: await n("cases"),
    deals: await n("deals"),
    ideas: await n("ideas"),
    votes: await n("idea_votes"),
    caseLinks: await n("case_conversations"),
    caseEvents: await n("case_events"),
    runs: await n("rule_runs"),
  };
}

async function caseNumbers(workspaceId: string) {
  const rows = await t.db.selectFrom("cases").select("number").where("workspace_id", "=", workspaceId).orderBy("number").execute();
  return rows.map((r) => Number(r.number));
}

describe("rules of one ingest batch", () => {
  it("create exactly the expected cases, deals and ideas, numbered consecutively, once", async () => {
    const c = await withRules(RULES);
    const items = batchOf();
    const first = await ingestBatch(t.db, c.workspaceId, items);
    expect(first.outcomes.filter((o) => o.status === "stored")).toHaveLength(items.length);

    expect(await counts(c)).toEqual({
      cases: 5,
      deals: 2,
      ideas: 2,
      // three authors voted for dark mode, one for csv export
      votes: 4,
      caseLinks: 5,
      caseEvents: 5,
      // 6 messages × 2 case rules, 4 idea messages, 2 leads
      runs: 6 * 2 + 4 + 2,
    });
    expect(await caseNumbers(c.workspaceId)).toEqual([1001, 1002, 1003, 1004, 1005]);

    const cases = await t.db
      .selectFrom("cases as k")
      .innerJoin("case_conversations as cc", (j) => j.onRef("cc.workspace_id", "=", "k.workspace_id").onRef("cc.case_id", "=", "k.id"))
      .select(["k.number", "k.subject", "k.priority", "k.team_id", "k.created_by", "cc.conversation_id", "k.first_response_due_at"])
      .where("k.workspace_id", "=", c.workspaceId)
      .execute();
    expect(new Set(cases.map((k) => k.conversation_id)).size).toBe(5);
    for (const k of cases) {
      expect(k.subject).toMatch(/^Broken: The app is broken again/);
      expect(k.priority).toBe("normal");
      expect(k.team_id).toBeTruthy();
      expect(k.created_by).toMatch(/^rule:/);
      // the default SLA policy set its targets
      expect(k.first_response_due_at).toBeTruthy();
    }

    const ideas = await t.db
      .selectFrom("ideas")
      .select(["title", "vote_count"])
      .where("workspace_id", "=", c.workspaceId)
      .orderBy("title")
      .execute();
    expect(ideas.map((i) => [i.title, Number(i.vote_count)])).toEqual([
      ["CSV export of invoices", 1],
      ["Dark mode for the dashboard", 3],
    ]);

    // the trace says what each action did, with the case's number and the idea it went to
    const runs = await t.db
      .selectFrom("rule_runs as r")
      .innerJoin("messages as m", (j) => j.onRef("m.workspace_id", "=", "r.workspace_id").onRef("m.id", "=", "r.message_id"))
      .select(["m.external_id", "m.conversation_id", "r.actions"])
      .where("r.workspace_id", "=", c.workspaceId)
      .execute();
    const details = (ext: string) =>
      runs
        .filter((r) => r.external_id === ext)
        .map((r) => (r.actions as Array<{ type: string; ok: boolean; detail: string }>)[0])
        .map((a) => `${a?.type} ${a?.ok} ${a?.detail}`)
        .sort();
    const complaint = details(items[0]?.external_id as string);
    expect(complaint).toHaveLength(2);
    const number = /case (\d+)/.exec(complaint[0] as string)?.[1];
    expect(Number(number)).toBeGreaterThanOrEqual(1001);
    // both case rules and the reply in that conversation name the same case
    expect(complaint.every((d) => d.includes(`case ${number}`))).toBe(true);
    expect(details(items[5]?.external_id as string).every((d) => d.includes(`case ${number}`))).toBe(true);
    expect(details(items[6]?.external_id as string)).toEqual([expect.stringMatching(/^create_idea true new idea .+ \(\+1 vote\)$/)]);
    expect(details(items[7]?.external_id as string)).toEqual([
      expect.stringMatching(/^create_idea true attached to idea .+ \(\+1 vote\)$/),
    ]);
    expect(details(items[10]?.external_id as string)).toEqual([expect.stringMatching(/^create_deal true deal /)]);

    // the same batch again: every message is a duplicate and nothing more is created
    const again = await ingestBatch(t.db, c.workspaceId, items);
    expect(again.outcomes.filter((o) => o.status === "stored")).toHaveLength(0);
    expect(await counts(c)).toEqual({ cases: 5, deals: 2, ideas: 2, votes: 4, caseLinks: 5, caseEvents: 5, runs: 18 });

    // a later batch continues the numbers and reuses the open case of a known conversation
    await ingestBatch(t.db, c.workspaceId, [
      post({ text: "Broken after the update" }),
      post({ text: "broken still", in_reply_to: items[1]?.external_id }),
    ]);
    expect(await caseNumbers(c.workspaceId)).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
  });

  it("two batches of one workspace at once never share or skip a case number", async () => {
    const c = await withRules(RULES.slice(0, 1));
    const batch = (tag: string) => Array.from({ length: 8 }, (_, i) => post({ text: `broken ${tag} ${i}` }));
    await Promise.all([ingestBatch(t.db, c.workspaceId, batch("a")), ingestBatch(t.db, c.workspaceId, batch("b"))]);
    expect(await caseNumbers(c.workspaceId)).toEqual(Array.from({ length: 16 }, (_, i) => 1001 + i));
  });
});
