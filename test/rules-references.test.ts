import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

// Ids a rule or SLA policy names must exist in the same workspace (checked on save),
// and a rule action that fails at run time never rolls back the ingest of the batch.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = postMaker("ref");

async function bare() {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  return c;
}

async function teamOf(c: Caller, name: string) {
  const res = await c.request("POST", "/api/v1/teams", { name, member_ids: [] });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function segmentOf(c: Caller) {
  const res = await c.request("POST", "/api/v1/segments", {
    name: "VIPs",
    entity: "contact",
    filter: { match: "all", conditions: [{ field: "tags", op: "contains", value: "vip" }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function pipelineOf(c: Caller) {
  const res = await c.request("GET", "/api/v1/pipelines");
  expect(res.statusCode, res.body).toBe(200);
  const p = res.json().data[0] as { id: string; stages: Array<{ id: string }> };
  return { pipelineId: p.id, stageId: p.stages[0]?.id as string };
}

function expectRefused(res: { statusCode: number; body: string; json: () => unknown }, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  const err = (res.json() as { error: { code: string; details?: Array<{ field: string }> } }).error;
  expect(err.details?.map((d) => d.field)).toContain(field);
}

const rule = (actions: unknown[], conditions: unknown[] = []) => ({
  name: "Refs",
  trigger: { type: "message.received" },
  conditions: { match: "all", conditions },
  actions,
});

describe("referenced ids are checked on save", () => {
  it("refuses a missing or another workspace's user, team, pipeline, stage or segment, naming the field", async () => {
    const a = await bare();
    const b = await newWorkspace(t, "Other");
    const bAgent = await memberWithRole(t, b, "agent");
    const bTeam = await teamOf(b, "B team");
    const bSegment = await segmentOf(b);
    const bPipe = await pipelineOf(b);
    const missing = "00000000-0000-4000-8000-000000000000";

    const cases: Array<[unknown, string]> = [
      [
        rule([
          { type: "add_tags", tags: ["x"] },
          { type: "set_priority", priority: 5 },
          { type: "assign", user_id: missing },
        ]),
        "actions.2.user_id",
      ],
      [rule([{ type: "assign", user_id: bAgent.userId }]), "actions.0.user_id"],
      [rule([{ type: "assign", team: bTeam }]), "actions.0.team"],
      [rule([{ type: "create_case", team: "No such team" }]), "actions.0.team"],
      [rule([{ type: "notify", user_ids: [a.userId, bAgent.userId], title: "t" }]), "actions.0.user_ids.1"],
      [rule([{ type: "create_deal", pipeline_id: bPipe.pipelineId }]), "actions.0.pipeline_id"],
      [rule([{ type: "create_deal", stage_id: bPipe.stageId }]), "actions.0.stage_id"],
      [
        rule([{ type: "add_tags", tags: ["x"] }], [{ field: "contact.segments", op: "contains", value: bSegment }]),
        "conditions.conditions.0.value",
      ],
      [
        rule([{ type: "add_tags", tags: ["x"] }], [{ field: "conversation.team_id", op: "in", value: [bTeam] }]),
        "conditions.conditions.0.value.0",
      ],
    ];
    for (const [body, field] of cases) expectRefused(await a.request("POST", "/api/v1/rules", body), field);

    // the same ids of the workspace's own records are accepted
    const aAgent = await memberWithRole(t, a, "agent");
    const aTeam = await teamOf(a, "A team");
    const aSegment = await segmentOf(a);
    const aPipe = await pipelineOf(a);
    const ok = await a.request(
      "POST",
      "/api/v1/rules",
      rule(
        [
          { type: "assign", team: aTeam, user_id: aAgent.userId },
          { type: "notify", user_ids: [aAgent.userId], title: "t" },
          { type: "create_deal", pipeline_id: aPipe.pipelineId, stage_id: aPipe.stageId },
        ],
        [{ field: "contact.segments", op: "contains", value: aSegment }],
      ),
    );
    expect(ok.statusCode, ok.body).toBe(201);

    // update and import check too
    const id = ok.json().id as string;
    expectRefused(
      await a.request("PATCH", `/api/v1/rules/${id}`, { actions: [{ type: "assign", user_id: bAgent.userId }] }),
      "actions.0.user_id",
    );
    const { importRules } = await import("../src/rules");
    await expect(
      importRules(t.db, a.workspaceId, {
        rules: [{ key: "imp.one", ...rule([{ type: "assign", user_id: missing }]) }],
      }),
    ).rejects.toMatchObject({ code: "validation_error", details: [{ field: "rules[0](imp.one).actions.0.user_id" }] });
  });

  it("SLA policies only name teams of their own workspace", async () => {
    const a = await bare();
    const b = await newWorkspace(t, "Other");
    const bTeam = await teamOf(b, "B support");
    const aTeam = await teamOf(a, "A support");
    const target = { first_response_minutes: 60, resolution_minutes: 480 };
    const targets = { low: target, normal: target, high: target, urgent: target };
    const bad = await a.request("POST", "/api/v1/sla-policies", { name: "Cross", team_ids: [aTeam, bTeam], targets });
    expectRefused(bad, "team_ids.1");
    const good = await a.request("POST", "/api/v1/sla-policies", { name: "Own", team_ids: [aTeam], targets });
    expect(good.statusCode, good.body).toBe(201);
    expectRefused(await a.request("PATCH", `/api/v1/sla-policies/${good.json().id}`, { team_ids: [bTeam] }), "team_ids.0");
  });
});

describe("a failing action does not stop ingest", () => {
  it("a rule whose assignee was deleted: messages are stored, the run shows the error, the other actions ran", async () => {
    const c = await bare();
    const agent = await memberWithRole(t, c, "agent");
    const made = await c.request(
      "POST",
      "/api/v1/rules",
      rule([
        { type: "add_tags", tags: ["seen"] },
        { type: "assign", user_id: agent.userId },
        { type: "set_priority", priority: 42 },
      ]),
    );
    expect(made.statusCode, made.body).toBe(201);
    // the user disappears after the rule was saved
    await sql`delete from users where id = ${agent.userId}`.execute(t.db);

    const p1 = post({ text: "First message after the user left" });
    const p2 = post({ text: "Second message after the user left" });
    const res = await ingestOk(c, [p1, p2]);
    expect(res.stored).toBe(2);

    const messages = (await c.request("GET", "/api/v1/messages?limit=100")).json().data as Array<{ id: string; text: string }>;
    const m = messages.find((x) => x.text === p1.text);
    expect(m).toBeTruthy();
    expect(messages.some((x) => x.text === p2.text)).toBe(true);
    const runs = (await c.request("GET", `/api/v1/messages/${m?.id}/rule-runs`)).json().data as Array<{
      actions: Array<{ type: string; ok: boolean; detail: string }>;
      conversation_id: string;
    }>;
    expect(runs).toHaveLength(1);
    const actions = runs[0]?.actions ?? [];
    expect(actions.map((a) => [a.type, a.ok])).toEqual([
      ["add_tags", true],
      ["assign", false],
      ["set_priority", true],
    ]);
    expect(actions[1]?.detail).toMatch(/not a member/);
    const conv = (await c.request("GET", `/api/v1/conversations/${runs[0]?.conversation_id}`)).json();
    expect(conv.priority).toBe(42);
    expect(conv.assignee_id ?? null).toBeNull();
  });

  it("a database error inside one action is rolled back alone (savepoint), on PGlite and PostgreSQL", async () => {
    const c = await bare();
    // a real constraint failure inside create_case: only this subject is refused
    await sql`alter table cases add constraint test_refuse_boom check (subject <> 'boom')`.execute(t.db);
    try {
      const made = await c.request(
        "POST",
        "/api/v1/rules",
        rule([
          { type: "add_tags", tags: ["before"] },
          { type: "create_case", subject: "boom" },
          { type: "set_status", status: "pending" },
        ]),
      );
      expect(made.statusCode, made.body).toBe(201);
      const p = post({ text: "This one makes create_case fail" });
      expect((await ingestOk(c, [p])).stored).toBe(1);
      const m = (await c.request("GET", "/api/v1/messages?limit=100")).json().data.find((x: { text: string }) => x.text === p.text);
      expect(m).toBeTruthy();
      const runs = (await c.request("GET", `/api/v1/messages/${m.id}/rule-runs`)).json().data;
      expect(runs[0].actions.map((a: { type: string; ok: boolean }) => [a.type, a.ok])).toEqual([
        ["add_tags", true],
        ["create_case", false],
        ["set_status", true],
      ]);
      expect(runs[0].actions[1].detail).toMatch(/test_refuse_boom|check constraint/);
      const conv = (await c.request("GET", `/api/v1/conversations/${m.conversation_id}`)).json();
      expect(conv.status).toBe("pending");
      expect((await c.request("GET", "/api/v1/cases")).json().data).toHaveLength(0);
    } finally {
      await sql`alter table cases drop constraint test_refuse_boom`.execute(t.db);
    }
  });
});
