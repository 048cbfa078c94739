import type { FastifyBaseLogger } from "fastify";
import { type Actor, requirePermission } from "../accounts";
import { type Ingestor, summarize } from "../ingest";
import { AppError } from "../shared/errors";
import { type SafeFetch, safeFetch } from "../shared/safe-fetch";
import type { Db } from "../store/db";
import * as store from "../store/listening";
import type { ChannelRow } from "../store/schema";
import { channelCredentials } from "./channels";
import { type Connector, ConnectorError, type CursorState, clock, connectorFor, POLLED_NETWORKS } from "./connectors";
import { ingestOptions } from "./ingest-options";

// The poller asks each enabled channel's connector for what is new, hands the
// messages to the ingest pipeline (queries, dedupe, threading apply there),
// and only after they are committed saves the connector's new cursor. A crash
// between the two re-reads the same items next time; dedupe makes that
// harmless, so nothing is lost and nothing is stored twice. Rate limits and
// failures move `next_poll_at` (kept in the channel's state, so restarts keep
// them too).

export type ChannelPollState = {
  cursor?: CursorState;
  next_poll_at?: string;
  backoff_ms?: number;
  failures?: number;
  /** [poll time, messages stored] over the last hour, for items/hour. */
  recent?: Array<[string, number]>;
};

export type PollStatus = "ok" | "error" | "rate_limited";
export type PollOutcome = {
  channel_id: string;
  status: PollStatus;
  received: number;
  stored: number;
  duplicates: number;
  filtered: number;
  rejected: number;
  error: string | null;
  next_poll_at: string;
};

export type PollDeps = {
  db: Db;
  ingestor: Ingestor;
  fetch?: SafeFetch;
  now?: () => Date;
  signal?: AbortSignal;
};

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;
const HOUR_MS = 60 * 60_000;

