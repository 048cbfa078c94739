import type { Logger } from "pino";
import { publish } from "../events";
import { type SafeFetch, safeFetch } from "../shared/safe-fetch";
import { signWebhook } from "../shared/signing";
import { wallClock } from "../shared/time-zone";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/rules";
import type { OutboxRow } from "../store/schema-rules";
import { deliverySecret } from "./secrets";
import { workActions } from "./work-actions";

// After commit: the outbox worker delivers webhooks (signed HMAC-SHA256 over
// "timestamp.body", retried with exponential backoff, every attempt logged) and
// emails (SMTP via nodemailer when PARLEY_SMTP_URL is set). This outbox table is the
// one way out of the process: rule actions write its rows in the writer's transaction
// (see src/events). The same loop publishes schedule events when rules are due and
// has work scan the case timers (work publishes the SLA events it records).

export const MAX_ATTEMPTS = 8;

export type Mailer = { sendMail: (m: { from: string; to: string[]; subject: string; text: string }) => Promise<unknown> };

let defaultMailer: Mailer | null | undefined;
async function smtpMailer(): Promise<Mailer | null> {
  if (defaultMailer !== undefined) return defaultMailer;
  const url = process.env.PARLEY_SMTP_URL;
  if (!url) return null;
  const nodemailer = await import("nodemailer");
  defaultMailer = nodemailer.createTransport(url) as unknown as Mailer;
  return defaultMailer;
}

export type WorkerOptions = {
  fetch?: SafeFetch;
  mailer?: Mailer | null;
  /** First retry after this many seconds, doubling each time (capped at an hour). */
  retryBaseSeconds?: number;
  /**
   * How long a claimed delivery is held before another worker may take it (default 120 s): a worker
   * that crashed mid-send loses its claim after this, and the delivery is tried again with the same
   * idempotency key. PARLEY_OUTBOX_LEASE_SECONDS sets it for `parley start`.
   */
  leaseSeconds?: number;
  logger?: Pick<Logger, "warn" | "info">;
};

/** What one delivery attempt came to. */
export type OutboxOutcome = {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** The other side said when to come back (Retry-After): the next attempt waits until then. */
  retryAt?: Date | null;
  /** No retry can help (the other side refused what was sent): failed at once. */
  permanent?: boolean;
  /** What the deliverer learned (e.g. the network's id for what it sent), handed back to its settle. */
  result?: unknown;
};

/**
 * An outbox kind another module delivers (engage's replies), provided at start-up by
 * src/wiring.ts: the worker claims, retries and logs its rows like its own.
 */
export type OutboxDeliverer = {
  deliver(db: Db, row: OutboxRow, options: WorkerOptions): Promise<OutboxOutcome>;
  /** Runs in the transaction that records the attempt: the owner's bookkeeping for the row's new state. */
  settle?(tx: DbOrTx, row: OutboxRow, outcome: OutboxOutcome, state: "delivered" | "pending" | "failed"): Promise<void>;
};
const deliverers = new Map<OutboxRow["kind"], OutboxDeliverer>();

export function provideOutboxDeliverer(kind: OutboxRow["kind"], deliverer: OutboxDeliverer): void {
  deliverers.set(kind, deliverer);
}

