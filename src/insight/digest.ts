import { createHash } from "node:crypto";
import { type Actor, can } from "../accounts";
import type { DigestFrequency } from "../contracts";
import { listeningReport, serviceReport } from "../reports";
import { PeriodicJob, type PeriodicOptions } from "../shared/periodic";
import { plural } from "../shared/plural";
import { wallClock } from "../shared/time-zone";
import type { Db } from "../store/db";
import { insertOutboxOnce, ruleTimeZone } from "../store/rules";
import type { Role } from "../store/schema";
import { digestSubscribers, markDigestSent } from "../store/team";
import { listIssues } from "./issues";

// Digests (issue 16): a daily or weekly email per person with the workspace's headline figures —
// volume and sentiment against the period before, how fast we answered, the backlog now — and the
// emerging issues that grew or burst. Sent after 08:00 in the workspace's time zone (weekly ones on
// Mondays), once per period: the outbox row's id is derived from the person and the period.

/** When digests go out, in the workspace's time zone. */
export const DIGEST_HOUR = 8;

const DAY = 86_400_000;
const two = (n: number) => String(n).padStart(2, "0");
const isoDay = (w: { y: number; m: number; d: number }) => `${w.y}-${two(w.m)}-${two(w.d)}`;
/** The calendar date `days` before a local date (YYYY-MM-DD), by whole days. */
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday … 1 Monday

export type DigestPeriod = { frequency: Exclude<DigestFrequency, "off">; from: string; to: string; key: string; label: string };

/** The period a digest sent at `now` covers (whole local days before today), or null when none is due yet. */
export function digestPeriod(frequency: Exclude<DigestFrequency, "off">, now: Date, timeZone: string): DigestPeriod | null {
  const local = wallClock(now.getTime(), timeZone);
  if (local.h < DIGEST_HOUR) return null;
  const today = isoDay(local);
  if (frequency === "daily") {
    const day = daysBefore(today, 1);
    return { frequency, from: day, to: day, key: day, label: `on ${day}` };
  }
  if (weekday(today) !== 1) return null;
  const from = daysBefore(today, 7);
  const to = daysBefore(today, 1);
  return { frequency, from, to, key: `week of ${from}`, label: `from ${from} to ${to}` };
}

