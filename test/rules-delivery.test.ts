import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "../src/ingest";
import { deliverOutbox, fireRules, MAX_ATTEMPTS } from "../src/rules";
import { signWebhook } from "../src/shared/signing";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ROOT } from "./support/cli";

let t: TestApp;
const savedEnv = { private: process.env.PARLEY_ALLOW_PRIVATE_URLS, smtp: process.env.PARLEY_SMTP_URL };
beforeAll(async () => {
  t = await startTestApp();
  process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
});
afterAll(async () => {
  await t?.close();
  for (const [k, v] of [
    ["PARLEY_ALLOW_PRIVATE_URLS", savedEnv.private],
    ["PARLEY_SMTP_URL", savedEnv.smtp],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

let seq = 0;
function post(over: Record<string, unknown> = {}) {
  seq++;
  return {
    network: "mastodon",
    external_id: `d-${seq}`,
    author: { id: `author-${seq}`, handle: `user${seq}`, followers: 10 },
    text: `Post number ${seq}`,
    created_at: new Date(Date.UTC(2026, 10, 3, 10, 0, seq)).toISOString(),
    ...over,
  };
}

async function ingest(c: Caller, messages: unknown[]) {
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { stored: number; duplicates: number };
}

async function bare() {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  return c;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let s = "";
    req.on("data", (d) => {
      s += d;
    });
    req.on("end", () => done(s));
  });

describe("outbox", () => {
  it("webhooks are signed, retried with backoff after failures, and every attempt is logged", async () => {
    const received: Array<{ body: string; ts: string; sig: string; delivery: string }> = [];
    let failures = 2;
    const server: Server = createServer(async (req, res) => {
      const text = await body(req);
      if (failures-- > 0) {
        res.writeHead(503).end("busy");
        return;
      }
      received.push({
        body: text,
        ts: String(req.headers["x-parley-timestamp"]),
        sig: String(req.headers["x-parley-signature"]),
        delivery: String(req.headers["x-parley-delivery"]),
      });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const c = await bare();
      const made = await c.request("POST", "/api/v1/rules", {
        name: "hook",
        trigger: { type: "message.received" },
        conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "webhook me" }] },
        actions: [{ type: "webhook", url, secret: "s3cret-s3cret" }],
      });
      expect(made.statusCode, made.body).toBe(201);
      await ingest(c, [post({ text: "please webhook me" }), post({ text: "not this one" })]);
      // nothing leaves before the worker runs (after commit)
      expect(received).toHaveLength(0);
      for (let i = 0; i < 5 && received.length === 0; i++) await deliverOutbox(t.db, { retryBaseSeconds: 0 });
      expect(received).toHaveLength(1);
      const got = received[0] as (typeof received)[number];
      expect(got.sig).toBe(signWebhook("s3cret-s3cret", Number(got.ts), got.body));
      expect(got.sig).not.toBe(signWebhook("wrong-secret", Number(got.ts), got.body));
      const payload = JSON.parse(got.body);
      expect(payload.rule.name).toBe("hook");
      expect(payload.values["message.text"]).toBe("please webhook me");
      expect(payload.id).toBe(got.delivery);
      const log = (await c.request("GET", "/api/v1/outbox")).json().data;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ status: "delivered", attempts: 3 });
      expect(log[0].deliveries.map((d: { ok: boolean; status_code: number }) => [d.ok, d.status_code])).toEqual([
        [false, 503],
        [false, 503],
        [true, 204],
      ]);
      // delivered means done: another pass sends nothing
      await deliverOutbox(t.db, { retryBaseSeconds: 0 });
      expect(received).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it("gives up after the last attempt; a backoff keeps it from retrying at once", async () => {
    const server: Server = createServer((_req, res) => res.writeHead(500).end("no"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const c = await bare();
      await c.request("POST", "/api/v1/rules", {
        name: "hook",
        trigger: { type: "message.received" },
        actions: [{ type: "webhook", url }],
      });
      await ingest(c, [post({ text: "failing hook" })]);
      await deliverOutbox(t.db, { retryBaseSeconds: 3600 });
      await deliverOutbox(t.db, { retryBaseSeconds: 3600 }); // not due yet
      let log = (await c.request("GET", "/api/v1/outbox")).json().data;
      expect(log[0]).toMatchObject({ status: "pending", attempts: 1 });
      for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
        await t.db
          .updateTable("outbox")
          .set({ next_attempt_at: new Date(0) })
          .where("workspace_id", "=", c.workspaceId)
          .where("status", "=", "pending")
          .execute();
        await deliverOutbox(t.db, { retryBaseSeconds: 3600 });
      }
      log = (await c.request("GET", "/api/v1/outbox")).json().data;
      expect(log[0]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
      expect(log[0].last_error).toContain("HTTP 500");
    } finally {
      server.close();
    }
  });

  it("email notifications go through SMTP", async () => {
    const mails: Array<{ to: string[]; data: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        let data = "";
        stream.on("data", (d) => {
          data += d;
        });
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    const port = (smtp.server.address() as AddressInfo).port;
    process.env.PARLEY_SMTP_URL = `smtp://127.0.0.1:${port}?ignoreTLS=true`;
    try {
      const c = await bare();
      const m = await memberWithRole(t, c, "manager");
      const managerEmail = (await t.db.selectFrom("users").select("email").where("id", "=", m.userId).executeTakeFirstOrThrow()).email;
      const made = await c.request("POST", "/api/v1/rules", {
        name: "mail managers",
        trigger: { type: "message.received" },
        actions: [{ type: "notify", roles: ["manager"], title: "Heads up: {{message.text:30}}", email: true }],
      });
      expect(made.statusCode, made.body).toBe(201);
      await ingest(c, [post({ text: "an email worthy post" })]);
      await deliverOutbox(t.db, { retryBaseSeconds: 0 });
      expect(mails).toHaveLength(1);
      expect(mails[0]?.to).toEqual([managerEmail]);
      expect(mails[0]?.data).toContain("Subject: Heads up: an email worthy post");
      const log = (await c.request("GET", "/api/v1/outbox")).json().data;
      expect(log[0]).toMatchObject({ kind: "email", status: "delivered", attempts: 1 });
    } finally {
      delete process.env.PARLEY_SMTP_URL;
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe("exactly once", () => {
  it("a rolled-back batch leaves no runs; after a restart, re-ingesting a batch fires nothing twice", async () => {
    const c = await bare();
    await c.request("POST", "/api/v1/rules", {
      name: "count",
      trigger: { type: "message.received" },
      actions: [
        { type: "create_case", subject: "{{message.text}}" },
        { type: "add_tags", tags: ["counted"] },
      ],
    });
    const batch1 = [post({ text: "crash one" }), post({ text: "crash two" })];
    const batch2 = [post({ text: "crash three" })];

    // a crash inside the transaction: messages, runs and cases all roll back together
    const crashing = new Proxy(t.db, {
      get(target, prop) {
        if (prop === "transaction") {
          return () => ({
            execute: (fn: (tx: unknown) => Promise<unknown>) =>
              target.transaction().execute(async (tx) => {
                await fn(tx);
                throw new Error("power cut");
              }),
          });
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    await expect(ingestBatch(crashing, c.workspaceId, batch1)).rejects.toThrow("power cut");
    const count = async (table: "rule_runs" | "cases") =>
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("workspace_id", "=", c.workspaceId)
          .executeTakeFirstOrThrow()
      ).n;
    expect(Number(await count("rule_runs"))).toBe(0);

    await ingest(c, batch1);
    expect(Number(await count("rule_runs"))).toBe(2);
    // "restart": a new app on the same database, then the poller hears batch 1 again with batch 2
    await t.app.close();
    const { buildApp } = await import("../src/server/app");
    const next = await buildApp({ db: t.db, openSignup: true }); // as startTestApp: tests make their own workspaces
    await next.app.ready();
    t.app = next.app;
    const again = await ingest(c, [...batch1, ...batch2]);
    expect(again).toMatchObject({ stored: 1, duplicates: 2 });
    expect(Number(await count("rule_runs"))).toBe(3);
    expect(Number(await count("cases"))).toBe(3);
    // and firing the trigger again for stored messages does nothing
    const ids = (await t.db.selectFrom("messages").select("id").where("workspace_id", "=", c.workspaceId).execute()).map((m) => m.id);
    await t.db.transaction().execute((tx) => fireRules(tx, c.workspaceId, { type: "message.received", messageIds: ids }));
    expect(Number(await count("rule_runs"))).toBe(3);
    expect(Number(await count("cases"))).toBe(3);
  });
});

describe("default rules", () => {
  it("route every intent of a realistic mixed stream to the right team", async () => {
    const c = await newWorkspace(t);
    const support = await memberWithRole(t, c, "agent");
    const sales = await memberWithRole(t, c, "agent");
    await c.request("GET", "/api/v1/rules"); // creates the default set and its teams
    const teams = (await c.request("GET", "/api/v1/teams")).json();
    const teamId = Object.fromEntries((teams.data ?? teams).map((x: { name: string; id: string }) => [x.name, x.id]));
    await c.request("PATCH", `/api/v1/teams/${teamId.Support}`, { member_ids: [support.userId] });
    await c.request("PATCH", `/api/v1/teams/${teamId.Sales}`, { member_ids: [sales.userId] });

    const posts = readFileSync(resolve(ROOT, "data/dev/posts.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; text: string; labels: string[] })
      .slice(0, 400);
    for (let i = 0; i < posts.length; i += 200) {
      await ingest(
        c,
        posts
          .slice(i, i + 200)
          .map((p, j) => post({ external_id: p.id, text: p.text, author: { id: `dev-${i + j}`, handle: `dev${i + j}`, followers: 50 } })),
      );
    }
    const messages = await t.db
      .selectFrom("messages as m")
      .innerJoin("conversations as c", (j) => j.onRef("c.workspace_id", "=", "m.workspace_id").onRef("c.id", "=", "m.conversation_id"))
      .select(["m.id", "m.labels", "c.team_id", "c.status", "c.id as conversation_id"])
      .where("m.workspace_id", "=", c.workspaceId)
      .execute();
    expect(messages).toHaveLength(posts.length);
    const cases = new Map(
      (
        await t.db
          .selectFrom("cases as k")
          .innerJoin("case_conversations as cc", (j) => j.onRef("cc.workspace_id", "=", "k.workspace_id").onRef("cc.case_id", "=", "k.id"))
          .select(["cc.conversation_id", "k.team_id", "k.assignee_id"])
          .where("k.workspace_id", "=", c.workspaceId)
          .execute()
      ).map((x) => [x.conversation_id, x]),
    );
    const deals = new Set(
      (await t.db.selectFrom("deals").select("conversation_id").where("workspace_id", "=", c.workspaceId).execute()).map(
        (x) => x.conversation_id,
      ),
    );
    const ideaMessages = new Set(
      (await t.db.selectFrom("idea_messages").select("message_id").where("workspace_id", "=", c.workspaceId).execute()).map(
        (x) => x.message_id,
      ),
    );
    const tags = new Map<string, string[]>();
    for (const r of await t.db.selectFrom("conversation_tags").selectAll().where("workspace_id", "=", c.workspaceId).execute()) {
      tags.set(r.conversation_id, [...(tags.get(r.conversation_id) ?? []), r.tag]);
    }
    const seen: Record<string, number> = {};
    for (const m of messages) {
      const has = (l: string) => m.labels.includes(l);
      for (const l of m.labels) seen[l] = (seen[l] ?? 0) + 1;
      if (has("spam")) {
        expect(m.status, m.id).toBe("closed");
        expect(cases.has(m.conversation_id)).toBe(false);
        continue;
      }
      if (has("complaint") || has("churn_risk")) {
        expect(cases.get(m.conversation_id)?.team_id, m.id).toBe(teamId.Support);
        expect(cases.get(m.conversation_id)?.assignee_id, m.id).toBe(support.userId);
      }
      if (has("question")) expect(tags.get(m.conversation_id), m.id).toContain("kb-suggest");
      if (has("suggestion")) expect(ideaMessages.has(m.id), m.id).toBe(true);
      if (has("purchase_intent")) expect(deals.has(m.conversation_id), m.id).toBe(true);
      // the last routing rule that applies decides the conversation's team
      const last = has("purchase_intent")
        ? "Sales"
        : has("suggestion")
          ? "Product"
          : has("question") || has("complaint") || has("churn_risk")
            ? "Support"
            : null;
      expect(m.team_id, `${m.id} ${m.labels}`).toBe(last ? teamId[last] : null);
    }
    // the stream really is mixed: every intent the rules route was heard
    for (const l of ["complaint", "churn_risk", "question", "suggestion", "purchase_intent", "spam"])
      expect(seen[l] ?? 0, l).toBeGreaterThan(3);
  });
});