async function deliver(db: Db, row: OutboxRow, options: WorkerOptions): Promise<OutboxOutcome> {
  const provided = deliverers.get(row.kind);
  if (provided) return provided.deliver(db, row, options);
  const p = row.payload as Record<string, unknown>;
  if (row.kind === "webhook") {
    const body = JSON.stringify({ id: row.id, created_at: row.created_at, ...(p.body as object) });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "Parley-Webhooks/1",
      "x-parley-delivery": row.id,
      "x-parley-timestamp": String(timestamp),
    };
    const secret = deliverySecret(p) ?? process.env.PARLEY_WEBHOOK_SECRET;
    if (secret) headers["x-parley-signature"] = signWebhook(secret, timestamp, body);
    const res = await (options.fetch ?? safeFetch)(String(p.url), { method: "POST", headers, body, timeoutMs: 10_000, maxRedirects: 0 });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status} ${res.text.slice(0, 200)}` };
  }
  const mailer = options.mailer === undefined ? await smtpMailer() : options.mailer;
  if (!mailer) return { ok: false, status: null, error: "SMTP is not configured (PARLEY_SMTP_URL)" };
  await mailer.sendMail({
    from: process.env.PARLEY_SMTP_FROM ?? "Parley <parley@localhost>",
    to: p.to as string[],
    subject: String(p.subject),
    text: String(p.text ?? ""),
  });
  return { ok: true, status: null, error: null };
}

/** Delivers what is due; returns how many deliveries were attempted. */
export async function deliverOutbox(db: Db, options: WorkerOptions = {}, limit = 50): Promise<number> {
  const due = await store.claimDueOutbox(db, limit, options.leaseSeconds ?? 120);
  for (const row of due) {
    const attempt = row.attempts + 1;
    const started = Date.now();
    let r: OutboxOutcome;
    try {
      r = await deliver(db, row, options);
    } catch (err) {
      r = { ok: false, status: null, error: err instanceof Error ? err.message : String(err) };
    }
    const base = options.retryBaseSeconds ?? 10;
    const failed = !r.ok && (r.permanent === true || attempt >= MAX_ATTEMPTS);
    const state = r.ok ? "delivered" : failed ? "failed" : "pending";
    const backoff = Math.min(3600, base * 2 ** (attempt - 1));
    const retryIn = r.retryAt ? Math.max(1, Math.ceil((r.retryAt.getTime() - Date.now()) / 1000)) : backoff;
    await db.transaction().execute(async (tx) => {
      await store.recordAttempt(
        tx,
        {
          workspace_id: row.workspace_id,
          outbox_id: row.id,
          attempt,
          ok: r.ok,
          status_code: r.status,
          error: r.error,
          duration_ms: Date.now() - started,
        },
        { status: state, retryInSeconds: r.ok || failed ? 0 : retryIn, error: r.error },
      );
      await deliverers.get(row.kind)?.settle?.(tx, row, r, state);
    });
    if (!r.ok) options.logger?.warn({ outbox: row.id, attempt, error: r.error }, "outbox delivery failed");
  }
  return due.length;
}

function localParts(at: Date, timeZone: string) {
  const w = wallClock(at.getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return { date: `${w.y}-${two(w.m)}-${two(w.d)}`, time: `${two(w.h)}:${two(w.min)}` };
}

/** Fires schedule rules that are due at `now`; returns how many fired. */
export async function runSchedules(db: Db, now = new Date()): Promise<number> {
  let fired = 0;
  for (const rule of await store.scheduledRules(db)) {
    const def = rule.definition as { trigger: { schedule?: { every_minutes?: number; daily_at?: string } } };
    const schedule = def.trigger.schedule;
    if (!schedule) continue;
    const last = rule.last_scheduled_at ? new Date(rule.last_scheduled_at) : null;
    let due = false;
    if (schedule.every_minutes) due = !last || now.getTime() - last.getTime() >= schedule.every_minutes * 60_000;
    else if (schedule.daily_at) {
      const tz = await store.ruleTimeZone(db, rule.workspace_id);
      const today = localParts(now, tz);
      due = today.time >= schedule.daily_at && (!last || localParts(last, tz).date !== today.date);
    }
    if (!due) continue;
    await db.transaction().execute(async (tx) => {
      await store.markScheduled(tx, rule.workspace_id, rule.id, now);
      await publish(tx, rule.workspace_id, { type: "schedule", ruleId: rule.id, at: now });
    });
    fired++;
  }
  return fired;
}

/**
 * SLA warnings and breaches from the case timers: work records each and publishes it as an
 * sla.* event in the same transaction, where the sla.* rules fire. Returns how many.
 */
export async function runSla(db: Db, now = new Date()): Promise<number> {
  return (await workActions().scanSla(db, now)).length;
}

/** The loop started next to the Poller by `parley start`. */
export class RulesWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSla = 0;
  private lastSchedule = 0;

  constructor(
    private readonly db: Db,
    private readonly options: WorkerOptions & { intervalMs?: number; slaEveryMs?: number } = {},
  ) {}

  start() {
    const every = this.options.intervalMs ?? 1000;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = null));
    }, every);
    this.timer.unref?.();
  }

  async tick(now = new Date()) {
    try {
      await deliverOutbox(this.db, this.options);
      if (now.getTime() - this.lastSchedule >= 30_000) {
        this.lastSchedule = now.getTime();
        await runSchedules(this.db, now);
      }
      if (now.getTime() - this.lastSla >= (this.options.slaEveryMs ?? 30_000)) {
        this.lastSla = now.getTime();
        await runSla(this.db, now);
      }
    } catch (err) {
      this.options.logger?.warn({ err }, "rules worker");
    }
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
