import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTeams, signUp } from "../src/accounts";
import { ingestBatch } from "../src/ingest";
import { DEFAULT_RULES, DEFAULT_TEAMS, ensureRuleSets } from "../src/rules";
import { newId } from "../src/shared/ids";
import { insertWorkspace } from "../src/store/accounts";
import type { Store } from "../src/store/db";
import { findRuleSet, listRules, runsOfMessage } from "../src/store/rules";
import { openTestStore } from "./support/store";

// The default rule set is made with the workspace, not on its first ingest; a workspace
// made before that gets it when the store is opened (parley start, migrate, any command).

let store: Store & { drop: () => Promise<void> };
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.drop();
});

const defaultKeys = (DEFAULT_RULES as Array<{ key: string }>).map((r) => r.key);
const post = (i: number) => ({
  network: "x",
  external_id: `defaults-${i}`,
  author: { id: `a${i}`, handle: `author${i}` },
  text: `Order ${i}: this product broke again and support never answers, I want a refund`,
  created_at: new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString(),
});

describe("default rules", () => {
  it("come with a new workspace: its rule set, the default rules and their teams exist before anything else happens", async () => {
    const { workspaceId } = await signUp(
      store.db,
      { email: "owner@defaults.example", name: "Owner", password: "a long password", workspaceName: "Defaults" },
      { serverOpen: true },
    );
    expect(await findRuleSet(store.db, workspaceId)).toBeDefined();
    expect((await listRules(store.db, workspaceId)).map((r) => r.key)).toEqual(defaultKeys);
    const teams = (await listTeams(store.db, workspaceId)).map((t) => t.name);
    expect(teams).toEqual(expect.arrayContaining(DEFAULT_TEAMS.map((t) => t.name)));
  });

  it("are given once, when the store is opened, to a workspace made before they came with it; ingest does not make them", async () => {
    const workspaceId = newId();
    await insertWorkspace(store.db, { id: workspaceId, name: "Made before" });
    const { outcomes } = await ingestBatch(store.db, workspaceId, [post(1)]);
    expect(outcomes[0]?.status).toBe("stored");
    expect(await findRuleSet(store.db, workspaceId)).toBeUndefined();

    expect(await ensureRuleSets(store.db)).toBe(1);
    expect((await listRules(store.db, workspaceId)).map((r) => r.key)).toEqual(defaultKeys);
    expect(await ensureRuleSets(store.db)).toBe(0);
    expect(await listRules(store.db, workspaceId)).toHaveLength(defaultKeys.length);

    // and from then on they run on its messages
    const { outcomes: next } = await ingestBatch(store.db, workspaceId, [post(2)]);
    expect(await runsOfMessage(store.db, workspaceId, outcomes[0]?.message_id as string)).toEqual([]);
    expect((await runsOfMessage(store.db, workspaceId, next[0]?.message_id as string)).map((r) => r.rule_name)).toContain(
      "Complaints and churn risk → Support",
    );
  });
});
