import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "../src/store/schema-work";
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime } from "../src/work/business-hours";

const weekdays = (timezone: string, start = "09:00", end = "17:00", holidays: string[] = []): BusinessCalendar => ({
  timezone,
  hours: [1, 2, 3, 4, 5].map((day) => ({ day, start, end })),
  holidays,
});
const at = (iso: string) => new Date(iso);
const add = (start: string, minutes: number, cal: BusinessCalendar | null) => addBusinessMinutes(at(start), minutes, cal).toISOString();

describe("addBusinessMinutes", () => {
  const utc = weekdays("UTC");

  it("counts only working hours on the same day", () => {
    expect(add("2026-11-24T10:00:00Z", 90, utc)).toBe("2026-11-24T11:30:00.000Z");
  });

  it("starts at the next opening when created outside hours", () => {
    expect(add("2026-11-24T07:00:00Z", 30, utc)).toBe("2026-11-24T09:30:00.000Z");
    expect(add("2026-11-24T18:00:00Z", 30, utc)).toBe("2026-11-25T09:30:00.000Z");
  });

  it("carries over the evening and skips the weekend", () => {
    // Friday 16:00 + 2h = 1h Friday + 1h Monday
    expect(add("2026-11-20T16:00:00Z", 120, utc)).toBe("2026-11-23T10:00:00.000Z");
    // Saturday → Monday opening
    expect(add("2026-11-21T12:00:00Z", 60, utc)).toBe("2026-11-23T10:00:00.000Z");
  });

  it("ends exactly at closing time rather than the next morning", () => {
    expect(add("2026-11-24T16:00:00Z", 60, utc)).toBe("2026-11-24T17:00:00.000Z");
  });

  it("skips holidays", () => {
    const cal = weekdays("UTC", "09:00", "17:00", ["2026-12-25"]);
    // Thursday 24th 16:00 + 2h → 1h Thursday, Friday 25th is a holiday, 1h Monday 28th
    expect(add("2026-12-24T16:00:00Z", 120, cal)).toBe("2026-12-28T10:00:00.000Z");
  });

  it("spans several days of a long target", () => {
    // 3 business days of 8h from Wednesday 09:00 → Friday 17:00
    expect(add("2026-11-25T09:00:00Z", 3 * 480, utc)).toBe("2026-11-27T17:00:00.000Z");
  });

  it("follows overnight shifts across midnight", () => {
    const night: BusinessCalendar = { timezone: "UTC", hours: [{ day: 1, start: "22:00", end: "06:00" }], holidays: [] };
    // Monday 23:00 + 3h → Tuesday 02:00
    expect(add("2026-11-23T23:00:00Z", 180, night)).toBe("2026-11-24T02:00:00.000Z");
    // Tuesday 01:00 is still Monday's shift: + 4h → 05:00
    expect(add("2026-11-24T01:00:00Z", 240, night)).toBe("2026-11-24T05:00:00.000Z");
    // Tuesday 05:00 + 2h → 1h left tonight, 1h next Monday night
    expect(add("2026-11-24T05:00:00Z", 120, night)).toBe("2026-11-30T23:00:00.000Z");
  });

  it("is wall-clock time in the calendar's zone, across DST (Europe/Berlin)", () => {
    const berlin = weekdays("Europe/Berlin");
    // Friday 2026-03-27 16:00 CET (15:00Z) + 2h: 1h Friday; Monday 30 March is CEST (UTC+2): 09:00 local = 07:00Z, +1h = 08:00Z
    expect(add("2026-03-27T15:00:00Z", 120, berlin)).toBe("2026-03-30T08:00:00.000Z");
    // Autumn: Friday 2026-10-23 16:00 CEST (14:00Z) + 2h → Monday 26 Oct 10:00 CET = 09:00Z
    expect(add("2026-10-23T14:00:00Z", 120, berlin)).toBe("2026-10-26T09:00:00.000Z");
  });

  it("counts a DST night in real minutes around the clock (America/New_York)", () => {
    const allWeek: BusinessCalendar = {
      timezone: "America/New_York",
      hours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "00:00", end: "24:00" })),
      holidays: [],
    };
    // 2026-03-08 is 23 hours long in New York: midnight EST (05:00Z) + 24h of working time = 2026-03-09 01:00 EDT (05:00Z)
    expect(add("2026-03-08T05:00:00Z", 24 * 60, allWeek)).toBe("2026-03-09T05:00:00.000Z");
    const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hourCycle: "h23" });
    expect(local.format(at("2026-03-09T05:00:00Z"))).toBe("01");
  });

  it("is plain time around the clock without a calendar", () => {
    expect(add("2026-11-21T12:00:00Z", 90, null)).toBe("2026-11-21T13:30:00.000Z");
  });
});

describe("businessMinutesBetween", () => {
  const utc = weekdays("UTC");

  it("counts working minutes only, and is the inverse of adding them", () => {
    expect(businessMinutesBetween(at("2026-11-20T16:00:00Z"), at("2026-11-23T10:00:00Z"), utc)).toBe(120);
    const start = at("2026-11-19T13:17:00Z");
    for (const m of [1, 59, 480, 1000, 5000]) {
      expect(businessMinutesBetween(start, addBusinessMinutes(start, m, utc), utc)).toBe(m);
    }
  });

  it("is negative when the end is before the start (time past a due date)", () => {
    expect(businessMinutesBetween(at("2026-11-24T12:00:00Z"), at("2026-11-24T11:00:00Z"), utc)).toBe(-60);
  });

  it("is zero across a weekend or holiday", () => {
    expect(businessMinutesBetween(at("2026-11-21T08:00:00Z"), at("2026-11-22T20:00:00Z"), utc)).toBe(0);
    const xmas = weekdays("UTC", "09:00", "17:00", ["2026-12-25"]);
    expect(businessMinutesBetween(at("2026-12-25T00:00:00Z"), at("2026-12-26T00:00:00Z"), xmas)).toBe(0);
  });

  it("measures a pause in business time: a pause over the weekend costs only its working minutes", () => {
    // Paused Friday 15:00 → resumed Monday 10:00 = 2h Friday + 1h Monday
    const paused = businessMinutesBetween(at("2026-11-20T15:00:00Z"), at("2026-11-23T10:00:00Z"), utc);
    expect(paused).toBe(180);
    // A target due Friday 16:00, paused at 15:00 (1h left), resumed Monday 10:00 → due Monday 11:00
    const remaining = businessMinutesBetween(at("2026-11-20T15:00:00Z"), at("2026-11-20T16:00:00Z"), utc);
    expect(addBusinessMinutes(at("2026-11-23T10:00:00Z"), remaining, utc).toISOString()).toBe("2026-11-23T11:00:00.000Z");
  });

  it("follows the zone across DST in Berlin", () => {
    const berlin = weekdays("Europe/Berlin");
    // Friday 27 March 09:00 CET to Monday 30 March 17:00 CEST = two full days
    expect(businessMinutesBetween(at("2026-03-27T08:00:00Z"), at("2026-03-30T15:00:00Z"), berlin)).toBe(960);
  });
});

describe("isBusinessTime", () => {
  it("knows opening hours in the calendar's zone", () => {
    const berlin = weekdays("Europe/Berlin");
    expect(isBusinessTime(at("2026-11-24T08:30:00Z"), berlin)).toBe(true); // 09:30 CET
    expect(isBusinessTime(at("2026-11-24T07:30:00Z"), berlin)).toBe(false); // 08:30 CET
    expect(isBusinessTime(at("2026-11-22T12:00:00Z"), berlin)).toBe(false); // Sunday
  });
});
