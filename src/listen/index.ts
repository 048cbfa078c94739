// Listening: channels that hear customers, the ingest pipeline that turns each
// post into a stored, threaded message, and the reading side (inbox,
// conversations, message search). Connectors live in ./connectors.
import { z } from "zod";
import { type Actor, requirePermission, uniqueViolation } from "../accounts";
import { type Changes, publish } from "../events";
import { AppError, invalid, notFound } from "../shared/errors";
import { newId, newSecret } from "../shared/ids";
import { decryptSecret, encryptSecret } from "../shared/secrets";
import { parseWith } from "../shared/validation";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/listening";
import { type ChannelRow, CONVERSATION_STATUSES, type ConversationRow, type MessageRow, NETWORKS, type ProfileRow } from "../store/schema";
import { INTENTS, SENTIMENTS } from "../understand";
import { connectorFor } from "./connectors";
import { acknowledge, type IngestOptions, type Ingestor } from "../ingest";
import { compileQueries, type Dictionary, parseQuery, QuerySyntaxError } from "./query";

export { compileQueries, parseQuery, QuerySyntaxError } from "./query";

// ---------- Presenters

export function presentChannel(row: ChannelRow) {
  return {
    id: row.id,
    name: row.name,
    network: row.network,
    config: row.config,
    queries: row.queries,
    enabled: row.enabled,
    has_credentials: Boolean(row.credentials),
    status: row.status,
    last_poll_at: row.last_poll_at,
    last_error: row.last_error,
    items_total: Number(row.items_total),
    webhook_url: row.network === "webhook" ? `/hooks/${row.id}` : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function presentMessage(row: MessageRow) {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    channel_id: row.channel_id,
    network: row.network,
    external_id: row.external_id,
    url: row.url,
    profile_id: row.profile_id,
    author: { handle: row.author_handle, name: row.author_name },
    text: row.text,
    html: row.html,
    subject: row.subject,
    language: row.language,
    posted_at: row.posted_at,
    received_at: row.received_at,
    in_reply_to: row.in_reply_to,
    quote_of: row.quote_of,
    public: row.is_public,
    direction: row.direction,
    repost_count: row.repost_count,
    duplicate_count: row.duplicate_count,
    analysis: row.analyzed_at
      ? {
          sentiment: { label: row.sentiment, score: row.sentiment_score },
          intents: row.intents,
          labels: row.labels,
          priority: row.priority,
          reasons: row.reasons,
          topics: row.topics,
          products: row.products,
          model_version: row.model_version,
          analyzed_at: row.analyzed_at,
        }
      : null,
  };
}

export function presentProfile(row: ProfileRow) {
  return {
    id: row.id,
    network: row.network,
    network_id: row.network_id,
    handle: row.handle,
    display_name: row.display_name,
    profile_url: row.profile_url,
    followers: row.followers,
    bio: row.bio,
    verified: row.verified,
    contact_id: row.contact_id,
    first_seen_at: row.first_seen_at,
    last_seen_at: row.last_seen_at,
  };
}

export function presentConversation(row: ConversationRow | store.ConversationListRow) {
  return {
    id: row.id,
    channel_id: row.channel_id,
    network: row.network,
    subject: row.subject,
    status: row.status,
    assignee_id: row.assignee_id,
    team_id: row.team_id,
    priority: row.priority,
    message_count: row.message_count,
    first_message_at: row.first_message_at,
    last_message_at: row.last_message_at,
    last_inbound_at: row.last_inbound_at,
    ...("snippet" in row
      ? { snippet: row.snippet, author: { name: row.author_name, handle: row.author_handle, profile_id: row.profile_id } }
      : {}),
  };
}

// ---------- Ingest

export const batchSchema = z
  .object({
    channel_id: z.uuid().optional(),
    messages: z.array(z.unknown()).min(1).max(1000),
  })
  .strict();

const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });

