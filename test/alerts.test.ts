import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAlerts } from "../src/rules";
import { createCase, scanSla } from "../src/work";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Threshold alerts (issue #16): an alert.threshold rule fires once when its metric crosses the
// threshold, stays quiet while it stays there, re-arms when it falls back and fires again on the next
// crossing; its notification and email say the metric, value, threshold and window, with a link.

let t: TestApp;
const savedSmtp = process.env.PARLEY_SMTP_URL;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  if (savedSmtp === undefined) delete process.env.PARLEY_SMTP_URL;
  else process.env.PARLEY_SMTP_URL = savedSmtp;
});

const MINUTE = 60_000;
let seq = 0;

/** Inbound posts on network x, `minutesAgo` before `now`. */
async function post(c: Caller, now: Date, texts: string[], minutesAgo = 5) {
  const res = await c.request("POST", "/api/v1/messages:batch", {
    messages: texts.map((text) => {
      seq++;
      return {
        network: "x",
        external_id: `alert-${seq}`,
        author: { id: `author-${seq}`, handle: `author${seq}` },
        text,
        created_at: new Date(now.getTime() - minutesAgo * MINUTE).toISOString(),
      };
    }),
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function alertRule(c: Caller, alert: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await c.request("POST", "/api/v1/rules", {
    name: `Alert ${String(alert.metric)}`,
    trigger: { type: "alert.threshold", alert },
    actions: [{ type: "notify", roles: ["owner"], title: "Alert: {{alert.metric}} is {{alert.value}}", email: true, ...extra }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function notifications(c: Caller) {
  const res = await c.request("GET", "/api/v1/notifications");
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Array<{ title: string; body: string | null; link: string | null }>).filter((n) =>
    n.title.startsWith("Alert:"),
  );
}

async function alertEmails(c: Caller) {
  const rows = await t.db
    .selectFrom("outbox")
    .select(["payload"])
    .where("workspace_id", "=", c.workspaceId)
    .where("kind", "=", "email")
    .execute();
  return rows.map((r) => r.payload as { subject: string; text: string }).filter((p) => p.subject.startsWith("Alert:"));
}

const check = (c: Caller, at: Date) => runAlerts(t.db, at, c.workspaceId);

describe("threshold alerts", () => {
  it("volume: fires once per crossing, stays quiet above, re-arms below and fires again; B is untouched", async () => {
    process.env.PARLEY_SMTP_URL = "smtp://127.0.0.1:9";
    const a = await newWorkspace(t, "Alert A");
    const b = await newWorkspace(t, "Alert B");
    await alertRule(a, { metric: "volume", window_minutes: 60, threshold: 3, network: "x" });
    await alertRule(b, { metric: "volume", window_minutes: 60, threshold: 3 });
    const now = new Date();

    await post(a, now, ["Where is my parcel?", "Order 1 late", "Order 2 late"]);
    // 3 is not above 3
    expect(await check(a, now)).toEqual({ checked: 1, fired: 0, rearmed: 0 });
    await post(a, now, ["Order 3 late"]);
    expect(await check(a, now)).toEqual({ checked: 1, fired: 1, rearmed: 0 });

    const [first, ...others] = await notifications(a);
    expect(others).toHaveLength(0);
    expect(first?.title).toBe("Alert: volume is 4");
    expect(first?.body).toBe("Inbound volume: 4 inbound messages in the last 1 h (network x), above the threshold of 3.");
    expect(first?.link).toBe("/reports/listening");
    const [email] = await alertEmails(a);
    expect(email?.text).toContain("Inbound volume: 4 inbound messages in the last 1 h (network x), above the threshold of 3.");
    expect(email?.text).toMatch(/https?:\/\/[^\s]+\/reports\/listening/);

    // still above: quiet, however many rounds
    await post(a, now, ["Order 4 late"]);
    expect(await check(a, new Date(now.getTime() + MINUTE))).toEqual({ checked: 1, fired: 0, rearmed: 0 });
    expect(await check(a, new Date(now.getTime() + 2 * MINUTE))).toMatchObject({ fired: 0 });
    expect(await notifications(a)).toHaveLength(1);

    // two hours later the window is empty: re-armed, without a notification
    const later = new Date(now.getTime() + 120 * MINUTE);
    expect(await check(a, later)).toEqual({ checked: 1, fired: 0, rearmed: 1 });
    expect(await notifications(a)).toHaveLength(1);
    // a new spike crosses again
    await post(a, later, ["Order 5 late", "Order 6 late", "Order 7 late", "Order 8 late", "Order 9 late"]);
    expect(await check(a, later)).toEqual({ checked: 1, fired: 1, rearmed: 0 });
    const all = await notifications(a);
    expect(all).toHaveLength(2);
    expect(all.map((n) => n.body)).toContain("Inbound volume: 5 inbound messages in the last 1 h (network x), above the threshold of 3.");

    // the state, through the API
    const list = await a.request("GET", "/api/v1/alerts");
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().data).toMatchObject([{ firing: true, crossings: 2, value: 5, alert: { metric: "volume", threshold: 3 } }]);

    // workspace B saw none of it, also when every workspace is measured
    await runAlerts(t.db, later);
    expect(await notifications(b)).toHaveLength(0);
    expect((await b.request("GET", "/api/v1/alerts")).json().data).toMatchObject([{ firing: false, crossings: 0, current: { value: 0 } }]);
  });

  it("negative share needs its minimum count: 1 of 1 does not fire", async () => {
    const c = await newWorkspace(t, "Alert negative");
    await alertRule(c, { metric: "negative_share", window_minutes: 1440, threshold: 0.5, min_count: 3 });
    const now = new Date();
    const angry = (n: number) => `This is terrible, awful service, I hate it and I want a refund ${n}`;
    await post(c, now, [angry(1)]);
    const one = (await c.request("GET", "/api/v1/alerts")).json().data[0];
    expect(one.current).toMatchObject({ value: 1, count: 1, crossed: false });
    expect(await check(c, now)).toMatchObject({ fired: 0 });

    await post(c, now, [angry(2), angry(3)]);
    expect(await check(c, now)).toMatchObject({ fired: 1 });
    const [n] = await notifications(c);
    expect(n?.body).toBe("Negative share: 100% of 3 analyzed messages in the last 24 h, above the threshold of 50%.");

    // praise brings the share down to 3 of 7: re-armed
    await post(c, now, [
      "Love it, great, thank you!",
      "Wonderful support, thanks a lot",
      "Brilliant, I love this app",
      "Great job, amazing",
    ]);
    const reading = (await c.request("GET", "/api/v1/alerts")).json().data[0].current;
    expect(reading.count).toBe(7);
    expect(reading.value).toBeLessThanOrEqual(0.5);
    expect(await check(c, now)).toMatchObject({ rearmed: 1 });
  });

  it("counts cases that breached SLA in the window", async () => {
    const c = await newWorkspace(t, "Alert SLA");
    const policy = await c.request("POST", "/api/v1/sla-policies", {
      name: "Always",
      is_default: true,
      targets: {
        urgent: { first_response_minutes: 30, resolution_minutes: 120 },
        high: { first_response_minutes: 60, resolution_minutes: 240 },
        normal: { first_response_minutes: 240, resolution_minutes: 960 },
        low: { first_response_minutes: 480, resolution_minutes: 2400 },
      },
      calendar: { timezone: "UTC", hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "00:00", end: "24:00" })), holidays: [] },
      warn_before_minutes: 15,
    });
    expect(policy.statusCode, policy.body).toBe(201);
    await alertRule(c, { metric: "sla_breaches", window_minutes: 60, threshold: 1 });
    const start = new Date("2026-11-23T09:00:00Z");
    await createCase(t.db, c.workspaceId, { subject: "One", priority: "urgent", at: start });
    await createCase(t.db, c.workspaceId, { subject: "Two", priority: "urgent", at: start });
    // 09:31: both first-response targets breached
    await scanSla(t.db, new Date("2026-11-23T09:31:00Z"));
    expect(await check(c, new Date("2026-11-23T09:32:00Z"))).toMatchObject({ fired: 1 });
    const [n] = await notifications(c);
    expect(n?.body).toBe("SLA breaches: 2 cases breached SLA in the last 1 h, above the threshold of 1.");
    expect(n?.link).toBe("/reports/service");
    // an hour later the breaches are out of the window
    expect(await check(c, new Date("2026-11-23T10:40:00Z"))).toMatchObject({ rearmed: 1 });
  });

  it("bad settings are a 400 naming the field", async () => {
    const c = await newWorkspace(t, "Alert input");
    const rule = (alert: unknown) =>
      c.request("POST", "/api/v1/rules", {
        name: "Bad alert",
        trigger: { type: "alert.threshold", ...(alert === undefined ? {} : { alert }) },
        actions: [{ type: "notify", roles: ["owner"], title: "x" }],
      });
    const cases: Array<[unknown, string]> = [
      [{ metric: "speed", window_minutes: 60, threshold: 3 }, "trigger.alert.metric"],
      [{ metric: "volume", window_minutes: 60, threshold: -1 }, "trigger.alert.threshold"],
      [{ metric: "negative_share", window_minutes: 60, threshold: 40 }, "trigger.alert.threshold"],
      [{ metric: "volume", window_minutes: 0, threshold: 3 }, "trigger.alert.window_minutes"],
      [{ metric: "sla_breaches", window_minutes: 60, threshold: 3, network: "x" }, "trigger.alert.network"],
      [
        { metric: "volume", window_minutes: 60, threshold: 3, channel_id: "00000000-0000-4000-8000-000000000000" },
        "trigger.alert.channel_id",
      ],
      [undefined, "trigger.alert"],
    ];
    for (const [alert, field] of cases) {
      const res = await rule(alert);
      expect(res.statusCode, `${JSON.stringify(alert)}: ${res.body}`).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await c.request("GET", "/api/v1/alerts")).json().data).toEqual([]);
  });
});
