import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOutbox, exportRules, importRules } from "../src/rules";
import { decryptSecret } from "../src/shared/secrets";
import { signWebhook } from "../src/shared/signing";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

// Webhook signing secrets of rules: sealed at rest, shown once to who sets them, never
// returned afterwards to any role, and still used to sign deliveries.

let t: TestApp;
let server: Server;
let url: string;
const received: Array<{ body: string; ts: string; sig: string }> = [];
const savedPrivate = process.env.PARLEY_ALLOW_PRIVATE_URLS;

beforeAll(async () => {
  t = await startTestApp();
  process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
  server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ body, ts: String(req.headers["x-parley-timestamp"]), sig: String(req.headers["x-parley-signature"]) });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server?.close();
  await t?.close();
  if (savedPrivate === undefined) delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
  else process.env.PARLEY_ALLOW_PRIVATE_URLS = savedPrivate;
});

const post = postMaker("sec");
const SECRET = "whsec-very-private-value-42";

async function bare() {
  const c = await newWorkspace(t);
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await c.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  return c;
}

async function hookRule(c: Caller, secret: Record<string, unknown> = { secret: SECRET }) {
  const res = await c.request("POST", "/api/v1/rules", {
    key: "hook",
    name: "Hook",
    trigger: { type: "message.received" },
    conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "hook me" }] },
    actions: [
      { type: "add_tags", tags: ["hooked"] },
      { type: "webhook", url, ...secret },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Ingests a matching message and delivers its webhook; returns what the receiver got. */
async function deliverOne(c: Caller) {
  await deliverOutbox(t.db, { retryBaseSeconds: 0 }); // whatever earlier tests queued
  received.length = 0;
  await ingestOk(c, [post({ text: "please hook me" })]);
  for (let i = 0; i < 3 && received.length === 0; i++) await deliverOutbox(t.db, { retryBaseSeconds: 0 });
  expect(received).toHaveLength(1);
  return received[0] as (typeof received)[number];
}

const signedWith = (got: { body: string; ts: string; sig: string }, secret: string) =>
  got.sig === signWebhook(secret, Number(got.ts), got.body);

describe("rule webhook secrets", () => {
  it("are shown once on create, then never in any rules response for any role, nor in versions, tests or the export", async () => {
    const owner = await bare();
    const made = await hookRule(owner);
    expect(made.new_secrets).toEqual([{ action: 1, secret: SECRET }]);
    expect(made.actions[1]).toEqual({ type: "webhook", url, secret_set: true });
    const id = made.id as string;

    const callers = {
      owner,
      admin: await memberWithRole(t, owner, "admin"),
      agent: await memberWithRole(t, owner, "agent"),
      viewer: await memberWithRole(t, owner, "viewer"),
    };
    for (const [role, c] of Object.entries(callers)) {
      for (const path of ["/api/v1/rules", `/api/v1/rules/${id}`, `/api/v1/rules/${id}/versions`]) {
        const res = await c.request("GET", path);
        expect(res.statusCode, `${role} ${path}`).toBe(200);
        expect(res.body, `${role} ${path}`).not.toContain(SECRET);
        expect(res.body, `${role} ${path}`).not.toContain("secret_sealed");
      }
    }
    const one = (await owner.request("GET", `/api/v1/rules/${id}`)).json();
    expect(one.actions[1]).toEqual({ type: "webhook", url, secret_set: true });
    const versions = (await owner.request("GET", `/api/v1/rules/${id}/versions`)).json();
    expect(versions.data[0].actions[1]).toEqual({ type: "webhook", url, secret_set: true });

    // a later save does not show it again
    const renamed = await owner.request("PATCH", `/api/v1/rules/${id}`, { name: "Hook renamed" });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.body).not.toContain(SECRET);
    expect(renamed.json().new_secrets).toBeUndefined();

    await ingestOk(owner, [post({ text: "hook me for the dry run" })]);
    for (const [path, body] of [
      [`/api/v1/rules/${id}:test`, { message: { text: "hook me" } }],
      [`/api/v1/rules/${id}:dry-run`, { limit: 10 }],
      [`/api/v1/outbox`, undefined],
    ] as const) {
      const res = await owner.request(body ? "POST" : "GET", path, body);
      expect(res.statusCode, `${path} ${res.body}`).toBe(200);
      expect(res.body, path).not.toContain(SECRET);
      expect(res.body, path).not.toContain("secret_sealed");
    }

    const exported = JSON.stringify(await exportRules(t.db, owner.workspaceId));
    expect(exported).not.toContain(SECRET);
    expect(exported).not.toContain("secret_sealed");
    expect(exported).toContain('"secret_set":true');
  });

  it("are stored encrypted (rules, versions and the outbox) and still sign the deliveries", async () => {
    const c = await bare();
    const made = await hookRule(c);
    const rows = await sql<{ d: string }>`select definition::text as d from rules where id = ${made.id}
      union all select definition::text from rule_versions where rule_id = ${made.id}`.execute(t.db);
    expect(rows.rows.length).toBe(2);
    for (const r of rows.rows) {
      expect(r.d).not.toContain(SECRET);
      const sealed = (JSON.parse(r.d) as { actions: Array<{ secret_sealed?: string }> }).actions[1]?.secret_sealed as string;
      expect(sealed).toMatch(/^v1\./);
      expect(decryptSecret(sealed)).toBe(SECRET);
    }

    const got = await deliverOne(c);
    expect(signedWith(got, SECRET)).toBe(true);
    const outbox = await sql<{ p: string }>`select payload::text as p from outbox where workspace_id = ${c.workspaceId}`.execute(t.db);
    expect(outbox.rows.length).toBeGreaterThan(0);
    for (const o of outbox.rows) expect(o.p).not.toContain(SECRET);
  });

  it("are kept by a save or import that carries none, replaced on rotate, removed with null", async () => {
    const c = await bare();
    const made = await hookRule(c);
    // the editor sends back what it got (secret_set, no secret): the secret stays
    const round = await c.request("PATCH", `/api/v1/rules/${made.id}`, { actions: made.actions });
    expect(round.statusCode, round.body).toBe(200);
    expect(round.json().actions[1]).toEqual({ type: "webhook", url, secret_set: true });
    expect(signedWith(await deliverOne(c), SECRET)).toBe(true);

    // export then import (the file has no secret): nothing changes, the secret stays
    const file = await exportRules(t.db, c.workspaceId);
    expect(await importRules(t.db, c.workspaceId, file)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(signedWith(await deliverOne(c), SECRET)).toBe(true);

    // rotate: a generated secret is shown once and signs from then on
    const rotated = await c.request("PATCH", `/api/v1/rules/${made.id}`, {
      actions: [
        { type: "add_tags", tags: ["hooked"] },
        { type: "webhook", url, generate_secret: true },
      ],
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json().new_secrets[0] as { action: number; secret: string };
    expect(fresh.action).toBe(1);
    expect(fresh.secret).toMatch(/^whsec_/);
    const got = await deliverOne(c);
    expect(signedWith(got, fresh.secret)).toBe(true);
    expect(signedWith(got, SECRET)).toBe(false);
    expect((await c.request("GET", `/api/v1/rules/${made.id}`)).body).not.toContain(fresh.secret);

    // a secret the server sealed cannot be supplied from outside
    const forged = await c.request("PATCH", `/api/v1/rules/${made.id}`, { actions: [{ type: "webhook", url, secret_sealed: "v1.a.b.c" }] });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.details[0].field).toBe("actions.0.secret_sealed");

    const removed = await c.request("PATCH", `/api/v1/rules/${made.id}`, { actions: [{ type: "webhook", url, secret: null }] });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().actions[0]).toEqual({ type: "webhook", url, secret_set: false });
  });

  it("stored in plaintext by an older version are sealed on read, and keep signing", async () => {
    const c = await bare();
    const made = await hookRule(c, {});
    expect(made.actions[1].secret_set).toBe(false);
    // what an older Parley wrote: the secret in the clear in the rule, its versions and a queued delivery
    const legacy = JSON.stringify({
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "hook me" }] },
      actions: [
        { type: "add_tags", tags: ["hooked"] },
        { type: "webhook", url, secret: SECRET },
      ],
      stop_processing: false,
    });
    await sql`update rules set definition = ${legacy}::jsonb where id = ${made.id}`.execute(t.db);
    await sql`update rule_versions set definition = ${legacy}::jsonb where rule_id = ${made.id}`.execute(t.db);
    await sql`update rule_sets set revision = revision + 1 where workspace_id = ${c.workspaceId}`.execute(t.db);

    const list = await c.request("GET", "/api/v1/rules");
    expect(list.body).not.toContain(SECRET);
    expect(list.json().data[0].actions[1]).toEqual({ type: "webhook", url, secret_set: true });
    const raw = await sql<{ d: string }>`select definition::text as d from rules where id = ${made.id}
      union all select definition::text from rule_versions where rule_id = ${made.id}`.execute(t.db);
    for (const r of raw.rows) {
      expect(r.d).not.toContain(SECRET);
      expect(r.d).toContain("secret_sealed");
    }
    expect(signedWith(await deliverOne(c), SECRET)).toBe(true);
  });
});
