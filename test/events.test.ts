import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DomainEvent, publish, subscribe } from "../src/events";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

// Domain events run their subscribers (rules first among them) inside the writer's
// transaction: a change and what it sets off commit together or not at all.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const post = postMaker("ev");

/** A workspace whose only rule tags a conversation when it is closed. */
async function withClosingRule() {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  const rule = await c.request("POST", "/api/v1/rules", {
    name: "closed",
    trigger: { type: "conversation.status_changed" },
    conditions: { match: "all", conditions: [{ field: "event.to", op: "equals", value: "closed" }] },
    actions: [{ type: "add_tags", tags: ["was-closed"] }],
  });
  expect(rule.statusCode, rule.body).toBe(201);
  return c;
}

async function conversationOf(c: Caller, text: string) {
  await ingestOk(c, [post({ text })]);
  const m = (await c.request("GET", "/api/v1/messages?limit=100")).json().data.find((x: { text: string }) => x.text === text);
  expect(m, text).toBeTruthy();
  const opened = await c.request("PATCH", `/api/v1/conversations/${m.conversation_id}`, { status: "open" });
  expect(opened.statusCode, opened.body).toBe(200);
  return m.conversation_id as string;
}

describe("domain events", () => {
  it("a conversation's status change and the rule run it fires commit in one transaction", async () => {
    const c = await withClosingRule();
    const id = await conversationOf(c, "closing in one transaction");

    // A later subscriber sees the rule's run in the writer's transaction, then fails it.
    const seen: number[] = [];
    const unsubscribe = subscribe("conversation.changed", async (tx, workspaceId, event) => {
      if (event.conversationId !== id) return;
      const runs = await tx
        .selectFrom("rule_runs")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("conversation_id", "=", id)
        .execute();
      seen.push(runs.length);
      throw new Error("a subscriber failed");
    });
    try {
      const failed = await c.request("PATCH", `/api/v1/conversations/${id}`, { status: "closed" });
      expect(failed.statusCode).toBe(500);
    } finally {
      unsubscribe();
    }
    expect(seen).toEqual([1]);
    // the update and the rule run rolled back together
    const after = (await c.request("GET", `/api/v1/conversations/${id}`)).json();
    expect(after.status).toBe("open");
    expect(after.tags).toEqual([]);
    expect(after.rule_runs).toEqual([]);

    const closed = await c.request("PATCH", `/api/v1/conversations/${id}`, { status: "closed" });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe("closed");
    expect(closed.json().tags).toEqual(["was-closed"]);
    expect(closed.json().rule_runs.map((r: { trigger: string }) => r.trigger)).toEqual(["conversation.status_changed"]);
  });

  it("changes that are not a status change publish conversation.changed without firing status rules", async () => {
    const c = await withClosingRule();
    const id = await conversationOf(c, "assigned, not closed");
    const events: DomainEvent[] = [];
    const unsubscribe = subscribe("conversation.changed", (_tx, _ws, event) => {
      if (event.conversationId === id) events.push(event);
    });
    try {
      const res = await c.request("PATCH", `/api/v1/conversations/${id}`, { assignee_id: c.userId });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rule_runs).toEqual([]);
      // the same value again changes nothing and publishes nothing
      await c.request("PATCH", `/api/v1/conversations/${id}`, { assignee_id: c.userId, status: "open" });
    } finally {
      unsubscribe();
    }
    expect(events).toEqual([
      { type: "conversation.changed", conversationId: id, changes: { assignee_id: [null, c.userId] }, byUserId: c.userId },
    ]);
  });

  it("subscribers run in registration order, '*' sees every event", async () => {
    const c = await newWorkspace(t);
    const order: string[] = [];
    const off = [
      subscribe("schedule", () => {
        order.push("schedule");
      }),
      subscribe("*", (_tx, _ws, event) => {
        order.push(`* ${event.type}`);
      }),
    ];
    try {
      await t.db.transaction().execute(async (tx) => {
        await publish(tx, c.workspaceId, { type: "schedule", ruleId: "00000000-0000-4000-8000-000000000000" });
        await publish(tx, c.workspaceId, {
          type: "conversation.changed",
          conversationId: "00000000-0000-4000-8000-000000000000",
          changes: {},
        });
      });
    } finally {
      for (const f of off) f();
    }
    expect(order).toEqual(["schedule", "* schedule", "* conversation.changed"]);
  });
});
