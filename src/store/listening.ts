import { type Insertable, type Selectable, type SqlBool, sql, type Updateable } from "kysely";
import type { DbOrTx } from "./db";
import { orThrow, touchedOrThrow } from "./errors";
import { deleteById, findById, findByIds, historyOf, pageDescending, updateById, updateStamped, updateWhere } from "./rows";
import type {
  ChannelTable,
  ConversationStatus,
  LabelCorrectionTable,
  MessageAliasTable,
  MessageTable,
  Network,
  ProfileTable,
} from "./schema";
import { matchesSearch } from "./text-search";

// ---------- Ingest lookups and writes (batched: one query per step, never per message)

export async function existingExternalIds(db: DbOrTx, workspaceId: string, network: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await sql<{ external_id: string }>`
    select external_id from messages where workspace_id = ${workspaceId} and network = ${network} and external_id = any(${ids}::text[])
    union all
    select external_id from message_aliases where workspace_id = ${workspaceId} and network = ${network} and external_id = any(${ids}::text[])`.execute(
    db,
  );
  return new Set(rows.rows.map((r) => r.external_id));
}

export async function messagesByExternalId(db: DbOrTx, workspaceId: string, network: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("messages")
    .select(["id", "external_id", "conversation_id"])
    .where("workspace_id", "=", workspaceId)
    .where("network", "=", network)
    .where("external_id", "in", ids)
    .execute();
}

export async function messagesByContentHash(db: DbOrTx, workspaceId: string, network: string, hashes: string[]) {
  if (hashes.length === 0) return [];
  return db
    .selectFrom("messages")
    .select(["id", "content_hash"])
    .where("workspace_id", "=", workspaceId)
    .where("network", "=", network)
    .where("content_hash", "in", hashes)
    .execute();
}

export type ProfileUpsert = Pick<
  Selectable<ProfileTable>,
  "id" | "network" | "network_id" | "handle" | "display_name" | "profile_url" | "followers" | "bio" | "verified"
> & {
  seen_at: Date;
  /** Posts by this author in the batch (added to the profile's message count). */
  messages?: number;
};

