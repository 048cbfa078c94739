import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, scratchDataDir } from "./support/cli";

// `parley rules export|import` as a user runs them: real processes on an embedded store.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
});
afterAll(() => scratch.cleanup());

describe("parley rules export and import", { timeout: 240_000 }, () => {
  it("round-trips: export, edit, import updates by key without duplicates, --replace removes the rest", async () => {
    const file = resolve(scratch.dir, "rules.json");
    const exported = await parley(["rules", "export", "--file", file, "--json"], env);
    expect(exported.code, exported.stderr).toBe(0);
    const data = JSON.parse(readFileSync(file, "utf8"));
    // the workspace's default rule set, every rule of it in the file
    const count = data.rules.length;
    expect(count).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(exported.stdout)).toEqual({ file, rules: count });
    expect(data.format).toBe("parley.rules/1");

    // importing the same file changes nothing
    const same = await parley(["rules", "import", file, "--json"], env);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ created: 0, updated: 0, unchanged: count, deleted: 0 });

    // edit one rule, add one, drop one with --replace
    data.rules[0].name = "Spam closes, quietly";
    data.rules.push({
      key: "vip.escalate",
      name: "VIP",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [{ field: "contact.tags", op: "contains", value: "vip" }] },
      actions: [{ type: "set_priority", priority: 95 }],
    });
    data.rules = data.rules.filter((r: { key: string }) => r.key !== "default.ideas");
    writeFileSync(file, JSON.stringify(data));
    const changed = await parley(["rules", "import", file, "--replace", "--json"], env);
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toEqual({ created: 1, updated: 1, unchanged: count - 2, deleted: 1 });

    const again = JSON.parse((await parley(["rules", "export"], env)).stdout);
    expect(again.rules.map((r: { key: string }) => r.key)).toEqual(data.rules.map((r: { key: string }) => r.key));
    expect(again.rules[0].name).toBe("Spam closes, quietly");
  });

  it("a bad file is refused naming the rule and the field; nothing is written", async () => {
    const file = resolve(scratch.dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        rules: [
          { key: "ok", name: "fine", trigger: { type: "message.received" }, actions: [{ type: "add_tags", tags: ["x"] }] },
          { key: "broken", name: "broken", trigger: { type: "message.received" }, actions: [{ type: "set_status", status: "gone" }] },
        ],
      }),
    );
    const res = await parley(["rules", "import", file, "--json"], env);
    expect(res.code).toBe(1);
    const err = JSON.parse(res.stdout).error;
    expect(err.code).toBe("validation_error");
    expect(err.details[0].field).toBe("rules[1](broken).actions.0.status");
    const keys = JSON.parse((await parley(["rules", "export"], env)).stdout).rules.map((r: { key: string }) => r.key);
    expect(keys).not.toContain("ok");
    const notJson = resolve(scratch.dir, "not.json");
    writeFileSync(notJson, "{ nope");
    const nj = await parley(["rules", "import", notJson], env);
    expect(nj.code).toBe(1);
    expect(nj.stderr).toContain("is not JSON");
  });

  it("export never prints a webhook secret; importing the export back keeps it", async () => {
    const secret = "cli-secret-do-not-print";
    const file = resolve(scratch.dir, "hook.json");
    const hook = {
      key: "hook.billing",
      name: "Billing hook",
      trigger: { type: "message.received" },
      actions: [{ type: "webhook", url: "https://billing.example.com/hook", secret }],
    };
    writeFileSync(file, JSON.stringify({ rules: [hook] }));
    const imported = await parley(["rules", "import", file, "--json"], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).not.toContain(secret);

    const exported = await parley(["rules", "export"], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain(secret);
    expect(exported.stdout).not.toContain("secret_sealed");
    const out = JSON.parse(exported.stdout);
    const action = out.rules.find((r: { key: string }) => r.key === "hook.billing").actions[0];
    expect(action).toEqual({ type: "webhook", url: "https://billing.example.com/hook", secret_set: true });

    // the exported file (no secret in it) imports back unchanged: the secret is kept
    writeFileSync(file, exported.stdout);
    const back = await parley(["rules", "import", file, "--json"], env);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ created: 0, updated: 0 });
    const still = JSON.parse((await parley(["rules", "export"], env)).stdout);
    expect(still.rules.find((r: { key: string }) => r.key === "hook.billing").actions[0].secret_set).toBe(true);
  });
});
