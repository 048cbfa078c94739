import type { z } from "zod";
import { type Actor, audit, requirePermission } from "../accounts";
import type { RetentionPolicy, RetentionRun, retentionPolicyInputSchema, retentionPolicyPatchSchema } from "../contracts/privacy";
import { AppError, invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import { PeriodicJob, type PeriodicOptions } from "../shared/periodic";
import type { Db } from "../store/db";
import { findChannel } from "../store/listening";
import * as store from "../store/retention";
import type { RetentionPolicyRow } from "../store/schema-privacy";

// Retention (issue 13): per workspace or per channel, inbound messages older than N days are
// deleted (all of them, or only those whose author is no contact). The scheduler runs the
// enabled policies; a dry run does the very same deletion in a transaction that is rolled back,
// so the count it shows is the count a real run at that moment deletes.

type PolicyInput = z.output<typeof retentionPolicyInputSchema>;
type PolicyPatch = z.output<typeof retentionPolicyPatchSchema>;

export function presentRetentionPolicy(p: RetentionPolicyRow): RetentionPolicy {
  return {
    id: p.id,
    channel_id: p.channel_id,
    scope: p.scope,
    days: p.days,
    enabled: p.enabled,
    last_run_at: p.last_run_at ? new Date(p.last_run_at).toISOString() : null,
    last_deleted: p.last_deleted,
  };
}

const describe = (p: Pick<RetentionPolicyRow, "scope" | "days" | "channel_id">) =>
  `${p.scope === "non_contacts" ? "messages from non-contacts" : "all inbound messages"} after ${p.days} days${p.channel_id ? " in one channel" : ""}`;

export async function listRetention(db: Db, actor: Actor) {
  requirePermission(actor, "audit:read");
  return { data: (await store.listRetentionPolicies(db, actor.workspaceId)).map(presentRetentionPolicy) };
}

export async function createRetention(db: Db, actor: Actor, input: PolicyInput) {
  requirePermission(actor, "audit:read");
  return db.transaction().execute(async (tx) => {
    if (input.channel_id && !(await findChannel(tx, actor.workspaceId, input.channel_id)))
      throw invalid("channel_id", "no such channel in this workspace");
    const taken = (await store.listRetentionPolicies(tx, actor.workspaceId)).some(
      (p) => p.scope === input.scope && p.channel_id === (input.channel_id ?? null),
    );
    if (taken)
      throw new AppError("conflict", "a policy for this scope and channel exists: change it instead", [
        { field: "scope", message: "already has a policy" },
      ]);
    const row = await store.insertRetentionPolicy(tx, {
      workspace_id: actor.workspaceId,
      id: newId(),
      channel_id: input.channel_id ?? null,
      scope: input.scope,
      days: input.days,
      enabled: input.enabled,
      last_deleted: null,
    });
    await audit(tx, actor, "retention.created", { type: "retention_policy", id: row.id }, `Retention policy: delete ${describe(row)}`);
    return presentRetentionPolicy(row);
  });
}

export async function updateRetention(db: Db, actor: Actor, id: string, patch: PolicyPatch) {
  requirePermission(actor, "audit:read");
  return db.transaction().execute(async (tx) => {
    const row = await store.updateRetentionPolicy(tx, actor.workspaceId, id, patch);
    if (!row) throw notFound("Retention policy");
    await audit(tx, actor, "retention.changed", { type: "retention_policy", id }, `Retention policy now: delete ${describe(row)}`, patch);
    return presentRetentionPolicy(row);
  });
}

export async function deleteRetention(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "audit:read");
  await db.transaction().execute(async (tx) => {
    if ((await store.deleteRetentionPolicy(tx, actor.workspaceId, id)) === 0) throw notFound("Retention policy");
    await audit(tx, actor, "retention.deleted", { type: "retention_policy", id }, "Retention policy removed");
  });
}

class RolledBack extends Error {
  constructor(readonly run: RetentionRun) {
    super("dry run");
  }
}

/** Applies the workspace's enabled policies (or rolls them back for a dry run). */
async function applyPolicies(db: Db, workspaceId: string, dryRun: boolean, now: Date, actor?: Actor): Promise<RetentionRun> {
  try {
    return await db.transaction().execute(async (tx) => {
      const policies = (await store.listRetentionPolicies(tx, workspaceId)).filter((p) => p.enabled);
      const counts: RetentionRun["policies"] = [];
      for (const p of policies) {
        const cutoff = new Date(now.getTime() - p.days * 86_400_000);
        const deleted = await store.deleteRetainedMessages(tx, workspaceId, p, cutoff);
        await store.afterMessagesDeleted(tx, workspaceId, deleted);
        await store.updateRetentionPolicy(tx, workspaceId, p.id, { last_run_at: now, last_deleted: deleted.length });
        counts.push({ id: p.id, count: deleted.length });
      }
      const run = { dry_run: dryRun, at: now.toISOString(), policies: counts, total: counts.reduce((n, c) => n + c.count, 0) };
      if (dryRun) throw new RolledBack(run);
      if (run.total > 0) {
        const by: Actor = actor ?? { workspaceId, role: "owner", kind: "user", userId: null, label: "retention scheduler" };
        await audit(tx, by, "retention.ran", { type: "workspace", id: workspaceId }, `Retention deleted ${run.total} messages`, {
          total: run.total,
        });
      }
      return run;
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.run;
    throw err;
  }
}

/** Runs the workspace's policies now, or (dry run) counts what they would delete. */
export async function runRetention(db: Db, actor: Actor, dryRun: boolean, now = new Date()): Promise<RetentionRun> {
  requirePermission(actor, "audit:read");
  return applyPolicies(db, actor.workspaceId, dryRun, now, dryRun ? undefined : actor);
}

/** One scheduler round: every workspace with an enabled policy. Returns the messages deleted. */
export async function runScheduledRetention(db: Db, now = new Date()): Promise<number> {
  let total = 0;
  for (const ws of await store.workspacesWithRetention(db)) total += (await applyPolicies(db, ws, false, now)).total;
  return total;
}

/** The loop `parley start` runs beside the rules worker: retention once an hour (and at start). */
export class RetentionWorker extends PeriodicJob {
  constructor(db: Db, options: PeriodicOptions = {}) {
    super("retention", () => runScheduledRetention(db), options);
  }
}
