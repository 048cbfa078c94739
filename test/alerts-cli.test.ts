import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, scratchDataDir } from "./support/cli";

// `parley rules alerts` as a user runs it: a threshold alert rule imported, messages ingested, the
// alert measured with --check (it fires once), listed with its state.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
});
afterAll(() => scratch.cleanup());

describe("parley rules alerts", { timeout: 240_000 }, () => {
  it("--check fires a crossing once; the list says firing, crossings and the metric now", async () => {
    const rules = resolve(scratch.dir, "alert.json");
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          {
            key: "alert.volume",
            name: "Reddit volume",
            trigger: { type: "alert.threshold", alert: { metric: "volume", window_minutes: 60, threshold: 1, network: "reddit" } },
            actions: [{ type: "notify", roles: ["owner"], title: "Alert: {{alert.metric}}" }],
          },
        ],
      }),
    );
    const imported = await parley(["rules", "import", rules, "--json"], env);
    expect(imported.code, imported.stderr).toBe(0);

    const now = Date.now();
    const messages = resolve(scratch.dir, "messages.jsonl");
    const line = (i: number) =>
      JSON.stringify({
        network: "reddit",
        external_id: `alert-cli-${i}`,
        author: { id: `t2_${i}`, handle: `user${i}` },
        text: `My grinder broke again (${i})`,
        created_at: new Date(now - i * 60_000).toISOString(),
      });
    writeFileSync(messages, `${[1, 2, 3].map(line).join("\n")}\n`);
    const ingested = await parley(["ingest", messages, "--json"], env);
    expect(ingested.code, ingested.stderr).toBe(0);

    const first = await parley(["rules", "alerts", "--check", "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.checked).toEqual({ checked: 1, fired: 1, rearmed: 0 });
    expect(out.alerts).toMatchObject([
      { name: "Reddit volume", firing: true, crossings: 1, value: 3, current: { value: 3, crossed: true } },
    ]);

    // still above: nothing fires again
    const second = JSON.parse((await parley(["rules", "alerts", "--check", "--json"], env)).stdout);
    expect(second.checked).toEqual({ checked: 1, fired: 0, rearmed: 0 });

    const human = await parley(["rules", "alerts"], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("Reddit volume [FIRING since");
    expect(human.stdout).toContain(
      "1 crossings]: Inbound volume: 3 inbound messages in the last 1 h (network reddit), above the threshold of 1.",
    );
  });
});
