import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { SuppressionKind } from "../contracts/privacy";
import type { DbOrTx } from "./db";

// Erasure (issue 13): the SQL that forgets a person. Tables are named by the caller (found
// from the catalog), so these run over any table that references a contact or a profile.

export type Suppression = { kind: SuppressionKind; hash: string };

/** The key of a suppression entry: a workspace-salted hash, so the list names no one. */
export function suppressionHash(workspaceId: string, kind: SuppressionKind, value: string): string {
  return createHash("sha256").update(`${workspaceId}\u0000${kind}\u0000${value}`).digest("hex");
}

/** Which of these email addresses belong to an erased person (compared lowercased). */
export async function suppressedEmails(db: DbOrTx, workspaceId: string, emails: string[]): Promise<string[]> {
  const byHash = new Map(emails.map((e) => [suppressionHash(workspaceId, "email", e.trim().toLowerCase()), e]));
  const found = await suppressedHashes(db, workspaceId, [...byHash.keys()]);
  return [...byHash].filter(([h]) => found.has(h)).map(([, e]) => e);
}

export async function insertSuppressions(db: DbOrTx, workspaceId: string, entries: Suppression[]) {
  if (entries.length === 0) return;
  await db
    .insertInto("privacy_suppressions")
    .values(entries.map((e) => ({ workspace_id: workspaceId, kind: e.kind, hash: e.hash })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Which of these hashes are suppressed in the workspace. */
export async function suppressedHashes(db: DbOrTx, workspaceId: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom("privacy_suppressions")
    .select("hash")
    .where("workspace_id", "=", workspaceId)
    .where("hash", "in", [...new Set(hashes)])
    .execute();
  return new Set(rows.map((r) => r.hash));
}

/**
 * The messages these profiles wrote become tombstones: text, author, links, the source payload and
 * the analysis are removed (the search vector follows the text); the row, its thread place and
 * its external id stay, so conversations and counts do not change.
 */
export async function tombstoneMessages(db: DbOrTx, workspaceId: string, profileIds: string[], at: Date) {
  if (profileIds.length === 0) return [];
  return db
    .updateTable("messages")
    .set({
      text: "",
      html: null,
      subject: null,
      url: null,
      author_handle: null,
      author_name: null,
      raw: null,
      profile_id: null,
      content_hash: null,
      language: null,
      sentiment: null,
      sentiment_score: null,
      intents: null,
      signals: null,
      labels: [],
      reasons: [],
      topics: [],
      products: [],
      priority: null,
      analyzed_at: null,
      model_version: null,
      erased_at: at,
    })
    .where("workspace_id", "=", workspaceId)
    .where("profile_id", "in", profileIds)
    .returning(["id", "conversation_id"])
    .execute();
}

/** A conversation whose first message was the person's loses the subject it took from it. */
export async function clearConversationSubjects(db: DbOrTx, workspaceId: string, messageIds: string[]) {
  if (messageIds.length === 0) return;
  await db
    .updateTable("conversations")
    .set({ subject: null })
    .where("workspace_id", "=", workspaceId)
    .where("root_message_id", "in", messageIds)
    .execute();
}

export async function deleteRowsWhere(db: DbOrTx, workspaceId: string, table: string, column: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r =
    await sql`delete from ${sql.id(table)} where workspace_id = ${workspaceId} and ${sql.id(column)}::text = any(${ids}::text[])`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0);
}

export async function nullColumnWhere(db: DbOrTx, workspaceId: string, table: string, column: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await sql`update ${sql.id(table)} set ${sql.id(column)} = null
    where workspace_id = ${workspaceId} and ${sql.id(column)}::text = any(${ids}::text[])`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Ideas the person or their profiles voted for (recounted after the votes go). */
export async function ideasVotedBy(db: DbOrTx, workspaceId: string, contactId: string, profileIds: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom("idea_votes")
    .select("idea_id")
    .distinct()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("contact_id", "=", contactId), ...(profileIds.length ? [eb("profile_id", "in", profileIds)] : [])]))
    .execute();
  return rows.map((r) => r.idea_id);
}

/** The contact and every contact merged into it, directly or through earlier merges, with their names. */
export async function mergedLineage(db: DbOrTx, workspaceId: string, contactId: string) {
  const { rows } = await sql<{ id: string; name: string | null }>`
    with recursive lineage(id, name) as (
      select ${contactId}::uuid, null::text
      union
      select m.merged_id, m.merged_name from merges m join lineage l on m.kept_id = l.id where m.workspace_id = ${workspaceId}
    )
    select id, name from lineage`.execute(db);
  return rows;
}

/** Merges that involve these contacts keep no snapshot of them and can no longer be undone. */
export async function scrubMerges(db: DbOrTx, workspaceId: string, contactIds: string[], at: Date): Promise<number> {
  const r = await db
    .updateTable("merges")
    .set({ kept_before: "{}", merged_before: "{}", moved: "{}", fields: "{}", merged_name: "[erased]", reason: null, erased_at: at })
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("kept_id", "in", contactIds), eb("merged_id", "in", contactIds)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Audit entries about these contacts keep what happened but no longer name the person. */
export async function scrubAuditNames(db: DbOrTx, workspaceId: string, contactIds: string[], names: string[]) {
  let summary = sql<string>`summary`;
  for (const n of names.filter((x) => x.trim().length > 0)) summary = sql<string>`replace(${summary}, ${n}, '[erased]')`;
  await sql`update audit_events set summary = ${summary}, details = details - 'merged_name' - 'name'
    where workspace_id = ${workspaceId} and subject_type = 'contact' and subject_id = any(${contactIds}::text[])`.execute(db);
}

/** The messages these profiles wrote, with their words (read before they become tombstones). */
export async function messagesBy(db: DbOrTx, workspaceId: string, profileIds: string[]) {
  if (profileIds.length === 0) return [];
  return db
    .selectFrom("messages")
    .select(["id", "text", "subject"])
    .where("workspace_id", "=", workspaceId)
    .where("profile_id", "in", profileIds)
    .execute();
}

/** Titles rules wrote from a message ("{{message.text:80}}"): where a snippet of the person's words appears, the field is erased. */
const QUOTING_COLUMNS: Array<[table: string, column: string, nullable: boolean]> = [
  ["cases", "subject", false],
  ["cases", "description", true],
  ["deals", "title", false],
  ["ideas", "title", false],
  ["ideas", "description", true],
  ["rule_notifications", "title", false],
  ["rule_notifications", "body", true],
];
export async function scrubQuotedWords(db: DbOrTx, workspaceId: string, snippets: string[]) {
  const wanted = [...new Set(snippets)].filter((s) => s.length >= 12);
  if (wanted.length === 0) return;
  for (const [table, column, nullable] of QUOTING_COLUMNS) {
    await sql`update ${sql.id(table)} set ${sql.id(column)} = ${nullable ? null : "(erased)"}
      where workspace_id = ${workspaceId}
        and exists (select 1 from unnest(${wanted}::text[]) s where position(s in ${sql.id(column)}) > 0)`.execute(db);
  }
}
