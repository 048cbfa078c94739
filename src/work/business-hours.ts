import { isValidTimeZone, offsetAt, wallClock } from "../shared/time-zone";
import type { BusinessCalendar } from "../store/schema-work";

// Business-hours arithmetic for SLA timers. A calendar is weekly intervals in an
// IANA time zone plus holiday dates; null means around the clock. Instants are
// real (UTC) time, so a DST day's 09:00–17:00 is still 8 hours and a 00:00–24:00
// day is 23 or 25.

export type { BusinessCalendar };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Ten years of days: a calendar with hours always finds them long before this. */
const MAX_DAYS = 3660;

export { isValidTimeZone };

/** The instant of a wall-clock time; a time skipped by DST maps forward by the gap. */
function wallToInstant(dayUtc: number, minuteOfDay: number, timeZone: string): number {
  const guess = dayUtc + minuteOfDay * MINUTE;
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second;
}

function parseHm(value: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m) throw new Error(`bad time ${value}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isValidHm(value: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  return !!m && Number(m[1]) <= 24 && Number(m[2]) < 60 && (Number(m[1]) < 24 || Number(m[2]) === 0);
}

function isoDate(dayUtc: number): string {
  return new Date(dayUtc).toISOString().slice(0, 10);
}

/** Working intervals of one local date (given as UTC midnight of that date), as local minutes [start, end). */
function localIntervals(cal: BusinessCalendar, dayUtc: number): Array<[number, number]> {
  if (cal.holidays.includes(isoDate(dayUtc))) return [];
  const weekday = new Date(dayUtc).getUTCDay();
  const yesterday = (weekday + 6) % 7;
  const out: Array<[number, number]> = [];
  for (const h of cal.hours) {
    const s = parseHm(h.start);
    const e = parseHm(h.end);
    const overnight = e <= s;
    if (h.day === weekday) out.push([s, overnight ? 1440 : e]);
    if (overnight && h.day === yesterday && e > 0) out.push([0, e]);
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const iv of out) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/** Working intervals of a local date as instants. */
function dayIntervals(cal: BusinessCalendar, dayUtc: number): Array<[number, number]> {
  return localIntervals(cal, dayUtc).map(([s, e]) => [wallToInstant(dayUtc, s, cal.timezone), wallToInstant(dayUtc, e, cal.timezone)]);
}

function localDayOf(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d);
}

function hasHours(cal: BusinessCalendar | null | undefined): cal is BusinessCalendar {
  return !!cal && cal.hours.length > 0;
}

/** The instant `minutes` business minutes after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar | null | undefined): Date {
  if (minutes <= 0 || !hasHours(calendar)) return new Date(start.getTime() + Math.max(0, minutes) * MINUTE);
  let remaining = minutes * MINUTE;
  const from = start.getTime();
  // Start a day early: yesterday's overnight hours may still be running.
  let day = localDayOf(from, calendar.timezone) - DAY;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    for (const [s0, e] of dayIntervals(calendar, day)) {
      const s = Math.max(s0, from);
      if (e <= s) continue;
      if (remaining <= e - s) return new Date(s + remaining);
      remaining -= e - s;
    }
  }
  throw new Error("business calendar has no working time within ten years");
}

/** Business minutes from a to b; negative when b is before a. */
export function businessMinutesBetween(a: Date, b: Date, calendar: BusinessCalendar | null | undefined): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessMinutesBetween(b, a, calendar);
  if (!hasHours(calendar)) return (to - from) / MINUTE;
  let total = 0;
  const last = localDayOf(to, calendar.timezone) + DAY;
  for (let day = localDayOf(from, calendar.timezone) - DAY; day <= last; day += DAY) {
    for (const [s, e] of dayIntervals(calendar, day)) {
      const lo = Math.max(s, from);
      const hi = Math.min(e, to);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MINUTE;
}

/** Whether the instant falls in working hours. */
export function isBusinessTime(at: Date, calendar: BusinessCalendar | null | undefined): boolean {
  if (!hasHours(calendar)) return true;
  const t = at.getTime();
  const day = localDayOf(t, calendar.timezone);
  return dayIntervals(calendar, day).some(([s, e]) => t >= s && t < e);
}
