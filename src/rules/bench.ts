import { Ingestor, Notifier } from "../listen/pipeline";
import type { Db } from "../store/db";
import * as store from "../store/rules";
import { ensureRuleSet } from "./defaults";

// `parley bench ingest`: the end-to-end rate with the default rules on (measured by
// the caller) against the same stream with every rule disabled.

export async function benchRulesOff(
  db: Db,
  opts: {
    onWorkspaceId: string;
    onRate: number;
    newWorkspace: () => Promise<string>;
    generate: (count: number, offset: number) => unknown[];
    messages: number;
    batch: number;
    label: string;
  },
) {
  const fired = await db
    .selectFrom("rule_runs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", opts.onWorkspaceId)
    .executeTakeFirstOrThrow();
  const workspaceId = await opts.newWorkspace();
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, workspaceId);
    for (const r of await store.listRules(tx, workspaceId)) await store.updateRule(tx, workspaceId, r.id, { enabled: false });
    await store.bumpRevision(tx, workspaceId);
  });
  const ingestor = new Ingestor(db, new Notifier(), { maxBatch: opts.batch, maxQueued: opts.batch * 4 });
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < opts.messages; i += opts.batch) {
    inFlight.push(ingestor.submit(workspaceId, opts.generate(Math.min(opts.batch, opts.messages - i), i)));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const off = opts.messages / ((performance.now() - started) / 1000);
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(
    `  rules ${opts.label}: default rules on ${fmt(opts.onRate)} messages/s (${fmt(Number(fired.n))} rule runs), all rules off ${fmt(off)} messages/s; on/off = ${(opts.onRate / off).toFixed(2)}`,
  );
}
