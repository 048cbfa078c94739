import { type Insertable, sql } from "kysely";
import type { DbOrTx } from "./db";
import { onDuplicate } from "./errors";
import { findByIds } from "./rows";
import type { PrivacySettingsTable, RetentionPolicyRow, RetentionPolicyTable } from "./schema-privacy";

// Retention (issue 13): policies, the messages a policy reaches, and deleting them with what
// pointed at them. The PII redaction setting lives here too (the other per-workspace privacy knob).

export function listRetentionPolicies(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("retention_policies")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function findRetentionPolicy(db: DbOrTx, workspaceId: string, id: string) {
  return findByIds(db, "retention_policies", workspaceId, [id]).then((r) => r[0]);
}

const ONE_PER_SCOPE = "a policy for this scope and channel already exists";

export async function insertRetentionPolicy(db: DbOrTx, row: Insertable<RetentionPolicyTable>) {
  return onDuplicate(db.insertInto("retention_policies").values(row).returningAll().executeTakeFirstOrThrow(), "scope", ONE_PER_SCOPE);
}

export async function updateRetentionPolicy(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  patch: Partial<Pick<RetentionPolicyRow, "scope" | "days" | "enabled" | "channel_id" | "last_run_at" | "last_deleted">>,
) {
  return onDuplicate(
    db
      .updateTable("retention_policies")
      .set(patch)
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst(),
    "scope",
    ONE_PER_SCOPE,
  );
}

export async function deleteRetentionPolicy(db: DbOrTx, workspaceId: string, id: string) {
  const r = await db.deleteFrom("retention_policies").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Workspaces with at least one enabled policy (the scheduler's round). */
export async function workspacesWithRetention(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom("retention_policies").select("workspace_id").distinct().where("enabled", "=", true).execute();
  return rows.map((r) => r.workspace_id);
}

/** Deletes the inbound messages the policy reaches (older than the cutoff); their ids, conversations and authors. */
export async function deleteRetainedMessages(db: DbOrTx, workspaceId: string, policy: RetentionPolicyRow, cutoff: Date) {
  const { rows } = await sql<{ id: string; conversation_id: string; profile_id: string | null }>`
    delete from messages m
    where m.workspace_id = ${workspaceId} and m.direction = 'inbound' and m.posted_at < ${cutoff}
      ${policy.channel_id ? sql`and m.channel_id = ${policy.channel_id}` : sql``}
      ${
        policy.scope === "non_contacts"
          ? sql`and not exists (select 1 from profiles p where p.workspace_id = m.workspace_id and p.id = m.profile_id and p.contact_id is not null)`
          : sql``
      }
    returning m.id, m.conversation_id, m.profile_id`.execute(db);
  return rows;
}

const OWNED_BY_CONVERSATION = ["conversation_tags", "rule_runs"];

/** Tables whose rows are deleted with the parent table's rows (a foreign key on delete cascade). */
async function cascadingFrom(db: DbOrTx, parent: string): Promise<Set<string>> {
  const { rows } = await sql<{ table_name: string }>`
    select distinct k.conrelid::regclass::text as table_name from pg_constraint k
    where k.contype = 'f' and k.confrelid = ${parent}::regclass and k.confdeltype = 'c'`.execute(db);
  return new Set(rows.map((r) => r.table_name));
}

type Column = { table: string; column: string; nullable: boolean };

/** Columns named like a reference to `name` (message_id, conversation_id, profile_id) in other tables. */
async function columnsNamed(db: DbOrTx, column: string, except: string): Promise<Column[]> {
  const { rows } = await sql<{ table_name: string; is_nullable: string }>`
    select c.table_name, c.is_nullable from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.column_name = ${column} and c.table_name <> ${except}
    order by c.table_name`.execute(db);
  return rows.map((r) => ({ table: r.table_name, column, nullable: r.is_nullable === "YES" }));
}

/**
 * What pointed at deleted messages: optional links are cleared, rows that only mean something with
 * the message (label corrections, idea links, aliases) go. Conversations left empty and unreferenced
 * go; the others keep their count right. Unlinked authors with nothing left go too.
 */
export async function afterMessagesDeleted(
  db: DbOrTx,
  workspaceId: string,
  deleted: Array<{ id: string; conversation_id: string; profile_id: string | null }>,
) {
  if (deleted.length === 0) return;
  const ids = deleted.map((d) => d.id);
  for (const ref of await columnsNamed(db, "message_id", "messages")) {
    const where = sql`workspace_id = ${workspaceId} and ${sql.id(ref.column)}::text = any(${ids}::text[])`;
    if (ref.nullable) await sql`update ${sql.id(ref.table)} set ${sql.id(ref.column)} = null where ${where}`.execute(db);
    else await sql`delete from ${sql.id(ref.table)} where ${where}`.execute(db);
  }
  await sql`update conversations set root_message_id = null
    where workspace_id = ${workspaceId} and root_message_id = any(${ids}::uuid[])`.execute(db);

  const conversations = [...new Set(deleted.map((d) => d.conversation_id))];
  await sql`update conversations c set message_count = (select count(*) from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id)
    where c.workspace_id = ${workspaceId} and c.id = any(${conversations}::uuid[])`.execute(db);
  // the conversation's own log and tags go with it; a case, deal, note or notification that names it keeps it
  const cascading = await cascadingFrom(db, "conversations");
  const conversationRefs = (await columnsNamed(db, "conversation_id", "messages")).filter(
    (r) => !OWNED_BY_CONVERSATION.includes(r.table) && !cascading.has(r.table),
  );
  const unreferenced = conversationRefs.map(
    (r) => sql`and not exists (select 1 from ${sql.id(r.table)} x where x.workspace_id = c.workspace_id and x.${sql.id(r.column)} = c.id)`,
  );
  const { rows: gone } = await sql<{ id: string }>`
    delete from conversations c where c.workspace_id = ${workspaceId} and c.id = any(${conversations}::uuid[]) and c.message_count = 0
    ${sql.join(unreferenced, sql` `)} returning c.id`.execute(db);
  const goneIds = gone.map((g) => g.id);
  if (goneIds.length)
    for (const table of OWNED_BY_CONVERSATION)
      await sql`delete from ${sql.id(table)} where workspace_id = ${workspaceId} and conversation_id = any(${goneIds}::uuid[])`.execute(db);

  const profiles = [...new Set(deleted.map((d) => d.profile_id).filter((p): p is string => Boolean(p)))];
  if (profiles.length === 0) return;
  const profileRefs = (await columnsNamed(db, "profile_id", "profiles")).filter((r) => r.table !== "profile_suggestions");
  const unused = profileRefs.map(
    (r) => sql`and not exists (select 1 from ${sql.id(r.table)} x where x.workspace_id = p.workspace_id and x.${sql.id(r.column)} = p.id)`,
  );
  await sql`delete from profiles p where p.workspace_id = ${workspaceId} and p.id = any(${profiles}::uuid[]) and p.contact_id is null
    ${sql.join(unused, sql` `)}`.execute(db);
}

export async function findPrivacySettings(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("privacy_settings").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirst();
}

export async function savePrivacySettings(db: DbOrTx, row: Insertable<PrivacySettingsTable>) {
  const { workspace_id: _, ...patch } = row;
  return db
    .insertInto("privacy_settings")
    .values(row)
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet({ ...patch, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}
