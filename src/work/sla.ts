import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import type { CasePriority, CaseRow, SlaPolicyRow, SlaTargets } from "../store/schema-work";
import * as store from "../store/work";
import { addBusinessMinutes, businessMinutesBetween } from "./business-hours";

// SLA policies and timers. A case's due dates are always "created_at plus the
// target plus the business time it spent paused", so pausing on pending_customer
// and resuming gives back exactly the remaining time, and a priority change can
// recompute the dates from scratch.

export const DEFAULT_TARGETS: SlaTargets = {
  urgent: { first_response_minutes: 60, resolution_minutes: 4 * 60 },
  high: { first_response_minutes: 2 * 60, resolution_minutes: 8 * 60 },
  normal: { first_response_minutes: 8 * 60, resolution_minutes: 3 * 8 * 60 },
  low: { first_response_minutes: 2 * 8 * 60, resolution_minutes: 5 * 8 * 60 },
};
export const DEFAULT_CALENDAR = {
  timezone: "UTC",
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })),
  holidays: [] as string[],
};

/** The workspace's default policy, created on first use. */
export async function ensureDefaultSlaPolicy(tx: DbOrTx, workspaceId: string): Promise<boolean> {
  const existing = await store.listSlaPolicies(tx, workspaceId);
  if (existing.some((p) => p.is_default)) return false;
  forgetSlaPolicies(workspaceId);
  return store.insertSlaPolicyIfNoDefault(tx, {
    workspace_id: workspaceId,
    id: newId(),
    name: "Standard",
    is_default: true,
    targets: JSON.stringify(DEFAULT_TARGETS),
    calendar: JSON.stringify(DEFAULT_CALENDAR),
    warn_before_minutes: 30,
  });
}

// Policies change rarely and every new case reads them: a few seconds of cache per
// workspace, dropped at once when this process changes them.
const CACHE_MS = 5_000;
const policyCache = new Map<string, { at: number; policies: SlaPolicyRow[] }>();
export function forgetSlaPolicies(workspaceId: string) {
  policyCache.delete(workspaceId);
}
async function workspacePolicies(tx: DbOrTx, workspaceId: string): Promise<SlaPolicyRow[]> {
  const hit = policyCache.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.policies;
  // A default made in this transaction is not cached: the transaction may yet roll back.
  const created = await ensureDefaultSlaPolicy(tx, workspaceId);
  const policies = await store.listSlaPolicies(tx, workspaceId);
  if (policyCache.size > 10_000) policyCache.clear();
  if (!created) policyCache.set(workspaceId, { at: Date.now(), policies });
  return policies;
}

/** The first non-default policy matching the priority and team (in order), else the default. */
export async function policyFor(
  tx: DbOrTx,
  workspaceId: string,
  priority: CasePriority,
  teamId: string | null,
): Promise<SlaPolicyRow | undefined> {
  const policies = await workspacePolicies(tx, workspaceId);
  const specific = policies.find(
    (p) =>
      !p.is_default &&
      (p.priorities.length > 0 || p.team_ids.length > 0) &&
      (p.priorities.length === 0 || p.priorities.includes(priority)) &&
      (p.team_ids.length === 0 || (teamId !== null && p.team_ids.includes(teamId))),
  );
  return specific ?? policies.find((p) => p.is_default);
}

type DueFields = Pick<CaseRow, "first_response_due_at" | "first_response_warn_at" | "resolution_due_at" | "resolution_warn_at">;

/** Due and warning instants of a case under a policy. */
export function computeDue(c: Pick<CaseRow, "created_at" | "priority" | "paused_seconds">, policy: SlaPolicyRow | undefined): DueFields {
  const none: DueFields = { first_response_due_at: null, first_response_warn_at: null, resolution_due_at: null, resolution_warn_at: null };
  if (!policy) return none;
  const target = policy.targets[c.priority];
  if (!target) return none;
  const cal = policy.calendar;
  const paused = c.paused_seconds / 60;
  const warn = policy.warn_before_minutes;
  const start = new Date(c.created_at);
  const at = (minutes: number | null, warnBefore: number) =>
    minutes === null || minutes === undefined ? null : addBusinessMinutes(start, Math.max(0, minutes - warnBefore) + paused, cal);
  return {
    first_response_due_at: at(target.first_response_minutes, 0),
    first_response_warn_at: at(target.first_response_minutes, warn),
    resolution_due_at: at(target.resolution_minutes, 0),
    resolution_warn_at: at(target.resolution_minutes, warn),
  };
}

export type SlaState = "ok" | "warning" | "breached" | "met" | "paused";
export type SlaTimer = { due_at: string | null; met_at: string | null; remaining_business_minutes: number | null; state: SlaState };

function timer(
  due: Date | null,
  metAt: Date | null,
  breachedFlag: boolean,
  paused: boolean,
  policy: SlaPolicyRow | undefined,
  now: Date,
): SlaTimer | null {
  if (!due) return null;
  const cal = policy?.calendar ?? null;
  const warn = policy?.warn_before_minutes ?? 0;
  const remaining = Math.floor(businessMinutesBetween(now, due, cal));
  const base = { due_at: due.toISOString(), met_at: metAt ? metAt.toISOString() : null };
  if (metAt) {
    return { ...base, remaining_business_minutes: null, state: metAt.getTime() <= due.getTime() && !breachedFlag ? "met" : "breached" };
  }
  if (breachedFlag) return { ...base, remaining_business_minutes: remaining, state: "breached" };
  if (paused) return { ...base, remaining_business_minutes: remaining, state: "paused" };
  const state: SlaState = remaining <= 0 && due.getTime() <= now.getTime() ? "breached" : remaining <= warn ? "warning" : "ok";
  return { ...base, remaining_business_minutes: remaining, state };
}

/** Live SLA state of a case. While paused, the remaining time is counted from the pause. */
export function slaOf(c: CaseRow, policy: SlaPolicyRow | undefined, now: Date) {
  const paused = c.paused_at !== null;
  const ref = paused && c.paused_at ? new Date(c.paused_at) : now;
  return {
    policy_id: c.sla_policy_id,
    policy_name: policy?.name ?? null,
    first_response: timer(c.first_response_due_at, c.first_responded_at, c.first_response_breached, paused, policy, ref),
    resolution: timer(c.resolution_due_at, c.resolved_at, c.resolution_breached, paused, policy, ref),
  };
}

/** Business minutes a pause lasted under the case's policy. */
export function pausedSecondsBetween(from: Date, to: Date, policy: SlaPolicyRow | undefined): number {
  return Math.max(0, Math.round(businessMinutesBetween(from, to, policy?.calendar ?? null) * 60));
}
