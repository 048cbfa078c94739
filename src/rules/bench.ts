import { Ingestor, Notifier } from "../ingest";
import type { Db } from "../store/db";
import * as store from "../store/rules";
import { ensureRuleSet } from "./defaults";
import type { Definition } from "./definition";

// `parley bench ingest`: the same stream through the pipeline with every rule off,
// with the default rules' routing only (assign, status, tags, notify) and with the
// whole default set (which also creates cases, deals and ideas through src/work).

type Variant = "off" | "routing" | "defaults";

/** Sets a workspace's rules for a variant (creating the default set first). */
export async function setBenchRules(db: Db, workspaceId: string, variant: Variant) {
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, workspaceId);
    for (const r of await store.listRules(tx, workspaceId)) {
      if (variant === "off") await store.updateRule(tx, workspaceId, r.id, { enabled: false });
      if (variant === "routing") {
        const def = r.definition as Definition;
        const actions = def.actions.filter((a) => !a.type.startsWith("create_"));
        await store.updateRule(tx, workspaceId, r.id, { definition: JSON.stringify({ ...def, actions }), enabled: actions.length > 0 });
      }
    }
    await store.bumpRevision(tx, workspaceId);
  });
}

export async function benchRules(
  db: Db,
  opts: {
    newWorkspace: () => Promise<string>;
    generate: (count: number, offset: number) => unknown[];
    messages: number;
    batch: number;
    label: string;
  },
) {
  const rates: Record<Variant, number> = { off: 0, routing: 0, defaults: 0 };
  const runs: Record<Variant, number> = { off: 0, routing: 0, defaults: 0 };
  for (const variant of ["off", "routing", "defaults"] as const) {
    const workspaceId = await opts.newWorkspace();
    await setBenchRules(db, workspaceId, variant);
    const ingestor = new Ingestor(db, new Notifier(), { maxBatch: opts.batch, maxQueued: opts.batch * 4 });
    const started = performance.now();
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < opts.messages; i += opts.batch) {
      inFlight.push(ingestor.submit(workspaceId, opts.generate(Math.min(opts.batch, opts.messages - i), i)));
      if (inFlight.length >= 2) await inFlight.shift();
    }
    await Promise.all(inFlight);
    rates[variant] = opts.messages / ((performance.now() - started) / 1000);
    const fired = await db
      .selectFrom("rule_runs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("workspace_id", "=", workspaceId)
      .executeTakeFirstOrThrow();
    runs[variant] = Number(fired.n);
  }
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(
    `  rules ${opts.label} (${fmt(opts.messages)} messages each): all rules off ${fmt(rates.off)}/s; ` +
      `default routing only ${fmt(rates.routing)}/s (${fmt(runs.routing)} rule runs, ${(rates.routing / rates.off).toFixed(2)}× off); ` +
      `default rules on, creating cases/deals/ideas ${fmt(rates.defaults)}/s (${fmt(runs.defaults)} rule runs, ${(rates.defaults / rates.off).toFixed(2)}× off)`,
  );
}