/** The answer to a batch or webhook delivery that stored at least one message (OpenAPI). */
export const ingestSummarySchema = z.object({
  received: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  collapsed: z.number().int(),
  filtered: z.number().int(),
  rejected: z
    .array(
      z.object({
        index: z.number().int().describe("Position of the message in the delivery"),
        external_id: z.string().nullable(),
        reason: z.string().describe("All the problems, in one line"),
        errors: z.array(fieldErrorSchema).describe("The problems field by field"),
      }),
    )
    .describe("Messages refused; the others were processed. When every message is refused the answer is 422 instead"),
  results: z.array(
    z.object({
      status: z.enum(["stored", "duplicate", "collapsed", "filtered", "rejected"]),
      external_id: z.string().optional(),
      message_id: z.string().optional(),
      conversation_id: z.string().optional(),
      reason: z.string().optional(),
      errors: z.array(fieldErrorSchema).optional(),
    }),
  ),
});

/** OpenAPI descriptions of the two answers to a delivery (batch API and webhook). */
export const INGEST_ANSWERS = {
  accepted: "At least one message was accepted; `rejected` lists the others with their index and reasons",
  allRejected: "Every message was rejected and nothing was stored; `details` name each message's fields (`messages.<index>.<field>`)",
};

export async function loadDictionary(db: DbOrTx, workspaceId: string): Promise<Dictionary> {
  const terms = await store.listDictionary(db, workspaceId);
  return new Map(terms.map((t) => [t.name.toLowerCase(), [t.name.toLowerCase(), ...t.aliases.map((a) => a.toLowerCase())]]));
}

/** What the pipeline needs of a channel: the channel, and its listening queries compiled with the workspace's dictionary. */
export async function ingestOptions(db: DbOrTx, workspaceId: string, channel: ChannelRow | null): Promise<IngestOptions> {
  const queries = channel?.queries ?? [];
  return { channel, accepts: compileQueries(queries, queries.length > 0 ? await loadDictionary(db, workspaceId) : undefined) };
}

export async function ingestMessages(db: Db, ingestor: Ingestor, actor: Actor, input: { channel_id?: string; messages: unknown[] }) {
  requirePermission(actor, "crm:write");
  const channel = input.channel_id ? await store.findChannel(db, actor.workspaceId, input.channel_id) : null;
  if (input.channel_id && !channel) throw invalid("channel_id", "is not a channel of this workspace");
  const outcomes = await ingestor.submit(actor.workspaceId, input.messages, await ingestOptions(db, actor.workspaceId, channel));
  return acknowledge(outcomes);
}

// ---------- Reading

const cursorOf = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
function decodeTimeCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // below
  }
  throw invalid("cursor", "is not a cursor of this list");
}

/** One page of a newest-first list fetched with limit + 1 rows: the extra row says whether more follow. */
function timePage<Row, Out>(rows: Row[], limit: number, present: (row: Row) => Out, cursorAfter: (row: Row) => string) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(present), next_cursor: rows.length > limit && last ? cursorAfter(last) : null };
}

export const conversationListSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  label: z.enum(INTENTS).optional().describe("Conversations with a message labelled so (complaint, question, …)"),
  network: z.enum(NETWORKS).optional(),
  channel_id: z.uuid().optional(),
  q: z.string().max(500).optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  until: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export async function listConversations(db: DbOrTx, actor: Actor, params: z.infer<typeof conversationListSchema>) {
  requirePermission(actor, "crm:read");
  const limit = params.limit ?? 50;
  const rows = await store.listConversations(db, {
    workspaceId: actor.workspaceId,
    status: params.status,
    network: params.network,
    channelId: params.channel_id,
    label: params.label,
    q: params.q,
    since: params.since,
    until: params.until,
    after: decodeTimeCursor(params.cursor),
    limit: limit + 1,
  });
  return timePage(rows, limit, presentConversation, (r) => cursorOf(r.last_message_at, r.id));
}

