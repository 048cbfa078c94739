import type { ReplyVisibility } from "../../contracts/replies";
import type { NormalizedMessageInput } from "../../ingest";
import type { SafeFetch } from "../../shared/safe-fetch";
import type { Network } from "../../store/schema";

/** A connector's own cursor: whatever it needs to resume exactly where it stopped (JSON). */
export type CursorState = Record<string, unknown>;

export type ConnectorContext<Config = Record<string, unknown>> = {
  /** The channel's config, already checked by validateConfig. */
  config: Config;
  /** Decrypted credentials (e.g. access_token, bearer_token); never logged. */
  credentials: Record<string, string>;
  /** The cursor the last successful poll returned ({} on the first poll). */
  state: CursorState;
  /** The channel's listening queries (the pipeline filters by them too). */
  queries: string[];
  fetch: SafeFetch;
  now: () => Date;
  signal?: AbortSignal;
};

export type PollResult = {
  messages: NormalizedMessageInput[];
  /** The cursor to save once these messages are stored. */
  state: CursorState;
  /** Ask for the next poll sooner or later than the channel's interval (rate limits, more pages waiting). */
  nextPollMs?: number;
};

export type TestResult = { ok: boolean; detail: string };

/** The message a reply answers, as Parley stored it when the connector read it. */
export type ReplyTarget = {
  /** Its id on the network as the connector wrote it (external_id). */
  externalId: string;
  /** The network's own record of it (the connector's `raw`). */
  raw: unknown;
  /** Its author's handle, as the connector wrote it. */
  authorHandle: string | null;
  /** Its subject (email, forum posts) and the ids of the thread before it (email References). */
  subject: string | null;
  references: string[];
  /** The same for every attempt of one reply: the network drops a repeat it has seen. */
  idempotencyKey: string;
  /** When the reply was written (the same for every attempt). */
  writtenAt: Date;
};

/** An image sent with a reply: its type was read from the bytes when the agent attached it. */
export type ReplyAttachmentFile = {
  id: string;
  contentType: string;
  filename: string | null;
  alt: string | null;
  bytes: Buffer;
  width: number | null;
  height: number | null;
};

/** Where the network put a reply: its id (written as the connector writes external ids) and address. */
export type ReplySent = { externalId: string; url: string | null };

/** A source Parley listens to. One per network; register it in ./index.ts. */
export interface Connector<Config = Record<string, unknown>> {
  readonly network: Network;
  /** How often to poll when the channel does not say. */
  readonly defaultIntervalMs: number;
  /** Checks a channel's config; throws a validation error naming the field. */
  validateConfig(config: unknown): Config;
  /** "Test connection": one cheap request, the answer in words. */
  test(ctx: ConnectorContext<Config>): Promise<TestResult>;
  /** New items since ctx.state, and the cursor after them. */
  poll(ctx: ConnectorContext<Config>): Promise<PollResult>;
  /**
   * Optional live stream: hands over messages as they are published, until the
   * stream ends or ctx.signal aborts. Polling keeps running beside it as the
   * catch-up after a disconnect (dedupe absorbs the overlap).
   */
  stream?(ctx: ConnectorContext<Config>, onMessages: (messages: NormalizedMessageInput[]) => Promise<void>): Promise<void>;
  /** Whether this channel's config asks for the live stream. */
  wantsStream?(config: Config): boolean;
  /**
   * Optional write path: posts `text` as a reply to `target` where it was made (public) or as a
   * direct message (private). Throws a ConnectorError: rate_limited (with retryAt) and unavailable
   * are worth retrying; the other kinds will fail again. `text` is already what replyText returned.
   */
  reply?(
    ctx: ConnectorContext<Config>,
    target: ReplyTarget,
    text: string,
    visibility: ReplyVisibility,
    attachments?: ReplyAttachmentFile[],
  ): Promise<ReplySent>;
  /** Images reply() can send with a reply, as the network documents them; absent: none. */
  readonly replyAttachments?: { max: number; maxBytes: number };
  /** The text as the network will receive it (e.g. the author's @mention put first); limits count this. */
  replyText?(target: Pick<ReplyTarget, "authorHandle" | "raw">, text: string, visibility: ReplyVisibility): string;
  /** Whether reply() can send a private (direct) message. */
  readonly privateReplies?: boolean;
  /** Why this channel cannot reply (e.g. missing credentials), or null when it can. */
  replyBlocker?(ctx: Pick<ConnectorContext<Config>, "config" | "credentials">): string | null;
}

export type ConnectorFailure = "rate_limited" | "unauthorized" | "not_found" | "bad_response" | "unavailable" | "config";

/** A poll that failed in a way a person can act on; `message` is shown as the channel's last error. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorFailure,
    message: string,
    /** For rate limits: when the network lets us ask again. */
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}
