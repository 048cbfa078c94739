import { createHash } from "node:crypto";
import { type Actor, requirePermission } from "../accounts";
import type { AlertMetric } from "../contracts/enums";
import { publish } from "../events";
import { PeriodicJob, type PeriodicOptions } from "../shared/periodic";
import * as store from "../store/alerts";
import type { Db, DbOrTx } from "../store/db";
import * as ruleStore from "../store/rules";
import { type AlertSettings, alertSchema } from "./definition";

// Threshold alerts (issue 16): an alert.threshold rule names a metric — inbound volume, the share of
// negative messages, cases breaching SLA — over a sliding window and a threshold. The alert worker
// measures each enabled one every minute; when the metric crosses the threshold the rule fires once
// (alert_states turns to firing and the alert.threshold event runs the rule in that transaction) and
// stays quiet until the metric is back on the other side, which re-arms it. What happens on firing is
// the rule's actions: notify people or roles (and email them), a webhook, a case.

/** negative_share: fewer analyzed messages than this in the window never fire unless the rule says otherwise. */
export const DEFAULT_MIN_COUNT = 10;

export type AlertReading = {
  value: number;
  /** Messages (volume), analyzed messages (negative_share) or cases (sla_breaches) counted. */
  count: number;
  crossed: boolean;
};

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The alert's metric at `now` and whether it is past the threshold. */
export async function measureAlert(db: DbOrTx, workspaceId: string, a: AlertSettings, now = new Date()): Promise<AlertReading> {
  const scope = {
    workspaceId,
    from: new Date(now.getTime() - a.window_minutes * 60_000),
    to: now,
    channelId: a.channel_id,
    network: a.network,
    label: a.label,
    teamId: a.team_id,
  };
  let value: number;
  let count: number;
  if (a.metric === "sla_breaches") {
    value = count = await store.casesBreachedIn(db, scope);
  } else {
    const c = await store.inboundSentimentCounts(db, scope);
    if (a.metric === "volume") value = count = c.messages;
    else {
      count = c.analyzed;
      value = c.analyzed ? round(c.negative / c.analyzed) : 0;
    }
  }
  const enough = a.metric !== "negative_share" || count >= (a.min_count ?? DEFAULT_MIN_COUNT);
  const crossed = enough && (a.comparison === "below" ? value < a.threshold : value > a.threshold);
  return { value, count, crossed };
}

const METRIC_NAMES: Record<AlertMetric, string> = {
  volume: "Inbound volume",
  negative_share: "Negative share",
  sla_breaches: "SLA breaches",
};

export function windowText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "24 h" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** The sentence a notification and an email give: metric, value, threshold and window (and the filters). */
export function alertSummary(a: AlertSettings, reading: Pick<AlertReading, "value" | "count"> & { crossed?: boolean }): string {
  const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
  const filters = [
    a.network && `network ${a.network}`,
    a.channel_id && `channel ${a.channel_id}`,
    a.label && `label ${a.label}`,
    a.team_id && `team ${a.team_id}`,
  ].filter(Boolean);
  const scope = filters.length ? ` (${filters.join(", ")})` : "";
  const window = `in the last ${windowText(a.window_minutes)}${scope}`;
  const side = `${reading.crossed === false ? "not " : ""}${a.comparison === "below" ? "below" : "above"}`;
  if (a.metric === "negative_share") {
    const min = a.min_count ?? DEFAULT_MIN_COUNT;
    const few = reading.count < min ? ` (fewer than ${min} analyzed: not judged)` : "";
    return `${METRIC_NAMES[a.metric]}: ${pct(reading.value)} of ${reading.count} analyzed messages ${window}, ${side} the threshold of ${pct(a.threshold)}${few}.`;
  }
  const what = a.metric === "volume" ? "inbound messages" : "cases breached SLA";
  return `${METRIC_NAMES[a.metric]}: ${reading.value} ${what} ${window}, ${side} the threshold of ${a.threshold}.`;
}

/** Where the figures behind the alert are, in the web app. */
export const alertLink = (a: AlertSettings) => (a.metric === "sla_breaches" ? "/reports/service" : "/reports/listening");

const configOf = (a: AlertSettings) => createHash("sha1").update(JSON.stringify(a)).digest("hex").slice(0, 16);