/** Exponential backoff with jitter: half fixed, half random, so failing channels spread out. */
export function backoffMs(failures: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function stateOf(channel: ChannelRow): ChannelPollState {
  const s = channel.state;
  return s && typeof s === "object" ? (s as ChannelPollState) : {};
}

function intervalMs(connector: Connector, config: unknown): number {
  const seconds = (config as { poll_interval_seconds?: number } | null)?.poll_interval_seconds;
  return typeof seconds === "number" ? seconds * 1000 : connector.defaultIntervalMs;
}

function connectorOrThrow(channel: ChannelRow): Connector {
  const connector = connectorFor(channel.network, channel.config);
  if (!connector) {
    throw new AppError("bad_request", `Channels of network "${channel.network}" are not polled: they receive messages pushed to Parley`);
  }
  return connector;
}

function errorText(err: unknown): string {
  if (err instanceof ConnectorError) return err.message;
  if (err instanceof AppError) return `The channel's settings are not valid: ${err.message}`;
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

export function itemsLastHour(state: ChannelPollState, now: Date): number {
  const since = now.getTime() - HOUR_MS;
  return (state.recent ?? []).filter(([at]) => Date.parse(at) > since).reduce((n, [, count]) => n + count, 0);
}

// One poll per channel at a time in this process (the loop and "poll now" may meet).
const inFlight = new Map<string, Promise<PollOutcome>>();

export function pollChannel(deps: PollDeps, channel: ChannelRow): Promise<PollOutcome> {
  const running = inFlight.get(channel.id);
  if (running) return running;
  const run = runPoll(deps, channel).finally(() => inFlight.delete(channel.id));
  inFlight.set(channel.id, run);
  return run;
}

async function runPoll(deps: PollDeps, channel: ChannelRow): Promise<PollOutcome> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const connector = connectorOrThrow(channel);
  const state = stateOf(channel);
  const startedAt = now();
  const outcome = (status: PollStatus, error: string | null, nextAt: Date, counts?: ReturnType<typeof summarize>): PollOutcome => ({
    channel_id: channel.id,
    status,
    received: counts?.received ?? 0,
    stored: counts?.stored ?? 0,
    duplicates: counts?.duplicates ?? 0,
    filtered: counts?.filtered ?? 0,
    rejected: counts?.rejected.length ?? 0,
    error,
    next_poll_at: nextAt.toISOString(),
  });

  let config: unknown;
  let result: Awaited<ReturnType<Connector["poll"]>>;
  try {
    config = connector.validateConfig(channel.config);
    result = await connector.poll({
      config: config as Record<string, unknown>,
      credentials: channelCredentials(channel),
      state: state.cursor ?? {},
      queries: channel.queries,
      fetch: deps.fetch ?? safeFetch,
      now,
      signal: deps.signal,
    });
  } catch (err) {
    if (deps.signal?.aborted) throw err; // shutting down: leave the channel as it was
    return recordFailure(deps, channel, state, err, startedAt, outcome);
  }

  // Acknowledged = committed: only then does the cursor move.
  let outcomes: Awaited<ReturnType<Ingestor["submit"]>> = [];
  try {
    if (result.messages.length > 0) {
      outcomes = await deps.ingestor.submit(channel.workspace_id, result.messages, await ingestOptions(db, channel.workspace_id, channel));
    }
  } catch (err) {
    const stored = new ConnectorError(
      "unavailable",
      `Could not store the new messages: ${err instanceof Error ? err.message : String(err)}`,
    );
    return recordFailure(deps, channel, state, stored, startedAt, outcome);
  }
  const counts = summarize(outcomes);
  const finishedAt = now();
  const nextAt = new Date(finishedAt.getTime() + (result.nextPollMs ?? intervalMs(connector, config)));
  const since = finishedAt.getTime() - HOUR_MS;
  const recent = [
    ...(state.recent ?? []).filter(([at]) => Date.parse(at) > since),
    [finishedAt.toISOString(), counts.stored] as [string, number],
  ];
  const rejected = counts.rejected.length;
  const note = rejected > 0 ? `${rejected} item(s) could not be stored: ${counts.rejected[0]?.reason}` : null;
  await store.updateChannel(db, channel.workspace_id, channel.id, {
    state: JSON.stringify({
      cursor: result.state,
      next_poll_at: nextAt.toISOString(),
      failures: 0,
      backoff_ms: 0,
      recent,
    } satisfies ChannelPollState),
    status: "ok",
    last_poll_at: finishedAt,
    last_error: note,
  });
  return outcome("ok", note, nextAt, counts);
}

async function recordFailure(
  deps: PollDeps,
  channel: ChannelRow,
  state: ChannelPollState,
  err: unknown,
  startedAt: Date,
  outcome: (status: PollStatus, error: string | null, nextAt: Date) => PollOutcome,
): Promise<PollOutcome> {
  const rateLimited = err instanceof ConnectorError && err.kind === "rate_limited";
  const failures = rateLimited ? (state.failures ?? 0) : (state.failures ?? 0) + 1;
  const backoff = rateLimited ? (state.backoff_ms ?? 0) : backoffMs(failures);
  let nextAt = new Date(startedAt.getTime() + backoff);
  const retryAt = err instanceof ConnectorError ? err.retryAt : undefined;
  // A little jitter after a reset time, so every channel does not knock at once.
  if (retryAt && retryAt > nextAt) nextAt = new Date(retryAt.getTime() + Math.round(Math.random() * 2000));
  const message = errorText(err);
  await store.updateChannel(deps.db, channel.workspace_id, channel.id, {
    state: JSON.stringify({ ...state, next_poll_at: nextAt.toISOString(), failures, backoff_ms: backoff } satisfies ChannelPollState),
    status: rateLimited ? "rate_limited" : "error",
    last_poll_at: startedAt,
    last_error: message,
  });
  return outcome(rateLimited ? "rate_limited" : "error", message, nextAt);
}

/** Runs the polls that are due, a few at a time, until stopped. One per process. */
type LiveStream = { running: boolean; abort: AbortController | null; done: Promise<void> | null; failures: number; retryAt: number };

export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<PollOutcome[]> | null = null;
  private readonly abort = new AbortController();
  private stopped = false;
  private readonly streams = new Map<string, LiveStream>();

  constructor(
    private readonly db: Db,
    private readonly ingestor: Ingestor,
    private readonly options: {
      tickMs?: number;
      concurrency?: number;
      fetch?: SafeFetch;
      now?: () => Date;
      logger?: FastifyBaseLogger;
    } = {},
  ) {}

  start() {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.tick();
      } catch (err) {
        this.options.logger?.error({ err }, "poller tick failed");
      }
      if (!this.stopped) this.timer = setTimeout(loop, this.options.tickMs ?? 5_000);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    for (const s of this.streams.values()) s.abort?.abort();
    await this.ticking?.catch(() => undefined);
    await Promise.all([...this.streams.values()].map((s) => s.done));
  }

  /** Channels whose connector streams and whose config asks for it listen live, reconnecting with backoff. */
  private reconcileStreams(channels: ChannelRow[]) {
    const wanted = new Set<string>();
    const nowMs = (this.options.now ?? (() => new Date()))().getTime();
    for (const channel of channels) {
      const connector = connectorFor(channel.network, channel.config);
      if (!connector?.stream || !connector.wantsStream) continue;
      let config: Record<string, unknown>;
      try {
        config = connector.validateConfig(channel.config);
      } catch {
        continue; // the poll reports bad settings
      }
      if (!connector.wantsStream(config)) continue;
      wanted.add(channel.id);
      const live = this.streams.get(channel.id) ?? { running: false, abort: null, done: null, failures: 0, retryAt: 0 };
      this.streams.set(channel.id, live);
      if (live.running || nowMs < live.retryAt) continue;
      this.startStream(channel, connector, config, live);
    }
    for (const [id, live] of this.streams) {
      if (!wanted.has(id)) {
        live.abort?.abort();
        this.streams.delete(id);
      }
    }
  }

  private startStream(channel: ChannelRow, connector: Connector, config: unknown, live: LiveStream) {
    const abort = new AbortController();
    live.running = true;
    live.abort = abort;
    const now = this.options.now ?? (() => new Date());
    const signal = AbortSignal.any([this.abort.signal, abort.signal]);
    const onMessages = async (messages: Parameters<Parameters<NonNullable<Connector["stream"]>>[1]>[0]) => {
      if (messages.length === 0) return;
      // The channel as it is now (queries may have changed since the stream opened).
      const current = await store.findChannel(this.db, channel.workspace_id, channel.id);
      if (!current?.enabled) {
        abort.abort();
        return;
      }
      await this.ingestor.submit(channel.workspace_id, messages, await ingestOptions(this.db, channel.workspace_id, current));
      live.failures = 0;
    };
    const stream = connector.stream as NonNullable<Connector["stream"]>;
    live.done = stream
      .call(
        connector,
        {
          config: config as Record<string, unknown>,
          credentials: channelCredentials(channel),
          state: stateOf(channel).cursor ?? {},
          queries: channel.queries,
          fetch: this.options.fetch ?? safeFetch,
          now,
          signal,
        },
        onMessages,
      )
      .catch((err) => {
        if (signal.aborted) return;
        live.failures++;
        this.options.logger?.warn({ channel: channel.id, error: errorText(err) }, "live stream ended");
      })
      .finally(() => {
        live.running = false;
        live.abort = null;
        const retryAt = now().getTime() + (live.failures > 0 ? backoffMs(live.failures) : 1_000);
        live.retryAt = retryAt;
      });
  }

  /** Channels listening live right now (for tests and diagnostics). */
  liveStreams(): string[] {
    return [...this.streams.entries()].filter(([, s]) => s.running).map(([id]) => id);
  }

  /** One round: every due channel polled once. Returns what happened (tests call it directly). */
  tick(): Promise<PollOutcome[]> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async runDue(): Promise<PollOutcome[]> {
    const now = (this.options.now ?? (() => new Date()))();
    const channels = (await store.enabledPollingChannels(this.db, POLLED_NETWORKS)).filter((c) => connectorFor(c.network, c.config));
    if (!this.stopped) this.reconcileStreams(channels);
    const due = channels.filter((c) => {
      const at = stateOf(c).next_poll_at;
      return !at || Date.parse(at) <= now.getTime();
    });
    const results: PollOutcome[] = [];
    const queue = [...due];
    const deps: PollDeps = {
      db: this.db,
      ingestor: this.ingestor,
      fetch: this.options.fetch,
      now: this.options.now,
      signal: this.abort.signal,
    };
    const worker = async () => {
      for (let channel = queue.shift(); channel && !this.stopped; channel = queue.shift()) {
        try {
          const result = await pollChannel(deps, channel);
          results.push(result);
          if (result.status !== "ok") this.options.logger?.warn({ channel: channel.id, error: result.error }, "channel poll failed");
        } catch (err) {
          if (!this.abort.signal.aborted) this.options.logger?.error({ err, channel: channel.id }, "channel poll crashed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, worker));
    return results;
  }
}

// ---------- What the routes call

/** "Test connection": one request through the connector; the answer in words, recorded as the channel's status. */
export async function testChannelConnection(deps: PollDeps, actor: Actor, id: string): Promise<{ ok: boolean; detail: string }> {
  requirePermission(actor, "channels:manage");
  const channel = await store.findChannelOrThrow(deps.db, actor.workspaceId, id);
  const connector = connectorOrThrow(channel);
  const now = deps.now ?? (() => new Date());
  let answer: { ok: boolean; detail: string };
  let status: PollStatus = "ok";
  try {
    const config = connector.validateConfig(channel.config);
    answer = await connector.test({
      config: config as Record<string, unknown>,
      credentials: channelCredentials(channel),
      state: stateOf(channel).cursor ?? {},
      queries: channel.queries,
      fetch: deps.fetch ?? safeFetch,
      now,
    });
    if (!answer.ok) status = "error";
  } catch (err) {
    status = err instanceof ConnectorError && err.kind === "rate_limited" ? "rate_limited" : "error";
    answer = { ok: false, detail: errorText(err) };
  }
  await store.updateChannel(deps.db, actor.workspaceId, id, { status, last_error: answer.ok ? null : answer.detail });
  return answer;
}

/** "Poll now": polls at once, whatever next_poll_at says, except while rate limited. */
export async function pollChannelNow(deps: PollDeps, actor: Actor, id: string): Promise<PollOutcome> {
  requirePermission(actor, "channels:manage");
  const channel = await store.findChannelOrThrow(deps.db, actor.workspaceId, id);
  connectorOrThrow(channel);
  const state = stateOf(channel);
  const now = (deps.now ?? (() => new Date()))();
  if (channel.status === "rate_limited" && state.next_poll_at && Date.parse(state.next_poll_at) > now.getTime()) {
    throw new AppError(
      "rate_limited",
      `${channel.last_error ?? "Rate limited"}; the next poll is at ${clock(new Date(state.next_poll_at))}`,
    );
  }
  return pollChannel(deps, channel);
}

export async function channelPollStatus(deps: { db: Db; now?: () => Date }, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const channel = await store.findChannelOrThrow(deps.db, actor.workspaceId, id);
  const state = stateOf(channel);
  const now = (deps.now ?? (() => new Date()))();
  return {
    status: channel.status,
    polled: Boolean(connectorFor(channel.network, channel.config)),
    last_poll_at: channel.last_poll_at,
    next_poll_at: state.next_poll_at ?? null,
    last_error: channel.last_error,
    items_total: Number(channel.items_total),
    items_last_hour: itemsLastHour(state, now),
  };
}
