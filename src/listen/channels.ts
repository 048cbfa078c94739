// Channels, own accounts and the brand dictionary as the API manages them, and
// the batch API's hand-off of received messages to ingest/.
import { z } from "zod";
import { type Actor, requirePermission } from "../accounts";
import { acknowledge, type Ingestor } from "../ingest";
import { AppError, invalid } from "../shared/errors";
import { newId, newSecret } from "../shared/ids";
import { decryptSecret, encryptSecret } from "../shared/secrets";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import * as store from "../store/listening";
import { type ChannelRow, NETWORKS } from "../store/schema";
import { connectorFor } from "./connectors";
import { ingestOptions } from "./ingest-options";
import { parseQuery, QuerySyntaxError } from "./query";

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

export async function ingestMessages(db: Db, ingestor: Ingestor, actor: Actor, input: { channel_id?: string; messages: unknown[] }) {
  requirePermission(actor, "crm:write");
  const channel = input.channel_id ? await store.findChannel(db, actor.workspaceId, input.channel_id) : null;
  if (input.channel_id && !channel) throw invalid("channel_id", "is not a channel of this workspace");
  const outcomes = await ingestor.submit(actor.workspaceId, input.messages, await ingestOptions(db, actor.workspaceId, channel));
  return acknowledge(outcomes);
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
export type ChannelInput = z.output<typeof channelInputSchema>;
export type ChannelPatch = z.output<typeof channelPatchSchema>;

export async function listChannels(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  return { data: (await store.listChannels(db, actor.workspaceId)).map(presentChannel) };
}

export async function getChannel(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const row = await store.findChannelOrThrow(db, actor.workspaceId, id);
  return presentChannel(row);
}

export async function createChannel(db: Db, actor: Actor, input: ChannelInput) {
  requirePermission(actor, "channels:manage");
  checkQueries(input.queries ?? []);
  // A polled network's config is checked now, not at the first poll.
  connectorFor(input.network, input.config)?.validateConfig(input.config ?? {});
  const id = newId();
  const webhookSecret = input.network === "webhook" ? newSecret("whsec") : null;
  await onDuplicate(
    store.insertChannel(db, {
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
    }),
    "name",
    "a channel with this name already exists",
  );
  // The webhook secret is shown once, like an API key.
  return { ...(await getChannel(db, actor, id)), ...(webhookSecret ? { webhook_secret: webhookSecret } : {}) };
}

export async function updateChannel(db: Db, actor: Actor, id: string, input: ChannelPatch) {
  requirePermission(actor, "channels:manage");
  if (input.queries) checkQueries(input.queries);
  const current = await store.findChannelOrThrow(db, actor.workspaceId, id);
  if (input.config !== undefined) connectorFor(current.network, input.config)?.validateConfig(input.config);
  await onDuplicate(
    store.updateChannel(db, actor.workspaceId, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.config !== undefined ? { config: JSON.stringify(input.config) } : {}),
      ...(input.credentials !== undefined ? { credentials: encryptSecret(JSON.stringify(input.credentials)) } : {}),
      ...(input.queries !== undefined ? { queries: input.queries } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    }),
    "name",
    "a channel with this name already exists",
  );
  return getChannel(db, actor, id);
}

export async function deleteChannel(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  await store.deleteChannelOrThrow(db, actor.workspaceId, id);
}

export function channelCredentials(row: ChannelRow): Record<string, string> {
  return row.credentials ? (JSON.parse(decryptSecret(row.credentials)) as Record<string, string>) : {};
}

// ---------- Own accounts and dictionaries

export async function listOwnAccounts(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.listOwnAccounts(db, actor.workspaceId);
  return { data: rows.map((r) => ({ id: r.id, network: r.network, handle: r.handle, created_at: r.created_at })) };
}

export const ownAccountSchema = z.object({ network: z.enum(NETWORKS), handle: z.string().trim().min(1).max(300) }).strict();
export type OwnAccountInput = z.output<typeof ownAccountSchema>;

export async function addOwnAccount(db: Db, actor: Actor, input: OwnAccountInput) {
  requirePermission(actor, "channels:manage");
  const account = { id: newId(), network: input.network, handle: input.handle.replace(/^@/, "") };
  await onDuplicate(
    store.insertOwnAccount(db, { workspace_id: actor.workspaceId, ...account }),
    "handle",
    "this account is already listed",
  );
  return account;
}

export async function removeOwnAccount(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  await store.deleteOwnAccountOrThrow(db, actor.workspaceId, id);
}

export const dictionaryTermSchema = z
  .object({
    kind: z.enum(["brand", "product"]),
    name: z.string().trim().min(1).max(200),
    aliases: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  })
  .strict();
export type DictionaryTermInput = z.output<typeof dictionaryTermSchema>;

export async function listDictionary(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.listDictionary(db, actor.workspaceId);
  return { data: rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, aliases: r.aliases, created_at: r.created_at })) };
}

export async function addDictionaryTerm(db: Db, actor: Actor, input: DictionaryTermInput) {
  requirePermission(actor, "channels:manage");
  const term = { id: newId(), kind: input.kind, name: input.name, aliases: input.aliases ?? [] };
  await onDuplicate(
    store.insertDictionaryTerm(db, { workspace_id: actor.workspaceId, ...term }),
    "name",
    "this term is already in the dictionary",
  );
  return term;
}

export async function removeDictionaryTerm(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "channels:manage");
  await store.deleteDictionaryTermOrThrow(db, actor.workspaceId, id);
}