const percent = (n: number) => `${Math.round(n * 100)}%`;
const change = (now: number, before: number) => {
  if (before === 0) return now === 0 ? "as before" : "none the period before";
  const delta = (now - before) / before;
  if (Math.abs(delta) < 0.05) return "about as many as the period before";
  return `${delta > 0 ? "up" : "down"} ${percent(Math.abs(delta))} on the period before`;
};
const minutes = (m: number) => (m < 90 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

/** A workspace's figures for one period: the same for everyone who gets that period's digest. */
async function digestFigures(db: Db, actor: Actor, period: DigestPeriod, now: Date) {
  const span = period.frequency === "daily" ? 1 : 7;
  const query = { from: period.from, to: period.to, bucket: "day" as const, format: "json" as const };
  const before = { ...query, from: daysBefore(period.from, span), to: daysBefore(period.to, span) };
  const [listening, previous, service] = await Promise.all([
    listeningReport(db, actor, query, now),
    listeningReport(db, actor, before, now),
    serviceReport(db, actor, query, now),
  ]);
  const issues = (await listIssues(db, actor, { days: span, limit: 5 }, now)).data;
  return { listening, previous, service, issues };
}
type DigestFigures = Awaited<ReturnType<typeof digestFigures>>;

/** The digest's subject and text for one person and period (figures: computed once per workspace and period). */
export async function buildDigest(
  db: Db,
  actor: Actor,
  who: { name: string; workspaceName: string },
  period: DigestPeriod,
  now = new Date(),
  figures?: DigestFigures,
): Promise<{ subject: string; text: string }> {
  const { listening, previous, service, issues } = figures ?? (await digestFigures(db, actor, period, now));
  const sentiment = listening.volume.reduce(
    (acc, p) => ({ negative: acc.negative + p.negative, analyzed: acc.analyzed + p.positive + p.neutral + p.negative }),
    { negative: 0, analyzed: 0 },
  );
  const all = service.rows.find((r) => r.dimension === "all");
  const old = service.backlog.ages.filter((a) => a.age === "3d_7d" || a.age === "over_7d");
  const oldConversations = old.reduce((n, a) => n + a.conversations, 0);
  const base = (process.env.PARLEY_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 4000}`).replace(/\/+$/, "");
  const name = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();
  const p50 = all?.conversation_first_reply_p50 ?? null;
  const firstReply = p50 === null ? "no replies yet" : `median ${minutes(p50)}`;

  const lines = [
    `Hello ${name(who.name)},`,
    "",
    `${period.frequency === "daily" ? "Yesterday" : "Last week"} in ${name(who.workspaceName)} (${period.label}):`,
    "",
    `- Messages received: ${listening.totals.messages} from ${plural(listening.totals.authors, "person", "people")} (${change(listening.totals.messages, previous.totals.messages)})`,
    `- Negative: ${sentiment.analyzed ? `${percent(sentiment.negative / sentiment.analyzed)} of ${sentiment.analyzed} analyzed` : "nothing analyzed"}`,
    `- First reply to a conversation: ${firstReply} (${plural(all?.conversations ?? 0, "new conversation")})`,
    `- Cases: ${plural(all?.cases ?? 0, "case")} opened${all?.first_response_attainment != null ? `, first-response target met for ${percent(all.first_response_attainment)}` : ""}`,
    `- Open now: ${plural(service.backlog.open_conversations, "conversation")} (${oldConversations} waiting over 3 days), ${plural(service.backlog.open_cases, "case")}`,
    "",
  ];
  const bursting = issues.filter((i) => i.bursting);
  if (issues.length) {
    lines.push("Emerging issues:");
    for (const i of issues) {
      lines.push(`- ${name(i.label)}: ${plural(i.recent_count, "message")} in the last 7 days${i.bursting ? " — in a burst now" : ""}`);
    }
    lines.push("");
  } else lines.push("No emerging issues in this period.", "");
  lines.push(`Reports: ${base}/reports`, `Emerging issues: ${base}/issues`, "");
  lines.push("You get this because you chose a digest under the notification bell; set it to Off there to stop.");
  const subject = `${who.workspaceName}: ${plural(listening.totals.messages, "message")}${bursting.length ? `, ${plural(bursting.length, "issue")} bursting` : ""} (${period.frequency} digest ${period.key})`;
  return { subject: name(subject), text: lines.join("\n") };
}

/** A uuid-shaped id for the digest's outbox row: the same person and period give the same row. */
function digestId(workspaceId: string, userId: string, key: string): string {
  const h = createHash("sha256").update(`digest:${workspaceId}:${userId}:${key}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One scheduler round: the digests now due, each queued once as an email. Returns how many. */
export async function runDigests(db: Db, now = new Date()): Promise<number> {
  let sent = 0;
  const zones = new Map<string, string>();
  const figures = new Map<string, DigestFigures>();
  for (const s of await digestSubscribers(db)) {
    if (s.digest === "off") continue;
    if (!zones.has(s.workspace_id)) zones.set(s.workspace_id, await ruleTimeZone(db, s.workspace_id));
    const period = digestPeriod(s.digest, now, zones.get(s.workspace_id) ?? "UTC");
    if (!period || s.digest_sent_for === period.key) continue;
    const actor: Actor = { workspaceId: s.workspace_id, userId: s.user_id, role: s.role as Role, kind: "user", label: s.name };
    // reports are for managers and up: a digest chosen before a change of role stops with it
    if (!can(actor.role, "reports:read")) continue;
    const shared = `${s.workspace_id}|${period.key}`;
    if (!figures.has(shared)) figures.set(shared, await digestFigures(db, actor, period, now));
    const who = { name: s.name, workspaceName: s.workspace_name };
    const { subject, text } = await buildDigest(db, actor, who, period, now, figures.get(shared));
    await db.transaction().execute(async (tx) => {
      await insertOutboxOnce(tx, [
        {
          workspace_id: s.workspace_id,
          id: digestId(s.workspace_id, s.user_id, period.key),
          kind: "email",
          rule_id: null,
          payload: { to: [s.email], subject, text, purpose: "digest", user_id: s.user_id, period: period.key },
        },
      ]);
      await markDigestSent(tx, s.workspace_id, s.user_id, period.key);
    });
    sent++;
  }
  return sent;
}

/** The loop `parley start` runs: digests that came due, every quarter of an hour. */
export class DigestWorker extends PeriodicJob {
  constructor(db: Db, options: PeriodicOptions = {}) {
    super("digests", () => runDigests(db), { everyMs: 15 * 60_000, ...options });
  }
}