/** Creates or refreshes message authors; returns their profile ids by network id. */
export async function upsertProfiles(db: DbOrTx, workspaceId: string, profiles: ProfileUpsert[]) {
  if (profiles.length === 0) return new Map<string, string>();
  const rows = await db
    .insertInto("profiles")
    .values(
      profiles.map((p) => ({
        workspace_id: workspaceId,
        id: p.id,
        network: p.network,
        network_id: p.network_id,
        handle: p.handle,
        display_name: p.display_name,
        profile_url: p.profile_url,
        followers: p.followers,
        bio: p.bio,
        verified: p.verified,
        message_count: p.messages ?? 0,
        first_seen_at: p.seen_at,
        last_seen_at: p.seen_at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["workspace_id", "network", "network_id"]).doUpdateSet({
        handle: sql`coalesce(excluded.handle, profiles.handle)`,
        display_name: sql`coalesce(excluded.display_name, profiles.display_name)`,
        profile_url: sql`coalesce(excluded.profile_url, profiles.profile_url)`,
        followers: sql`coalesce(excluded.followers, profiles.followers)`,
        bio: sql`coalesce(excluded.bio, profiles.bio)`,
        verified: sql`excluded.verified or profiles.verified`,
        message_count: sql`profiles.message_count + excluded.message_count`,
        first_seen_at: sql`least(excluded.first_seen_at, profiles.first_seen_at)`,
        last_seen_at: sql`greatest(excluded.last_seen_at, profiles.last_seen_at)`,
      }),
    )
    .returning(["id", "network", "network_id"])
    .execute();
  return new Map(rows.map((r) => [`${r.network}\u0000${r.network_id}`, r.id]));
}

export async function insertConversations(
  db: DbOrTx,
  rows: Array<{
    workspace_id: string;
    id: string;
    channel_id: string | null;
    network: string;
    subject: string | null;
    root_message_id: string;
    at: Date;
  }>,
) {
  if (rows.length === 0) return;
  await db
    .insertInto("conversations")
    .values(
      rows.map((r) => ({
        workspace_id: r.workspace_id,
        id: r.id,
        channel_id: r.channel_id,
        network: r.network,
        subject: r.subject,
        root_message_id: r.root_message_id,
        first_message_at: r.at,
        last_message_at: r.at,
      })),
    )
    .execute();
}

export async function insertMessages(db: DbOrTx, rows: Insertable<MessageTable>[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("messages")
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function insertAliases(db: DbOrTx, rows: Insertable<MessageAliasTable>[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("message_aliases")
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function bumpCounts(db: DbOrTx, workspaceId: string, counts: Map<string, { reposts: number; copies: number }>) {
  for (const [id, c] of counts) {
    await db
      .updateTable("messages")
      .set({ repost_count: sql`repost_count + ${c.reposts}`, duplicate_count: sql`duplicate_count + ${c.copies}` })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .execute();
  }
}

/** Conversations whose messages reply to (or reference) any of these ids: they were waiting for a late parent. */
export async function orphanConversations(db: DbOrTx, workspaceId: string, network: string, parentIds: string[]) {
  if (parentIds.length === 0) return [];
  // Three indexed lookups rather than one OR that would scan every message.
  const rows = await sql<{ conversation_id: string; parent: string }>`
    select conversation_id, in_reply_to as parent from messages
      where workspace_id = ${workspaceId} and network = ${network} and in_reply_to = any(${parentIds}::text[])
    union
    select conversation_id, quote_of from messages
      where workspace_id = ${workspaceId} and network = ${network} and quote_of = any(${parentIds}::text[])
    union
    select m.conversation_id, r.ref from messages m cross join lateral unnest(m.thread_refs) as r(ref)
      where m.workspace_id = ${workspaceId} and m.network = ${network} and m.thread_refs && ${parentIds}::text[]
        and r.ref = any(${parentIds}::text[])`.execute(db);
  return rows.rows;
}

export async function moveConversation(db: DbOrTx, workspaceId: string, from: string, to: string) {
  await updateWhere(db, "messages", workspaceId, "conversation_id", from, { conversation_id: to });
  await deleteById(db, "conversations", workspaceId, from);
}

/** Recomputes counters and times of conversations from their messages; reopens on new inbound. */
export async function refreshConversations(db: DbOrTx, workspaceId: string, ids: string[], reopen: Set<string>) {
  if (ids.length === 0) return;
  await sql`
    update conversations c set
      message_count = agg.n,
      first_message_at = agg.first_at,
      last_message_at = agg.last_at,
      last_inbound_at = agg.last_inbound,
      priority = agg.priority,
      root_message_id = agg.root_id,
      status = case when c.id = any(${[...reopen]}::uuid[]) and c.status in ('pending', 'closed') then 'open' else c.status end,
      updated_at = now()
    from (
      select conversation_id, count(*)::int as n, min(posted_at) as first_at, max(posted_at) as last_at,
        max(posted_at) filter (where direction = 'inbound') as last_inbound,
        coalesce(max(priority) filter (where direction = 'inbound'), 0) as priority,
        (array_agg(id order by posted_at, id))[1] as root_id
      from messages where workspace_id = ${workspaceId} and conversation_id = any(${ids}::uuid[])
      group by conversation_id
    ) agg
    where c.workspace_id = ${workspaceId} and c.id = agg.conversation_id`.execute(db);
}

export function listOwnAccounts(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("own_accounts").selectAll().where("workspace_id", "=", workspaceId).orderBy("network").orderBy("handle").execute();
}

export async function insertOwnAccount(db: DbOrTx, row: { workspace_id: string; id: string; network: string; handle: string }) {
  await db.insertInto("own_accounts").values(row).execute();
}

export function deleteOwnAccount(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "own_accounts", workspaceId, id);
}

export async function productNames(db: DbOrTx, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("dictionary_terms")
    .select(["name", "aliases"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "product")
    .execute();
  return rows.flatMap((r) => [r.name, ...r.aliases.filter((a) => !a.startsWith("@"))]);
}

export function listDictionary(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("dictionary_terms").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

export async function insertDictionaryTerm(
  db: DbOrTx,
  row: { workspace_id: string; id: string; kind: "brand" | "product"; name: string; aliases: string[] },
) {
  await db.insertInto("dictionary_terms").values(row).execute();
}

export function deleteDictionaryTerm(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "dictionary_terms", workspaceId, id);
}

// ---------- Channels

export function listChannels(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("channels").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

export function findChannel(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "channels", workspaceId, id);
}

export function findChannelByName(db: DbOrTx, workspaceId: string, name: string) {
  return db
    .selectFrom("channels")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase())
    .executeTakeFirst();
}

/** Webhook deliveries name only the channel: its id is global enough to find the workspace. */
export function findChannelForHook(db: DbOrTx, id: string) {
  return db.selectFrom("channels").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Records a signed webhook delivery; false when its signature was already recorded
 * (a replay). Rows signed before `prunePast` are deleted first: a replay of them
 * fails the timestamp check anyway.
 */
export async function recordHookDelivery(
  db: DbOrTx,
  delivery: { workspaceId: string; channelId: string; signature: string; signedAt: Date },
  prunePast: Date,
): Promise<boolean> {
  await db.deleteFrom("hook_deliveries").where("signed_at", "<", prunePast).execute();
  const inserted = await db
    .insertInto("hook_deliveries")
    .values({
      workspace_id: delivery.workspaceId,
      channel_id: delivery.channelId,
      signature: delivery.signature,
      signed_at: delivery.signedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("signature")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets a delivery that could not be processed, so that the sender's retry is not taken for a replay. */
export async function forgetHookDelivery(db: DbOrTx, workspaceId: string, channelId: string, signature: string) {
  await db
    .deleteFrom("hook_deliveries")
    .where("workspace_id", "=", workspaceId)
    .where("channel_id", "=", channelId)
    .where("signature", "=", signature)
    .execute();
}

export async function insertChannel(db: DbOrTx, row: Insertable<ChannelTable>) {
  await db.insertInto("channels").values(row).execute();
}

export async function updateChannel(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<ChannelTable>) {
  await updateStamped(db, "channels", workspaceId, id, patch);
}

export async function addChannelItems(db: DbOrTx, workspaceId: string, id: string, n: number) {
  if (n === 0) return;
  await db
    .updateTable("channels")
    .set({ items_total: sql`items_total + ${n}` })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
}

export function deleteChannel(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "channels", workspaceId, id);
}

/** Channels due for a poll, across workspaces (the poller is one per process). */
export function enabledPollingChannels(db: DbOrTx, networks: Network[]) {
  return db.selectFrom("channels").selectAll().where("enabled", "=", true).where("network", "in", networks).execute();
}

// ---------- Reading: conversations and messages

export type ConversationSort = "recent" | "priority" | "waiting";

export type ConversationListFilter = {
  workspaceId: string;
  status?: ConversationStatus;
  label?: string;
  network?: string;
  channelId?: string;
  q?: string;
  since?: string;
  until?: string;
  /** A user's id, or "none" for conversations nobody is assigned. */
  assignee?: string;
  minPriority?: number;
  tag?: string;
  /** Conversations with a message grouped into this emerging issue. */
  issueId?: string;
  /** Snoozed conversations are hidden until their time unless asked for ("include", "only"). */
  snoozed?: "hide" | "include" | "only";
  /** Whose read marks say which rows are unread. */
  readerId?: string;
};

export type ConversationListPage = {
  sort?: ConversationSort;
  /** The last row's sort key and id (see conversationSortKey). */
  after?: [unknown, string];
  limit: number;
};

export type ConversationListRow = {
  id: string;
  channel_id: string | null;
  network: string;
  subject: string | null;
  status: ConversationStatus;
  assignee_id: string | null;
  team_id: string | null;
  priority: number;
  message_count: number;
  first_message_at: Date;
  last_message_at: Date;
  last_inbound_at: Date | null;
  snoozed_until: Date | null;
  snippet: string | null;
  author_name: string | null;
  author_handle: string | null;
  profile_id: string | null;
  tags: string[];
  unread: boolean | null;
};

function conversationWhere(f: ConversationListFilter) {
  const where = [sql<SqlBool>`c.workspace_id = ${f.workspaceId}`];
  if (f.status) where.push(sql<SqlBool>`c.status = ${f.status}`);
  if (f.network) where.push(sql<SqlBool>`c.network = ${f.network}`);
  if (f.channelId) where.push(sql<SqlBool>`c.channel_id = ${f.channelId}::uuid`);
  if (f.label) {
    where.push(sql<SqlBool>`exists (select 1 from messages l where l.workspace_id = c.workspace_id and l.conversation_id = c.id
      and l.labels @> array[${f.label}]::text[])`);
  }
  if (f.since) where.push(sql<SqlBool>`c.last_message_at >= ${f.since}::timestamptz`);
  if (f.until) where.push(sql<SqlBool>`c.last_message_at < ${f.until}::timestamptz`);
  if (f.q) {
    where.push(sql<SqlBool>`exists (select 1 from messages s where s.workspace_id = c.workspace_id and s.conversation_id = c.id
      and ${matchesSearch(sql`s.search`, f.q)})`);
  }
  if (f.assignee === "none") where.push(sql<SqlBool>`c.assignee_id is null`);
  else if (f.assignee) where.push(sql<SqlBool>`c.assignee_id = ${f.assignee}::uuid`);
  if (f.minPriority !== undefined) where.push(sql<SqlBool>`c.priority >= ${f.minPriority}`);
  if (f.tag) {
    where.push(sql<SqlBool>`exists (select 1 from conversation_tags t where t.workspace_id = c.workspace_id
      and t.conversation_id = c.id and t.tag = ${f.tag})`);
  }
  if (f.issueId) {
    where.push(sql<SqlBool>`exists (select 1 from issue_messages im join messages mm on mm.workspace_id = im.workspace_id
      and mm.id = im.message_id where im.workspace_id = c.workspace_id and im.issue_id = ${f.issueId}::uuid and mm.conversation_id = c.id)`);
  }
  const snoozed = f.snoozed ?? "hide";
  if (snoozed === "hide") where.push(sql<SqlBool>`(c.snoozed_until is null or c.snoozed_until <= now())`);
  if (snoozed === "only") where.push(sql<SqlBool>`c.snoozed_until > now()`);
  return where;
}

/** The value a page's cursor carries for a row under a sort. */
export function conversationSortKey(row: ConversationListRow, sort: ConversationSort = "recent"): unknown {
  if (sort === "priority") return [row.priority, row.last_message_at.toISOString()];
  if (sort === "waiting") return (row.last_inbound_at ?? row.last_message_at).toISOString();
  return row.last_message_at.toISOString();
}

const SORTS = {
  recent: { order: sql`c.last_message_at desc, c.id desc` },
  priority: { order: sql`c.priority desc, c.last_message_at desc, c.id desc` },
  // longest waiting first: the customer's last word is the oldest
  waiting: { order: sql`coalesce(c.last_inbound_at, c.last_message_at) asc, c.id asc` },
} as const;

function afterCondition(sort: ConversationSort, after: [unknown, string]) {
  const [key, id] = after;
  if (sort === "priority") {
    const [priority, at] = Array.isArray(key) ? key : [];
    return sql<SqlBool>`(c.priority, c.last_message_at, c.id) < (${Number(priority)}, ${String(at)}::timestamptz, ${id}::uuid)`;
  }
  if (sort === "waiting")
    return sql<SqlBool>`(coalesce(c.last_inbound_at, c.last_message_at), c.id) > (${String(key)}::timestamptz, ${id}::uuid)`;
  return sql<SqlBool>`(c.last_message_at, c.id) < (${String(key)}::timestamptz, ${id}::uuid)`;
}

export async function listConversations(db: DbOrTx, f: ConversationListFilter & ConversationListPage) {
  const sort = f.sort ?? "recent";
  const where = conversationWhere(f);
  if (f.after) where.push(afterCondition(sort, f.after));
  const unread = f.readerId
    ? sql<boolean>`not exists (select 1 from conversation_reads r where r.workspace_id = c.workspace_id
        and r.user_id = ${f.readerId}::uuid and r.conversation_id = c.id and r.read_at >= c.last_message_at)`
    : sql<null>`null`;
  // The page is chosen first (an index walk on the sort's columns, stopping at the limit); the
  // last message, tags and read mark are then looked up for those rows only, not for every match.
  const result = await sql<ConversationListRow>`
    select c.id, c.channel_id, c.network, c.subject, c.status, c.assignee_id, c.team_id, c.priority, c.message_count,
      c.first_message_at, c.last_message_at, c.last_inbound_at, c.snoozed_until,
      m.text as snippet, m.author_name, m.author_handle, m.profile_id,
      coalesce((select array_agg(t.tag order by t.tag) from conversation_tags t
        where t.workspace_id = c.workspace_id and t.conversation_id = c.id), '{}') as tags,
      ${unread} as unread
    from (
      select c.* from conversations c
      where ${sql.join(where, sql` and `)}
      order by ${SORTS[sort].order}
      limit ${f.limit}
    ) c
    left join lateral (
      select left(text, 280) as text, author_name, author_handle, profile_id from messages
      where workspace_id = c.workspace_id and conversation_id = c.id
      order by posted_at desc, id desc limit 1
    ) m on true
    order by ${SORTS[sort].order}`.execute(db);
  return result.rows;
}

/** How many conversations a filter matches (a saved view's count). */
export async function countConversations(db: DbOrTx, f: ConversationListFilter): Promise<number> {
  const result = await sql<{ n: string | number }>`
    select count(*) as n from conversations c where ${sql.join(conversationWhere(f), sql` and `)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export function findConversation(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "conversations", workspaceId, id);
}

export function messagesOfConversation(db: DbOrTx, workspaceId: string, conversationId: string) {
  return db
    .selectFrom("messages")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("conversation_id", "=", conversationId)
    .orderBy("posted_at")
    .orderBy("id")
    .limit(2000)
    .execute();
}

export function profilesByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  return findByIds(db, "profiles", workspaceId, ids);
}

export type ConversationPatch = { status?: ConversationStatus; assignee_id?: string | null; team_id?: string | null; priority?: number };

/** Changes a conversation (and stamps it); an empty patch leaves it as it was. */
export async function updateConversation(db: DbOrTx, workspaceId: string, id: string, patch: ConversationPatch) {
  if (Object.keys(patch).length === 0) return;
  await updateStamped(db, "conversations", workspaceId, id, patch);
}

export type MessageSearch = {
  workspaceId: string;
  query?: string;
  label?: string;
  sentiment?: string;
  language?: string;
  minPriority?: number;
  network?: string;
  channelId?: string;
  conversationId?: string;
  after?: [string, string];
  limit: number;
};

export async function searchMessages(db: DbOrTx, f: MessageSearch) {
  let q = db.selectFrom("messages").selectAll().where("workspace_id", "=", f.workspaceId);
  if (f.query) q = q.where(matchesSearch(sql`search`, f.query));
  if (f.network) q = q.where("network", "=", f.network);
  if (f.channelId) q = q.where("channel_id", "=", f.channelId);
  if (f.conversationId) q = q.where("conversation_id", "=", f.conversationId);
  if (f.label) q = q.where(sql<SqlBool>`labels @> array[${f.label}]::text[]`);
  if (f.sentiment) q = q.where("sentiment", "=", f.sentiment);
  if (f.language) q = q.where("language", "=", f.language);
  if (f.minPriority !== undefined) q = q.where("priority", ">=", f.minPriority);
  return pageDescending(q, "posted_at", "timestamptz", f.after, f.limit);
}

// ---------- Analysis and corrections

export function findMessage(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "messages", workspaceId, id);
}

export async function insertCorrection(db: DbOrTx, row: Insertable<LabelCorrectionTable>) {
  await db.insertInto("label_corrections").values(row).execute();
}

export async function applyCorrection(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  patch: { sentiment?: string; labels?: string[]; language?: string },
) {
  await updateById(db, "messages", workspaceId, id, patch);
}

export function correctionsOf(db: DbOrTx, workspaceId: string, messageId: string) {
  return historyOf(db, "label_corrections", workspaceId, "message_id", messageId);
}

export async function correctedMessages(db: DbOrTx, workspaceId: string) {
  const result = await sql<{
    id: string;
    subject: string | null;
    text: string;
    network: string;
    language: string | null;
    sentiment: string | null;
    labels: string[];
    fields: string[];
    corrected_at: Date;
  }>`
    select m.id, m.subject, m.text, m.network, m.language, m.sentiment, m.labels,
      array_agg(distinct c.field) as fields, max(c.created_at) as corrected_at
    from label_corrections c join messages m on m.workspace_id = c.workspace_id and m.id = c.message_id
    where c.workspace_id = ${workspaceId}
    group by m.id, m.subject, m.text, m.network, m.language, m.sentiment, m.labels
    order by max(c.created_at)`.execute(db);
  return result.rows;
}

/** Messages for re-analysis after a model update, in id order (resumable pages). */
export function messagesToReanalyze(db: DbOrTx, f: { since?: Date; afterId?: string; limit: number; version: string; force: boolean }) {
  let q = db
    .selectFrom("messages")
    .leftJoin("profiles", (j) =>
      j.onRef("profiles.workspace_id", "=", "messages.workspace_id").onRef("profiles.id", "=", "messages.profile_id"),
    )
    .select(["messages.workspace_id", "messages.id", "messages.subject", "messages.text", "messages.language", "profiles.followers"]);
  if (f.since) q = q.where("messages.posted_at", ">=", f.since);
  if (!f.force) q = q.where((eb) => eb.or([eb("messages.model_version", "is", null), eb("messages.model_version", "<>", f.version)]));
  // Corrected labels are people's decisions: a new model does not overwrite them.
  q = q.where(({ not, exists, selectFrom }) =>
    not(
      exists(
        selectFrom("label_corrections as lc")
          .select("lc.id")
          .whereRef("lc.workspace_id", "=", "messages.workspace_id")
          .whereRef("lc.message_id", "=", "messages.id"),
      ),
    ),
  );
  if (f.afterId) q = q.where("messages.id", ">", f.afterId);
  return q.orderBy("messages.id").limit(f.limit).execute();
}

export async function countToReanalyze(db: DbOrTx, f: { since?: Date; version: string; force: boolean }) {
  let q = db.selectFrom("messages").select(sql<number>`count(*)::int`.as("n"));
  if (f.since) q = q.where("posted_at", ">=", f.since);
  if (!f.force) q = q.where((eb) => eb.or([eb("model_version", "is", null), eb("model_version", "<>", f.version)]));
  return (await q.executeTakeFirstOrThrow()).n;
}

/** What understanding writes on a message (intents as JSON text). */
export type AnalysisColumns = {
  language: string | null;
  sentiment: string;
  sentiment_score: number;
  intents: string;
  /** The signals' probabilities (irony, toxic) as JSON text. */
  signals: string;
  labels: string[];
  priority: number;
  reasons: string[];
  topics: string[];
  products: string[];
  analyzed_at: Date;
  model_version: string;
};

/** Writes a page of analyses in one statement. */
export async function saveAnalyses(db: DbOrTx, rows: Array<{ workspace_id: string; id: string } & Omit<AnalysisColumns, "analyzed_at">>) {
  if (rows.length === 0) return;
  const payload = JSON.stringify(rows.map((r) => ({ ...r, intents: JSON.parse(r.intents), signals: JSON.parse(r.signals) })));
  await sql`
    update messages m set
      language = coalesce(m.language, v.language), sentiment = v.sentiment, sentiment_score = v.sentiment_score,
      intents = v.intents, signals = v.signals, labels = v.labels, priority = v.priority, reasons = v.reasons, topics = v.topics,
      products = v.products, model_version = v.model_version, analyzed_at = now()
    from jsonb_to_recordset(${payload}::jsonb) as v(workspace_id uuid, id uuid, language text, sentiment text,
      sentiment_score real, intents jsonb, signals jsonb, labels text[], priority int, reasons text[], topics text[], products text[], model_version text)
    where m.workspace_id = v.workspace_id and m.id = v.id`.execute(db);
}

// ---------- Finders that throw not_found

export const deleteChannelOrThrow = (...args: Parameters<typeof deleteChannel>) => touchedOrThrow(deleteChannel(...args), "Channel");
export const deleteDictionaryTermOrThrow = (...args: Parameters<typeof deleteDictionaryTerm>) =>
  touchedOrThrow(deleteDictionaryTerm(...args), "Dictionary term");
export const deleteOwnAccountOrThrow = (...args: Parameters<typeof deleteOwnAccount>) =>
  touchedOrThrow(deleteOwnAccount(...args), "Own account");
export const findChannelOrThrow = (...args: Parameters<typeof findChannel>) => orThrow(findChannel(...args), "Channel");
export const findConversationOrThrow = (...args: Parameters<typeof findConversation>) => orThrow(findConversation(...args), "Conversation");
export const findMessageOrThrow = (...args: Parameters<typeof findMessage>) => orThrow(findMessage(...args), "Message");