export async function getConversation(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const conversation = await store.findConversation(db, actor.workspaceId, id);
  if (!conversation) throw notFound("Conversation");
  const messages = await store.messagesOfConversation(db, actor.workspaceId, id);
  const profileIds = [...new Set(messages.map((m) => m.profile_id).filter((p): p is string => Boolean(p)))];
  const profiles = await store.profilesByIds(db, actor.workspaceId, profileIds);
  return { ...presentConversation(conversation), messages: messages.map(presentMessage), profiles: profiles.map(presentProfile) };
}

export const conversationPatchSchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assignee_id: z.uuid().nullable().optional(),
    team_id: z.uuid().nullable().optional(),
  })
  .strict();

export async function updateConversation(db: Db, actor: Actor, id: string, raw: unknown) {
  requirePermission(actor, "crm:write");
  const patch = parseWith(conversationPatchSchema, raw);
  if (!(await store.findConversation(db, actor.workspaceId, id))) throw notFound("Conversation");
  if (patch.assignee_id) {
    const member = await db
      .selectFrom("memberships")
      .select("user_id")
      .where("workspace_id", "=", actor.workspaceId)
      .where("user_id", "=", patch.assignee_id)
      .executeTakeFirst();
    if (!member) throw invalid("assignee_id", "is not a user of this workspace");
  }
  if (patch.team_id) {
    const team = await db
      .selectFrom("teams")
      .select("id")
      .where("workspace_id", "=", actor.workspaceId)
      .where("id", "=", patch.team_id)
      .executeTakeFirst();
    if (!team) throw invalid("team_id", "is not a team of this workspace");
  }
  await db.transaction().execute(async (tx) => {
    const before = await store.findConversation(tx, actor.workspaceId, id);
    await store.updateConversation(tx, actor.workspaceId, id, patch);
    const after = await store.findConversation(tx, actor.workspaceId, id);
    const changes: Changes = {};
    for (const k of ["status", "assignee_id", "team_id"] as const) if (before && after && before[k] !== after[k]) changes[k] = [before[k], after[k]];
    // in the update's transaction: a status change and the rules it fires commit together
    if (Object.keys(changes).length > 0) await publish(tx, actor.workspaceId, { type: "conversation.changed", conversationId: id, changes });
  });
  return getConversation(db, actor, id);
}

