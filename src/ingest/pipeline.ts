import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Insertable } from "kysely";
import { publish } from "../events";
import { resolveProfiles } from "../identity/resolve";
import { AppError } from "../shared/errors";
import { newId } from "../shared/ids";
import { fieldName, storableJson, storableString, UNSTORABLE_MESSAGES } from "../shared/json-guard";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/listening";
import type { ChannelRow, MessageTable } from "../store/schema";
import { htmlToText, type NormalizedMessage, normalizedMessageSchema, sanitizePostHtml } from "./message";
import { analysisColumns } from "./understand";

// normalize → dedupe → understand → thread → persist → notify, one transaction per batch.

export type IngestStatus = "stored" | "duplicate" | "collapsed" | "filtered" | "rejected";
export type IngestOutcome = {
  status: IngestStatus;
  external_id?: string;
  message_id?: string;
  conversation_id?: string;
  reason?: string;
  /** Why a message was rejected, field by field. */
  errors?: FieldError[];
};

export type MessageEvent = {
  type: "message.created";
  workspace_id: string;
  message_id: string;
  conversation_id: string;
  network: string;
  direction: "inbound" | "outbound";
  posted_at: string;
};

/** What a listening query sees of a message. */
export type ListenedItem = { text: string; authorHandle?: string | null; language?: string | null };

export type IngestOptions = {
  channel?: ChannelRow | null;
  /** The channel's listening queries (compiled in listen/): messages none of them accept are filtered. Default: all. */
  accepts?: (item: ListenedItem) => boolean;
};

const key = (network: string, externalId: string) => `${network}\u0000${externalId}`;

/** Near-identical copies share this hash: case, links, mentions and punctuation don't count. */
export function contentHash(text: string): string | null {
  const core = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/@[\p{L}\p{N}_.]+/gu, " ")
    .replace(/[^\p{L}\p{N}#]+/gu, " ")
    .trim();
  // Short texts ("thanks!", "same here") are too common to call copies.
  if (core.length < 40) return null;
  return createHash("sha1").update(core).digest("hex");
}

type Candidate = { index: number; msg: NormalizedMessage; text: string; hash: string | null };

export type FieldError = { field: string; message: string };

/**
 * normalize: content from outside is kept, made storable (NUL characters dropped,
 * lone surrogates replaced: PostgreSQL refuses both), then checked against the
 * normalized message schema; every problem is reported with its field.
 */
function validate(raw: unknown): { ok: true; msg: NormalizedMessage } | { ok: false; errors: FieldError[] } {
  const clean = storableJson(raw);
  if (!clean.ok) {
    const field = fieldName({ path: clean.path, problem: "depth" }, "message");
    return { ok: false, errors: [{ field, message: UNSTORABLE_MESSAGES.depth }] };
  }
  const parsed = normalizedMessageSchema.safeParse(clean.value);
  if (parsed.success) return { ok: true, msg: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): FieldError[] => {
    const where = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ field: [...where, k].join("."), message: "is not a field of the normalized message" }));
    }
    return [{ field: where.join(".") || "message", message: issue.message }];
  });
  return { ok: false, errors };
}

