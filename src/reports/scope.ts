import type { Actor } from "../accounts";
import type { ReportQuery } from "../contracts";
import { segmentMembers } from "../crm";
import { invalid } from "../shared/errors";
import { isValidTimeZone, offsetAt } from "../shared/time-zone";
import type { DbOrTx } from "../store/db";
import type { ReportScope } from "../store/reports";
import { ruleTimeZone } from "../store/rules";

// A report's range and filters, read in the workspace's time zone: a date alone is that local day
// (from its start; `to` includes it whole), a time without an offset is local, one with an offset is exact.

const DAY = 86_400_000;
/** The longest range a report covers (two years of days). */
export const MAX_RANGE_DAYS = 732;

/** The instant at which the zone's wall clock reads `wallMs` (a wall time written as if it were UTC). */
export function wallToInstant(wallMs: number, timeZone: string): Date {
  const guess = wallMs - offsetAt(wallMs, timeZone);
  return new Date(wallMs - offsetAt(guess, timeZone));
}

/** The start of the local day holding an instant. */
function localDayStart(at: Date, timeZone: string): number {
  const wall = at.getTime() + offsetAt(at.getTime(), timeZone);
  return wall - (((wall % DAY) + DAY) % DAY);
}

function instantOf(value: string, timeZone: string, endOfDay: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const wall = Date.parse(`${value}T00:00:00Z`) + (endOfDay ? DAY : 0);
    return wallToInstant(wall, timeZone);
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return new Date(value);
  return wallToInstant(Date.parse(`${value}Z`), timeZone);
}

export const validTimeZone = (timeZone: string): string => (isValidTimeZone(timeZone) ? timeZone : "UTC");

/** The scope of one report: the workspace, its time zone, the range (default: the last 30 local days up to now) and filters. */
export async function reportScope(db: DbOrTx, actor: Actor, query: ReportQuery, now: Date): Promise<ReportScope> {
  const timeZone = validTimeZone(await ruleTimeZone(db, actor.workspaceId));
  const to = query.to ? instantOf(query.to, timeZone, true) : now;
  const from = query.from ? instantOf(query.from, timeZone, false) : wallToInstant(localDayStart(to, timeZone) - 29 * DAY, timeZone);
  if (Number.isNaN(from.getTime())) throw invalid("from", "is not a real date or time");
  if (Number.isNaN(to.getTime())) throw invalid("to", "is not a real date or time");
  if (to.getTime() <= from.getTime()) throw invalid("to", "must be after from");
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) throw invalid("from", `the range may span at most ${MAX_RANGE_DAYS} days`);
  return {
    workspaceId: actor.workspaceId,
    from,
    to,
    timeZone,
    bucket: query.bucket,
    channelId: query.channel,
    network: query.network,
    teamId: query.team,
    ...(query.segment ? { segment: await segmentMembers(db, actor.workspaceId, query.segment) } : {}),
  };
}

export const rangeOf = (s: ReportScope) => ({
  from: s.from.toISOString(),
  to: s.to.toISOString(),
  time_zone: s.timeZone,
  bucket: s.bucket,
});

/** Rounds a measure for display: minutes and scores to 2 decimals, shares to 4. */
export const round = (value: number | null, digits = 2): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 10 ** digits) / 10 ** digits;