export const messageSearchSchema = z.object({
  query: z.string().max(500).optional(),
  label: z.enum(INTENTS).optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
  language: z.string().max(20).optional(),
  min_priority: z.coerce.number().int().min(0).max(100).optional(),
  network: z.enum(NETWORKS).optional(),
  channel_id: z.uuid().optional(),
  conversation_id: z.uuid().optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export async function searchMessages(db: DbOrTx, actor: Actor, params: z.infer<typeof messageSearchSchema>) {
  requirePermission(actor, "crm:read");
  const limit = params.limit ?? 50;
  const rows = await store.searchMessages(db, {
    workspaceId: actor.workspaceId,
    query: params.query,
    network: params.network,
    channelId: params.channel_id,
    conversationId: params.conversation_id,
    label: params.label,
    sentiment: params.sentiment,
    language: params.language,
    minPriority: params.min_priority,
    after: decodeTimeCursor(params.cursor),
    limit: limit + 1,
  });
  return timePage(rows, limit, presentMessage, (r) => cursorOf(r.posted_at, r.id));
}

// ---------- Channels

function checkQueries(queries: string[]) {
  queries.forEach((q, i) => {
    try {
      parseQuery(q);
    } catch (err) {
      if (err instanceof QuerySyntaxError) {
        throw new AppError("validation_error", `queries.${i}: ${err.message}`, [
          { field: `queries.${i}`, message: `${err.reason} (position ${err.position + 1})` },
        ]);
      }
      throw err;
    }
  });
}

export const channelInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    network: z.enum(NETWORKS),
    config: z.record(z.string(), z.unknown()).optional(),
    credentials: z.record(z.string(), z.string().max(5000)).optional().describe("Stored encrypted; never returned"),
    queries: z.array(z.string().max(1000)).max(50).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export const channelPatchSchema = channelInputSchema.omit({ network: true }).partial().strict();

export async function listChannels(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  return { data: (await store.listChannels(db, actor.workspaceId)).map(presentChannel) };
}

export async function getChannel(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const row = await store.findChannel(db, actor.workspaceId, id);
  if (!row) throw notFound("Channel");
  return presentChannel(row);
}

export async function createChannel(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "channels:manage");
  const input = parseWith(channelInputSchema, raw);
  checkQueries(input.queries ?? []);
  // A polled network's config is checked now, not at the first poll.
  connectorFor(input.network)?.validateConfig(input.config ?? {});
  const id = newId();
  const webhookSecret = input.network === "webhook" ? newSecret("whsec") : null;
  try {
    await store.insertChannel(db, {
      workspace_id: actor.workspaceId,
      id,
      name: input.name,
      network: input.network,
      config: JSON.stringify(input.config ?? {}),
      credentials: input.credentials ? encryptSecret(JSON.stringify(input.credentials)) : null,
      webhook_secret: webhookSecret ? encryptSecret(webhookSecret) : null,
      queries: input.queries ?? [],
      enabled: input.enabled ?? true,
      state: JSON.stringify({}),
    });
  } catch (err) {
    throw uniqueViolation(err, "name", "a channel with this name already exists");
  }
  // The webhook secret is shown once, like an API key.
  return { ...(await getChannel(db, actor, id)), ...(webhookSecret ? { webhook_secret: webhookSecret } : {}) };
}

export async function updateChannel(db: Db, actor: Actor, id: string, raw: unknown) {
  requirePermission(actor, "channels:manage");
  const input = parseWith(channelPatchSchema, raw);
  if (input.queries) checkQueries(input.queries);
  const current = await store.findChannel(db, actor.workspaceId, id);
  if (!current) throw notFound("Channel");
  if (input.config !== undefined) connectorFor(current.network)?.validateConfig(input.config);
  try {
    await store.updateChannel(db, actor.workspaceId, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.config !== undefined ? { config: JSON.stringify(input.config) } : {}),
      ...(input.credentials !== undefined ? { credentials: encryptSecret(JSON.stringify(input.credentials)) } : {}),
      ...(input.queries !== undefined ? { queries: input.queries } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    });
  } catch (err) {
    throw uniqueViolation(err, "name", "a channel with this name already exists");
  }
  return getChannel(db, actor, id);
}

export async function deleteChannel(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  if ((await store.deleteChannel(db, actor.workspaceId, id)) === 0) throw notFound("Channel");
}

export function channelCredentials(row: ChannelRow): Record<string, string> {
  return row.credentials ? (JSON.parse(decryptSecret(row.credentials)) as Record<string, string>) : {};
}

export function channelWebhookSecret(row: ChannelRow): string | null {
  return row.webhook_secret ? decryptSecret(row.webhook_secret) : null;
}

// ---------- Own accounts and dictionaries

export async function listOwnAccounts(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.listOwnAccounts(db, actor.workspaceId);
  return { data: rows.map((r) => ({ id: r.id, network: r.network, handle: r.handle, created_at: r.created_at })) };
}

export const ownAccountSchema = z.object({ network: z.enum(NETWORKS), handle: z.string().trim().min(1).max(300) }).strict();

export async function addOwnAccount(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "channels:manage");
  const input = parseWith(ownAccountSchema, raw);
  const id = newId();
  try {
    await store.insertOwnAccount(db, {
      workspace_id: actor.workspaceId,
      id,
      network: input.network,
      handle: input.handle.replace(/^@/, ""),
    });
  } catch (err) {
    throw uniqueViolation(err, "handle", "this account is already listed");
  }
  return { id, network: input.network, handle: input.handle.replace(/^@/, "") };
}

export async function removeOwnAccount(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  if ((await store.deleteOwnAccount(db, actor.workspaceId, id)) === 0) throw notFound("Own account");
}

export const dictionaryTermSchema = z
  .object({
    kind: z.enum(["brand", "product"]),
    name: z.string().trim().min(1).max(200),
    aliases: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  })
  .strict();

