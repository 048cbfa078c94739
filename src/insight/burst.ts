import { publish } from "../events";
import type { DbOrTx } from "../store/db";
import * as store from "../store/issues";
import { hourOf } from "./cluster";

// Bursts: an issue's messages in one hour, measured against an exponentially weighted
// baseline of its previous hours (mean and variance, with a Poisson floor on the
// variance so a quiet issue does not alarm on two messages). A burst starts when the
// hour's count is at least MIN_BURST and its z-score reaches Z_START; it ends when a
// later hour falls back under Z_END. Each start is recorded on the issue and published
// once as issue.burst (rules can notify, escalate, create a case).

export type BurstOptions = { alpha: number; zStart: number; zEnd: number; minCount: number; historyHours: number };
export const BURST_DEFAULTS: BurstOptions = { alpha: 0.05, zStart: 4, zEnd: 1.5, minCount: 5, historyHours: 168 };
/** Bursts older than this when detected (an import of history) are recorded but not published to rules. */
export const BURST_EVENT_MAX_AGE_HOURS = 48;

/** Baseline (EWMA mean and standard deviation) of hourly counts, oldest first. */
export function baseline(history: number[], alpha = BURST_DEFAULTS.alpha): { mean: number; sd: number } {
  let mean = 0;
  let variance = 0;
  for (const x of history) {
    const diff = x - mean;
    mean += alpha * diff;
    variance = (1 - alpha) * (variance + alpha * diff * diff);
  }
  return { mean, sd: Math.sqrt(Math.max(variance, mean, 0.25)) };
}

/** The z-score of `current` against the baseline of `history` (hourly counts, oldest first). */
export function burstScore(history: number[], current: number, options: BurstOptions = BURST_DEFAULTS) {
  const b = baseline(history, options.alpha);
  return { z: (current - b.mean) / b.sd, mean: b.mean };
}

export const isBurst = (history: number[], current: number, options: BurstOptions = BURST_DEFAULTS) =>
  current >= options.minCount && burstScore(history, current, options).z >= options.zStart;

/** Walks a series of hourly counts and returns the hours where a burst starts (a state machine like the issues'). */
export function burstStarts(series: number[], options: BurstOptions = BURST_DEFAULTS): number[] {
  const starts: number[] = [];
  let inBurst = false;
  for (let i = 0; i < series.length; i++) {
    const history = series.slice(Math.max(0, i - options.historyHours), i);
    const current = series[i] as number;
    if (!inBurst && isBurst(history, current, options)) {
      inBurst = true;
      starts.push(i);
    } else if (inBurst && burstScore(history, current, options).z < options.zEnd) inBurst = false;
  }
  return starts;
}

/** Checks the touched issues for the start or end of a burst at their latest hour, publishing issue.burst once per start. */
export async function detectBursts(
  db: DbOrTx,
  workspaceId: string,
  touched: Array<{ issueId: string; hour: Date }>,
  now = new Date(),
  options: BurstOptions = BURST_DEFAULTS,
): Promise<string[]> {
  const started: string[] = [];
  const issues = new Map((await store.issuesByIds(db, workspaceId, [...new Set(touched.map((t) => t.issueId))])).map((i) => [i.id, i]));
  for (const { issueId, hour } of touched) {
    const issue = issues.get(issueId);
    if (!issue) continue;
    const from = new Date(hour.getTime() - options.historyHours * 3_600_000);
    const rows = await store.hourlyCounts(db, workspaceId, issueId, from, new Date(hour.getTime() + 3_600_000));
    const byHour = new Map(rows.map((r) => [hourOf(new Date(r.hour)).getTime(), Number(r.count)]));
    const history: number[] = [];
    for (let t = from.getTime(); t < hour.getTime(); t += 3_600_000) history.push(byHour.get(t) ?? 0);
    const current = byHour.get(hour.getTime()) ?? 0;
    const score = burstScore(history, current, options);
    const inBurst = issue.burst_started_at !== null && issue.burst_ended_at === null;
    if (!inBurst && current >= options.minCount && score.z >= options.zStart) {
      await store.setIssueBurst(db, workspaceId, issueId, {
        burst_started_at: hour,
        burst_ended_at: null,
        burst_count: issue.burst_count + 1,
      });
      issues.set(issueId, { ...issue, burst_started_at: hour, burst_ended_at: null, burst_count: issue.burst_count + 1 });
      started.push(issueId);
      if (now.getTime() - hour.getTime() <= BURST_EVENT_MAX_AGE_HOURS * 3_600_000) {
        await publish(db, workspaceId, {
          type: "issue.burst",
          issueId,
          label: issue.label,
          startedAt: hour.toISOString(),
          count: current,
          baseline: Math.round(score.mean * 100) / 100,
          at: now,
        });
      }
    } else if (inBurst && hour.getTime() > new Date(issue.burst_started_at as Date).getTime() && score.z < options.zEnd) {
      await store.setIssueBurst(db, workspaceId, issueId, { burst_ended_at: hour });
      issues.set(issueId, { ...issue, burst_ended_at: hour });
    }
  }
  return started;
}
