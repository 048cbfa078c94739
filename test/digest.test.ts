import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestPeriod, runDigests } from "../src/insight";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Digests (issue #16): a daily or weekly email per person with the workspace's headline figures
// and emerging issues, queued in the outbox after 08:00 in the workspace's time zone (weekly on
// Mondays), once per period.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Email = { to: string[]; subject: string; text: string; purpose: string; period: string };

async function digestsOf(workspaceName: string): Promise<Email[]> {
  const rows = await t.db
    .selectFrom("outbox")
    .innerJoin("workspaces", "workspaces.id", "outbox.workspace_id")
    .select(["outbox.payload"])
    .where("workspaces.name", "=", workspaceName)
    .where("outbox.kind", "=", "email")
    .orderBy("outbox.created_at")
    .execute();
  return rows.map((r) => r.payload as Email).filter((p) => p.purpose === "digest");
}

async function seed(c: Caller) {
  const post = (i: number, author: string, text: string, at: string) => ({
    network: "x",
    external_id: `digest-${i}`,
    author: { id: author, handle: author },
    text,
    created_at: at,
  });
  const res = await c.request("POST", "/api/v1/messages:batch", {
    messages: [
      // the day before yesterday: one message
      post(1, "ann", "Love the new grinder", "2026-12-01T10:00:00Z"),
      // yesterday (the daily digest of 2026-12-03): three messages from two people
      post(2, "bob", "The app crashes when I upload a photo, terrible", "2026-12-02T09:00:00Z"),
      post(3, "bob", "Still crashing on photo upload, awful", "2026-12-02T11:00:00Z"),
      post(4, "cat", "How do I reset my password?", "2026-12-02T15:00:00Z"),
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe("digests", () => {
  it("covers whole local days, after 08:00, weekly ones on Mondays", () => {
    expect(digestPeriod("daily", new Date("2026-12-03T07:59:00Z"), "UTC")).toBeNull();
    expect(digestPeriod("daily", new Date("2026-12-03T08:00:00Z"), "UTC")).toMatchObject({
      from: "2026-12-02",
      to: "2026-12-02",
      key: "2026-12-02",
    });
    // 08:30 in Berlin is 07:30 UTC; 23:30 UTC on the 2nd is already the 3rd in Tokyo
    expect(digestPeriod("daily", new Date("2026-12-03T07:30:00Z"), "Europe/Berlin")).toMatchObject({ key: "2026-12-02" });
    expect(digestPeriod("daily", new Date("2026-12-02T23:30:00Z"), "Asia/Tokyo")).toMatchObject({ key: "2026-12-02" });
    expect(digestPeriod("weekly", new Date("2026-12-07T09:00:00Z"), "UTC")).toMatchObject({
      from: "2026-11-30",
      to: "2026-12-06",
      key: "week of 2026-11-30",
    });
    expect(digestPeriod("weekly", new Date("2026-12-08T09:00:00Z"), "UTC")).toBeNull();
  });

  it("emails yesterday's figures and issues once, to those who chose it", async () => {
    const owner = await newWorkspace(t, "Digest Co");
    await seed(owner);
    const prefs = await owner.request("PUT", "/api/v1/notifications/preferences", { digest: "daily" });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect(prefs.json()).toEqual({ email: [], digest: "daily" });
    const manager = await memberWithRole(t, owner, "manager");
    expect((await manager.request("GET", "/api/v1/notifications/preferences")).json()).toEqual({ email: [], digest: "off" });

    expect(await runDigests(t.db, new Date("2026-12-03T07:00:00Z"))).toBe(0);
    const now = new Date("2026-12-03T08:30:00Z");
    await runDigests(t.db, now);
    const [digest, ...more] = await digestsOf("Digest Co");
    expect(more).toEqual([]);
    expect(digest?.to).toHaveLength(1);
    expect(digest?.subject).toBe("Digest Co: 3 messages (daily digest 2026-12-02)");
    expect(digest?.text).toContain("Yesterday in Digest Co (on 2026-12-02):");
    expect(digest?.text).toContain("- Messages received: 3 from 2 people (up 200% on the period before)");
    expect(digest?.text).toMatch(/- Negative: \d+% of \d+ analyzed/);
    expect(digest?.text).toContain("- Open now: 4 conversations");
    expect(digest?.text).toContain("- First reply to a conversation: no replies yet (3 new conversations)");
    expect(digest?.text).toContain("Emerging issues:");
    expect(digest?.text).toMatch(/\n- [^\n]*(crash|upload|photo)[^\n]*: 2 messages in the last 7 days\n/);
    expect(digest?.text).toContain("/reports");

    // The same period again: nothing more; the next day's digest goes out.
    await runDigests(t.db, new Date("2026-12-03T20:00:00Z"));
    expect(await digestsOf("Digest Co")).toHaveLength(1);
    await runDigests(t.db, new Date("2026-12-04T08:15:00Z"));
    const days = await digestsOf("Digest Co");
    expect(days.map((d) => d.period)).toEqual(["2026-12-02", "2026-12-03"]);
    expect(days[1]?.text).toContain(
      "- Messages received: 0 from 0 people (none the period before)".replace("none the period before", "down 100% on the period before"),
    );
  });

  it("is for people who read reports, and names a bad value", async () => {
    const owner = await newWorkspace(t, "Digest Rights");
    const agent = await memberWithRole(t, owner, "agent");
    const refused = await agent.request("PUT", "/api/v1/notifications/preferences", { digest: "daily" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].field).toBe("digest");
    expect((await agent.request("PUT", "/api/v1/notifications/preferences", { digest: "off" })).statusCode).toBe(200);
    const bad = await owner.request("PUT", "/api/v1/notifications/preferences", { digest: "hourly" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("digest");
    // Turning it off stops it.
    await owner.request("PUT", "/api/v1/notifications/preferences", { digest: "weekly" });
    await owner.request("PUT", "/api/v1/notifications/preferences", { digest: "off" });
    await runDigests(t.db, new Date("2026-12-07T09:00:00Z"));
    expect(await digestsOf("Digest Rights")).toEqual([]);
  });
});
