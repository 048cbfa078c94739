import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store/db";
import { cliEnv, createFirstUser, parley, ROOT, scratchDataDir } from "./support/cli";

// `parley ingest` as a user runs it: a real process on an embedded store.

const fixture = (name: string) => resolve(ROOT, "test/fixtures/listen", name);
const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
});
afterAll(() => scratch.cleanup());

async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ dataDir: scratch.dir });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

describe("parley ingest", { timeout: 240_000 }, () => {
  it("reads the Customer Support on Twitter layout, threads it and marks brand replies outbound", async () => {
    const res = await parley(["ingest", fixture("twcs-sample.csv"), "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ read: 6, stored: 6, duplicates: 0, rejected: [] });
    const again = JSON.parse((await parley(["ingest", fixture("twcs-sample.csv"), "--format", "twcs", "--json"], env)).stdout);
    expect(again).toMatchObject({ read: 6, stored: 0, duplicates: 6 });

    await withStore(async (s) => {
      const convs = await s.db
        .selectFrom("conversations")
        .select(["id", "message_count"])
        .where("network", "=", "x")
        .orderBy("message_count", "desc")
        .execute();
      expect(convs.map((c) => c.message_count)).toEqual([3, 2, 1]);
      const brand = await s.db
        .selectFrom("messages")
        .select(["direction", "posted_at"])
        .where("external_id", "=", "9001")
        .executeTakeFirstOrThrow();
      expect(brand.direction).toBe("outbound");
      expect(brand.posted_at.toISOString()).toBe("2017-10-31T22:14:02.000Z");
    });
  });

  it("reads JSONL, reporting bad lines with their line number and reason", async () => {
    const res = await parley(["ingest", fixture("messages.jsonl"), "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary.stored).toBe(3);
    expect(summary.rejected.map((r: { line: number }) => r.line)).toEqual([4, 5]);
    expect(summary.rejected[0].reason).toMatch(/not valid JSON/);
    expect(summary.rejected[1].reason).toMatch(/^text/);
  });

  it("reads ActivityStreams 2.0 collections and standard input", async () => {
    const res = await parley(["ingest", fixture("notes.as2.json"), "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ read: 2, stored: 2 });
    const line = JSON.stringify({
      network: "community",
      external_id: "c-1",
      author: { id: "u9" },
      text: "Feature idea: dark mode",
      created_at: "2026-11-21T10:00:00Z",
    });
    const piped = await parley(["ingest", "-", "--json"], env, `${line}\n`);
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ read: 1, stored: 1 });
  });

  it("fails clearly on an unknown channel or a missing file", async () => {
    const noChannel = await parley(["ingest", fixture("messages.jsonl"), "--channel", "Nope"], env);
    expect(noChannel.code).not.toBe(0);
    expect(noChannel.stderr).toMatch(/no channel named "Nope"/);
    const noFile = await parley(["ingest", "/nonexistent/file.jsonl"], env);
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toMatch(/cannot read/);
  });

  it("re-analyzes stored messages with the current model, skipping those it already analyzed", async () => {
    const total = await withStore(async (s) => (await s.db.selectFrom("messages").select("id").execute()).length);
    expect(total).toBeGreaterThan(0);
    const current = JSON.parse((await parley(["reanalyze", "--json"], env)).stdout);
    expect(current.reanalyzed).toBe(0);
    const forced = await parley(["reanalyze", "--force", "--since", "2017-01-01", "--json"], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).reanalyzed).toBe(total);
    const bad = await parley(["reanalyze", "--since", "someday"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--since/);
  });
});
