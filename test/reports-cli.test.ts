import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, scratchDataDir } from "./support/cli";

// `parley report` as a user runs it: a real process on an embedded store with two ingested messages.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
  const file = resolve(scratch.dir, "messages.jsonl");
  writeFileSync(
    file,
    ["2026-11-03T10:00:00Z", "2026-11-04T10:00:00Z"]
      .map((at, i) =>
        JSON.stringify({
          network: "mastodon",
          external_id: `m${i}`,
          author: { id: `a${i}`, handle: `a${i}` },
          text: "Hello",
          created_at: at,
        }),
      )
      .join("\n"),
  );
  const ingested = await parley(["ingest", file, "--json"], env);
  expect(ingested.code, ingested.stderr).toBe(0);
}, 240_000);
afterAll(() => scratch.cleanup());

describe("parley report", { timeout: 240_000 }, () => {
  it("prints a report as JSON and its main table as CSV, and names a bad option", async () => {
    const json = await parley(["report", "listening", "--from", "2026-11-01", "--to", "2026-11-07", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals.messages).toBe(2);
    expect(report.volume).toHaveLength(7);

    const csv = await parley(["report", "listening", "--from", "2026-11-04", "--to", "2026-11-04", "--csv"], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(parse(csv.stdout, { columns: true })).toMatchObject([{ bucket: "2026-11-04", messages: "1" }]);

    const bad = await parley(["report", "listening", "--bucket", "month", "--json"], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.details[0].field).toBe("bucket");

    // --segment takes a saved segment's id: one this workspace does not have is named.
    const segment = await parley(["report", "engagement", "--segment", "0190c6f2-6a6b-7c1d-8e2f-3a4b5c6d7e8f", "--json"], env);
    expect(segment.code).toBe(1);
    expect(JSON.parse(segment.stdout).error.details[0].field).toBe("segment");
  });

  it("prints the product, sales and engagement reports as a table, JSON and CSV", async () => {
    const product = await parley(["report", "product", "--from", "2026-11-01", "--to", "2026-11-07", "--json"], env);
    expect(product.code, product.stderr).toBe(0);
    const report = JSON.parse(product.stdout);
    expect(report.totals).toEqual({ ideas: 0, ideas_created: 0, votes_in_range: 0 });
    expect(report.votes).toHaveLength(7);

    const sales = await parley(["report", "sales", "--from", "2026-11-01", "--to", "2026-11-07"], env);
    expect(sales.code, sales.stderr).toBe(0);
    expect(sales.stdout).toContain("won revenue");

    const engagement = await parley(["report", "engagement", "--from", "2026-11-01", "--to", "2026-11-07", "--csv"], env);
    expect(engagement.code, engagement.stderr).toBe(0);
    expect(parse(engagement.stdout, { columns: true })).toMatchObject([{ dimension: "all", people: "0", recovery_rate: "" }]);
  });
});