export async function listDictionary(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.listDictionary(db, actor.workspaceId);
  return { data: rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, aliases: r.aliases, created_at: r.created_at })) };
}

export async function addDictionaryTerm(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "channels:manage");
  const input = parseWith(dictionaryTermSchema, raw);
  const id = newId();
  try {
    await store.insertDictionaryTerm(db, {
      workspace_id: actor.workspaceId,
      id,
      kind: input.kind,
      name: input.name,
      aliases: input.aliases ?? [],
    });
  } catch (err) {
    throw uniqueViolation(err, "name", "this term is already in the dictionary");
  }
  return { id, kind: input.kind, name: input.name, aliases: input.aliases ?? [] };
}

export async function removeDictionaryTerm(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  if ((await store.deleteDictionaryTerm(db, actor.workspaceId, id)) === 0) throw notFound("Dictionary term");
}

// ---------- Corrections: agents fix a label; the old and new values are kept as training data

export const correctionSchema = z
  .object({
    sentiment: z.enum(SENTIMENTS).optional(),
    labels: z.array(z.enum(INTENTS)).max(7).optional(),
    language: z.string().trim().min(2).max(20).optional(),
  })
  .strict()
  .refine((v) => v.sentiment !== undefined || v.labels !== undefined || v.language !== undefined, {
    message: "give sentiment, labels or language",
  });

export async function correctMessage(db: Db, actor: Actor, messageId: string, raw: unknown) {
  requirePermission(actor, "crm:write");
  const input = parseWith(correctionSchema, raw);
  return db.transaction().execute(async (tx) => {
    const message = await store.findMessage(tx, actor.workspaceId, messageId);
    if (!message) throw notFound("Message");
    const changes: Array<{ field: "sentiment" | "labels" | "language"; old: unknown; next: unknown }> = [];
    if (input.sentiment !== undefined && input.sentiment !== message.sentiment)
      changes.push({ field: "sentiment", old: message.sentiment, next: input.sentiment });
    if (input.labels !== undefined) {
      const next = [...new Set(input.labels)].sort();
      if (JSON.stringify(next) !== JSON.stringify([...message.labels].sort())) changes.push({ field: "labels", old: message.labels, next });
    }
    if (input.language !== undefined && input.language !== message.language)
      changes.push({ field: "language", old: message.language, next: input.language });
    for (const c of changes) {
      await store.insertCorrection(tx, {
        workspace_id: actor.workspaceId,
        id: newId(),
        message_id: messageId,
        field: c.field,
        old_value: JSON.stringify(c.old ?? null),
        new_value: JSON.stringify(c.next),
        user_id: actor.userId,
      });
    }
    await store.applyCorrection(tx, actor.workspaceId, messageId, {
      ...(input.sentiment !== undefined ? { sentiment: input.sentiment } : {}),
      ...(input.labels !== undefined ? { labels: [...new Set(input.labels)] } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
    });
    const row = await store.findMessage(tx, actor.workspaceId, messageId);
    if (!row) throw notFound("Message");
    return { message: presentMessage(row), corrections: changes.length };
  });
}

/** Corrected messages as training examples: the text with the labels agents settled on. */
export async function correctionsAsTrainingData(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.correctedMessages(db, actor.workspaceId);
  return rows.map((r) => ({
    id: r.id,
    text: r.subject ? `${r.subject}\n${r.text}` : r.text,
    network: r.network,
    language: r.language,
    sentiment: r.sentiment,
    labels: r.labels,
    corrected_fields: r.fields,
    corrected_at: r.corrected_at,
  }));
}

export async function listCorrections(db: DbOrTx, actor: Actor, messageId: string) {
  requirePermission(actor, "crm:read");
  if (!(await store.findMessage(db, actor.workspaceId, messageId))) throw notFound("Message");
  const rows = await store.correctionsOf(db, actor.workspaceId, messageId);
  return {
    data: rows.map((r) => ({
      id: r.id,
      field: r.field,
      old_value: r.old_value,
      new_value: r.new_value,
      user_id: r.user_id,
      created_at: r.created_at,
    })),
  };
}