export type AlertOutcome = "fired" | "rearmed" | "unchanged";

/**
 * Measures one alert rule and moves its state, in one transaction: a crossing marks it firing and
 * publishes alert.threshold there (the rule runs in that transaction); back on the other side it re-arms.
 */
export async function checkAlert(db: Db, rule: { workspace_id: string; id: string; alert: AlertSettings }, now = new Date()) {
  const ws = rule.workspace_id;
  return db.transaction().execute(async (tx): Promise<AlertOutcome> => {
    const state = await store.lockAlertState(tx, ws, rule.id, configOf(rule.alert));
    const reading = await measureAlert(tx, ws, rule.alert, now);
    const base = { value: reading.value, count: reading.count, checked_at: now };
    if (reading.crossed && !state.firing) {
      const crossing = state.crossings + 1;
      await store.saveAlertState(tx, ws, rule.id, { ...base, firing: true, crossings: crossing, fired_at: now });
      await publish(tx, ws, {
        type: "alert.threshold",
        ruleId: rule.id,
        crossing,
        metric: rule.alert.metric,
        value: reading.value,
        count: reading.count,
        threshold: rule.alert.threshold,
        comparison: rule.alert.comparison,
        windowMinutes: rule.alert.window_minutes,
        summary: alertSummary(rule.alert, reading),
        link: alertLink(rule.alert),
        at: now,
      });
      return "fired";
    }
    if (!reading.crossed && state.firing) {
      await store.saveAlertState(tx, ws, rule.id, { ...base, firing: false, rearmed_at: now });
      return "rearmed";
    }
    await store.saveAlertState(tx, ws, rule.id, { ...base, firing: state.firing });
    return "unchanged";
  });
}

/** One round over every workspace's enabled alert rules (optionally one workspace's). */
export async function runAlerts(db: Db, now = new Date(), workspaceId?: string) {
  const counts = { checked: 0, fired: 0, rearmed: 0 };
  for (const r of await store.alertRules(db, workspaceId)) {
    const parsed = alertSchema.safeParse((r.definition as { trigger?: { alert?: unknown } }).trigger?.alert);
    // a rule that no longer validates is skipped, like the engine skips it
    if (!parsed.success) continue;
    const outcome = await checkAlert(db, { workspace_id: r.workspace_id, id: r.id, alert: parsed.data }, now);
    counts.checked++;
    if (outcome === "fired") counts.fired++;
    if (outcome === "rearmed") counts.rearmed++;
  }
  return counts;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The workspace's alert rules, each with its state and its metric measured now. */
export async function listAlerts(db: Db, actor: Actor, now = new Date()) {
  requirePermission(actor, "crm:read");
  const rules = await ruleStore.listRules(db, actor.workspaceId);
  const states = new Map((await store.alertStates(db, actor.workspaceId)).map((s) => [s.rule_id, s]));
  const data = [];
  for (const r of rules) {
    if (r.trigger !== "alert.threshold") continue;
    const parsed = alertSchema.safeParse((r.definition as { trigger?: { alert?: unknown } }).trigger?.alert);
    if (!parsed.success) continue;
    const alert = parsed.data;
    const state = states.get(r.id);
    const reading = await measureAlert(db, actor.workspaceId, alert, now);
    data.push({
      rule_id: r.id,
      name: r.name,
      enabled: r.enabled,
      alert,
      firing: state?.firing ?? false,
      crossings: state?.crossings ?? 0,
      value: state?.value ?? null,
      count: state?.count ?? null,
      fired_at: iso(state?.fired_at ?? null),
      rearmed_at: iso(state?.rearmed_at ?? null),
      checked_at: iso(state?.checked_at ?? null),
      current: { ...reading, summary: alertSummary(alert, reading) },
    });
  }
  return { data };
}

/** Measures the workspace's alert rules now (the worker's round, for one workspace): crossings fire as they would. */
export async function checkAlertsNow(db: Db, actor: Actor, now = new Date()) {
  requirePermission(actor, "rules:manage");
  return runAlerts(db, now, actor.workspaceId);
}

/** The loop `parley start` runs: alert rules measured every minute. */
export class AlertWorker extends PeriodicJob {
  constructor(db: Db, options: PeriodicOptions = {}) {
    super("alerts", () => runAlerts(db), { everyMs: 60_000, ...options });
  }
}
