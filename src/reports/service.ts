import { type Actor, requirePermission } from "../accounts";
import { BACKLOG_AGES, CASE_PRIORITIES, type ReportQuery, type ServiceReport, type ServiceRow } from "../contracts";
import type { DbOrTx } from "../store/db";
import * as store from "../store/reports";
import { rangeOf, reportScope, round } from "./scope";

// The service report: how fast we answer (the inbox's first reply; a case's first response and
// resolution, p50 and p90), whether we keep our SLA targets, how customers rate us, and what is
// waiting now. Times are wall-clock minutes; the SLA verdicts come from the cases' business-hours
// timers, so attainment respects business hours.

const GROUPS = ["all", "team", "agent", "channel", "priority"] as const;
type Group = (typeof GROUPS)[number];

const share = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

function emptyRow(dimension: Group, key: string, name: string): ServiceRow {
  return {
    dimension,
    key,
    name,
    conversations: 0,
    conversation_first_reply_p50: null,
    conversation_first_reply_p90: null,
    cases: 0,
    first_response_p50: null,
    first_response_p90: null,
    resolution_p50: null,
    resolution_p90: null,
    first_response_met: 0,
    first_response_breached: 0,
    first_response_attainment: null,
    resolution_met: 0,
    resolution_breached: 0,
    resolution_attainment: null,
    csat_responses: 0,
    csat_mean: null,
    csat_satisfied: null,
  };
}

export async function serviceReport(db: DbOrTx, actor: Actor, query: ReportQuery, now = new Date()): Promise<ServiceReport> {
  requirePermission(actor, "reports:read");
  const s = await reportScope(db, actor, query, now);
  const names = await store.reportNames(db, actor.workspaceId);
  const nameOf = (group: Group, key: string): string => {
    if (group === "all") return "All";
    if (key === "none") return group === "channel" ? "No channel" : group === "team" ? "No team" : "Unassigned";
    if (group === "team") return names.teams.get(key) ?? "Deleted team";
    if (group === "agent") return names.users.get(key) ?? "Former member";
    if (group === "channel") return names.channels.get(key) ?? "Deleted channel";
    return key;
  };

  const rows = new Map<string, ServiceRow>();
  const rowOf = (group: Group, key: string) => {
    const id = `${group}:${key}`;
    let row = rows.get(id);
    if (!row) {
      row = emptyRow(group, key, nameOf(group, key));
      rows.set(id, row);
    }
    return row;
  };
  const [cases, conversations] = await Promise.all([store.caseMeasures(db, s, now), store.conversationMeasures(db, s)]);
  for (const m of conversations) {
    const row = rowOf(m.dimension, m.key);
    row.conversations = m.conversations;
    row.conversation_first_reply_p50 = round(m.first_reply_p50);
    row.conversation_first_reply_p90 = round(m.first_reply_p90);
  }
  for (const m of cases) {
    const row = rowOf(m.dimension, m.key);
    Object.assign(row, {
      cases: m.cases,
      first_response_p50: round(m.first_response_p50),
      first_response_p90: round(m.first_response_p90),
      resolution_p50: round(m.resolution_p50),
      resolution_p90: round(m.resolution_p90),
      first_response_met: m.first_response_met,
      first_response_breached: m.first_response_breached,
      first_response_attainment: share(m.first_response_met, m.first_response_met + m.first_response_breached),
      resolution_met: m.resolution_met,
      resolution_breached: m.resolution_breached,
      resolution_attainment: share(m.resolution_met, m.resolution_met + m.resolution_breached),
      csat_responses: m.csat_responses,
      csat_mean: round(m.csat_mean),
      csat_satisfied: share(m.csat_satisfied, m.csat_responses),
    });
  }
  rowOf("all", "all");

  const priorityRank = (key: string) => -CASE_PRIORITIES.indexOf(key as (typeof CASE_PRIORITIES)[number]);
  const ordered = [...rows.values()].sort((a, b) => {
    const byGroup = GROUPS.indexOf(a.dimension) - GROUPS.indexOf(b.dimension);
    if (byGroup !== 0) return byGroup;
    if (a.dimension === "priority") return priorityRank(a.key) - priorityRank(b.key);
    return b.cases + b.conversations - (a.cases + a.conversations) || a.name.localeCompare(b.name);
  });

  const waiting = await store.backlog(db, s, now);
  const ages = BACKLOG_AGES.map((age) => {
    const hit = waiting.find((w) => w.age === age);
    return { age, conversations: hit?.conversations ?? 0, cases: hit?.cases ?? 0 };
  });
  return {
    range: rangeOf(s),
    rows: ordered,
    backlog: {
      open_conversations: ages.reduce((sum, a) => sum + a.conversations, 0),
      open_cases: ages.reduce((sum, a) => sum + a.cases, 0),
      ages,
    },
  };
}