const reasonOf = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`).join("; ");

export async function ingestBatch(
  db: Db,
  workspaceId: string,
  items: unknown[],
  options: IngestOptions = {},
): Promise<{ outcomes: IngestOutcome[]; events: MessageEvent[] }> {
  const outcomes: IngestOutcome[] = new Array(items.length);
  const channel = options.channel ?? null;
  const wanted = options.accepts ?? (() => true);

  // normalize + filter by the channel's listening queries
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  items.forEach((raw, index) => {
    const v = validate(raw);
    if (!v.ok) {
      const externalId = (raw as { external_id?: unknown })?.external_id;
      outcomes[index] = {
        status: "rejected",
        reason: reasonOf(v.errors),
        errors: v.errors,
        external_id: typeof externalId === "string" ? storableString(externalId) : undefined,
      };
      return;
    }
    const msg = v.msg;
    const text = msg.text || (msg.html ? htmlToText(msg.html) : "");
    if (!wanted({ text: `${msg.subject ?? ""} ${text}`, authorHandle: msg.author.handle, language: msg.language })) {
      outcomes[index] = { status: "filtered", external_id: msg.external_id, reason: "matches none of the channel's listening queries" };
      return;
    }
    const k = key(msg.network, msg.external_id);
    if (seen.has(k)) {
      outcomes[index] = { status: "duplicate", external_id: msg.external_id };
      return;
    }
    seen.add(k);
    const hash = msg.in_reply_to || msg.repost_of ? null : contentHash(text);
    candidates.push({ index, msg, text, hash });
  });
  candidates.sort((a, b) => a.msg.created_at.localeCompare(b.msg.created_at) || a.index - b.index);

  const events: MessageEvent[] = [];
  if (candidates.length > 0) {
    await db.transaction().execute(async (tx) => {
      const stored = await persist(tx, workspaceId, channel, candidates, outcomes);
      events.push(...stored);
      // subscribers (rules, case timers) run in this same transaction (src/events)
      if (stored.length > 0) await publish(tx, workspaceId, { type: "message.stored", messages: stored });
      if (channel) await store.addChannelItems(tx, workspaceId, channel.id, stored.length);
    });
  }
  return { outcomes, events };
}

async function persist(
  tx: DbOrTx,
  workspaceId: string,
  channel: ChannelRow | null,
  candidates: Candidate[],
  outcomes: IngestOutcome[],
): Promise<MessageEvent[]> {
  const own = await store.listOwnAccounts(tx, workspaceId);
  const products = await store.productNames(tx, workspaceId);
  const ownHandles = new Set(own.map((a) => key(a.network, a.handle.toLowerCase().replace(/^@/, ""))));
  const byNetwork = new Map<string, Candidate[]>();
  for (const c of candidates) byNetwork.set(c.msg.network, [...(byNetwork.get(c.msg.network) ?? []), c]);

  const events: MessageEvent[] = [];
  for (const [network, group] of byNetwork) {
    // dedupe against what is stored (messages and collapsed aliases)
    const existing = await store.existingExternalIds(
      tx,
      workspaceId,
      network,
      group.map((c) => c.msg.external_id),
    );
    const fresh = group.filter((c) => {
      if (!existing.has(c.msg.external_id)) return true;
      outcomes[c.index] = { status: "duplicate", external_id: c.msg.external_id };
      return false;
    });

    // references: parents, reposted originals, copies
    const refIds = new Set<string>();
    for (const c of fresh) {
      for (const r of [c.msg.in_reply_to, c.msg.quote_of, c.msg.repost_of, ...(c.msg.references ?? [])]) if (r) refIds.add(r);
    }
    const known = new Map<string, { id: string; conversation_id: string }>();
    for (const m of await store.messagesByExternalId(tx, workspaceId, network, [...refIds])) known.set(m.external_id, m);
    const hashes = [...new Set(fresh.map((c) => c.hash).filter((h): h is string => Boolean(h)))];
    const byHash = new Map<string, string>();
    for (const m of await store.messagesByContentHash(tx, workspaceId, network, hashes)) {
      if (m.content_hash && !byHash.has(m.content_hash)) byHash.set(m.content_hash, m.id);
    }

    const counts = new Map<string, { reposts: number; copies: number }>();
    const aliases: Array<{ workspace_id: string; network: string; external_id: string; message_id: string; kind: "repost" | "copy" }> = [];
    const bump = (id: string, field: "reposts" | "copies") => {
      const c = counts.get(id) ?? { reposts: 0, copies: 0 };
      c[field]++;
      counts.set(id, c);
    };

    const toStore: Candidate[] = [];
    for (const c of fresh) {
      const original = c.msg.repost_of ? known.get(c.msg.repost_of) : undefined;
      if (original) {
        bump(original.id, "reposts");
        aliases.push({ workspace_id: workspaceId, network, external_id: c.msg.external_id, message_id: original.id, kind: "repost" });
        outcomes[c.index] = {
          status: "collapsed",
          external_id: c.msg.external_id,
          message_id: original.id,
          conversation_id: original.conversation_id,
          reason: "repost",
        };
        continue;
      }
      const copyOf = c.hash ? byHash.get(c.hash) : undefined;
      if (copyOf) {
        bump(copyOf, "copies");
        aliases.push({ workspace_id: workspaceId, network, external_id: c.msg.external_id, message_id: copyOf, kind: "copy" });
        outcomes[c.index] = { status: "collapsed", external_id: c.msg.external_id, message_id: copyOf, reason: "near-identical copy" };
        continue;
      }
      const id = newId();
      if (c.hash) byHash.set(c.hash, id);
      toStore.push(c);
      outcomes[c.index] = { status: "stored", external_id: c.msg.external_id, message_id: id };
    }

    // authors → profiles
    const profileInputs = new Map<string, store.ProfileUpsert>();
    for (const c of toStore) {
      const a = c.msg.author;
      // Several posts by one author in a batch: what any of them tells about the author is kept.
      const prev = profileInputs.get(a.id);
      profileInputs.set(a.id, {
        id: prev?.id ?? newId(),
        network,
        network_id: a.id,
        handle: a.handle ?? prev?.handle ?? null,
        display_name: a.display_name ?? prev?.display_name ?? null,
        profile_url: a.profile_url ?? prev?.profile_url ?? null,
        followers: a.followers ?? prev?.followers ?? null,
        bio: a.bio ?? prev?.bio ?? null,
        verified: (a.verified ?? false) || (prev?.verified ?? false),
        messages: (prev?.messages ?? 0) + 1,
        seen_at: prev && prev.seen_at > new Date(c.msg.created_at) ? prev.seen_at : new Date(c.msg.created_at),
      });
    }
    const profileIds = await store.upsertProfiles(tx, workspaceId, [...profileInputs.values()]);
    // new authors: linked to a contact on strong evidence, suggested on weaker (src/identity/resolve.ts)
    await resolveProfiles(
      tx,
      workspaceId,
      [...profileInputs.values()].filter((p) => profileIds.get(key(network, p.network_id)) === p.id),
    );

    // threading: a reply joins its parent's conversation; otherwise it starts one
    const conversationOf = new Map<string, string>();
    const newConversations: Parameters<typeof store.insertConversations>[1] = [];
    const touched = new Set<string>();
    const reopen = new Set<string>();
    const rows: Insertable<MessageTable>[] = [];
    for (const c of toStore) {
      const m = c.msg;
      const id = outcomes[c.index]?.message_id as string;
      const parents = [m.in_reply_to, m.quote_of, ...[...(m.references ?? [])].reverse()].filter((p): p is string => Boolean(p));
      let conversationId: string | undefined;
      for (const p of parents) {
        conversationId = conversationOf.get(p) ?? known.get(p)?.conversation_id;
        if (conversationId) break;
      }
      if (!conversationId) {
        conversationId = newId();
        newConversations.push({
          workspace_id: workspaceId,
          id: conversationId,
          channel_id: channel?.id ?? null,
          network,
          subject: m.subject ?? null,
          root_message_id: id,
          at: new Date(m.created_at),
        });
      }
      conversationOf.set(m.external_id, conversationId);
      touched.add(conversationId);
      const handle = (m.author.handle ?? "").toLowerCase().replace(/^@/, "");
      const direction =
        m.direction ??
        (ownHandles.has(key(network, handle)) || ownHandles.has(key(network, m.author.id.toLowerCase())) ? "outbound" : "inbound");
      if (direction === "inbound") reopen.add(conversationId);
      const outcome = outcomes[c.index] as IngestOutcome;
      outcome.conversation_id = conversationId;
      rows.push({
        workspace_id: workspaceId,
        id,
        channel_id: channel?.id ?? null,
        network,
        external_id: m.external_id,
        url: m.url ?? null,
        conversation_id: conversationId,
        profile_id: profileIds.get(key(network, m.author.id)) ?? null,
        author_handle: m.author.handle ?? null,
        author_name: m.author.display_name ?? m.author.handle ?? null,
        text: c.text,
        html: m.html ? sanitizePostHtml(m.html) : null,
        subject: m.subject ?? null,
        posted_at: new Date(m.created_at),
        in_reply_to: m.in_reply_to ?? null,
        quote_of: m.quote_of ?? null,
        thread_refs: m.references ?? [],
        is_public: m.public,
        direction,
        content_hash: c.hash,
        raw: m.raw === undefined ? null : JSON.stringify(m.raw),
        ...analysisColumns(
          `${m.subject ? `${m.subject}\n` : ""}${c.text}`,
          { followers: m.author.followers ?? undefined, products },
          m.language,
        ),
      });
      events.push({
        type: "message.created",
        workspace_id: workspaceId,
        message_id: id,
        conversation_id: conversationId,
        network,
        direction,
        posted_at: m.created_at,
      });
    }

    await store.insertConversations(tx, newConversations);
    await store.insertMessages(tx, rows);
    await store.insertAliases(tx, aliases);
    await store.bumpCounts(tx, workspaceId, counts);

    // a late parent: children stored earlier started conversations of their own; fold them in
    const orphans = await store.orphanConversations(
      tx,
      workspaceId,
      network,
      toStore.map((c) => c.msg.external_id),
    );
    for (const o of orphans) {
      const target = conversationOf.get(o.parent);
      if (target && target !== o.conversation_id) {
        await store.moveConversation(tx, workspaceId, o.conversation_id, target);
        touched.delete(o.conversation_id);
        touched.add(target);
        for (const e of events) if (e.conversation_id === o.conversation_id) e.conversation_id = target;
      }
    }
    await store.refreshConversations(tx, workspaceId, [...touched], reopen);
  }
  return events;
}

/** In-process fan-out of pipeline events (the SSE stream subscribes per workspace). */
export class Notifier {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(events: MessageEvent[]) {
    for (const e of events) this.emitter.emit(e.workspace_id, e);
  }
  subscribe(workspaceId: string, listener: (e: MessageEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }
}

type Pending = {
  workspaceId: string;
  options: IngestOptions;
  items: unknown[];
  resolve: (o: IngestOutcome[]) => void;
  reject: (e: unknown) => void;
};

/**
 * The ingest queue: callers submit items and get their outcomes once the batch
 * holding them has committed (that is the acknowledgement). Submissions for the
 * same workspace and channel are merged into batches; a full queue makes
 * submitters wait (backpressure) instead of growing without bound.
 */
export class Ingestor {
  private queue: Pending[] = [];
  private queued = 0;
  private running = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly limits = { maxBatch: 1000, maxQueued: 20_000 },
  ) {}

  async submit(workspaceId: string, items: unknown[], options: IngestOptions = {}): Promise<IngestOutcome[]> {
    while (this.queued > 0 && this.queued + items.length > this.limits.maxQueued) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const done = new Promise<IngestOutcome[]>((resolve, reject) => {
      this.queue.push({ workspaceId, options, items, resolve, reject });
    });
    this.queued += items.length;
    void this.drain();
    return done;
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0] as Pending;
        const group: Pending[] = [];
        let size = 0;
        for (const p of this.queue) {
          if (p.workspaceId !== head.workspaceId || p.options.channel?.id !== head.options.channel?.id) continue;
          if (group.length > 0 && size + p.items.length > this.limits.maxBatch) break;
          group.push(p);
          size += p.items.length;
        }
        this.queue = this.queue.filter((p) => !group.includes(p));
        try {
          const { outcomes, events } = await ingestBatch(
            this.db,
            head.workspaceId,
            group.flatMap((p) => p.items),
            head.options,
          );
          let offset = 0;
          for (const p of group) {
            p.resolve(outcomes.slice(offset, offset + p.items.length));
            offset += p.items.length;
          }
          this.notifier.publish(events);
        } catch (err) {
          for (const p of group) p.reject(err);
        }
        this.queued -= size;
        const waiting = this.waiters;
        this.waiters = [];
        for (const w of waiting) w();
      }
    } finally {
      this.running = false;
    }
  }
}

export function summarize(outcomes: IngestOutcome[]) {
  const count = (s: IngestStatus) => outcomes.filter((o) => o.status === s).length;
  return {
    received: outcomes.length,
    stored: count("stored"),
    duplicates: count("duplicate"),
    collapsed: count("collapsed"),
    filtered: count("filtered"),
    rejected: outcomes.flatMap((o, index) =>
      o.status === "rejected" ? [{ index, external_id: o.external_id ?? null, reason: o.reason ?? "", errors: o.errors ?? [] }] : [],
    ),
  };
}

/**
 * The answer to a sender (batch API, webhook): the summary with every outcome, or,
 * when every message was rejected, an `unprocessable` error (422) naming each
 * message's fields, so that a sender never takes a delivery that stored nothing
 * for a success.
 */
export function acknowledge(outcomes: IngestOutcome[]) {
  if (outcomes.length > 0 && outcomes.every((o) => o.status === "rejected")) {
    const details = outcomes.flatMap((o, index) =>
      (o.errors?.length ? o.errors : [{ field: "message", message: o.reason ?? "is invalid" }]).map((e) => ({
        field: `messages.${index}${e.field === "message" ? "" : `.${e.field}`}`,
        message: e.message,
      })),
    );
    const n = outcomes.length;
    throw new AppError("unprocessable", `${n === 1 ? "The message was" : `All ${n} messages were`} rejected; nothing was stored`, details);
  }
  return { ...summarize(outcomes), results: outcomes };
}
