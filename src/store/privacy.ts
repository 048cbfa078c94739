import { sql } from "kysely";
import type { DbOrTx } from "./db";
import { contactReferences } from "./identity";

// What the store holds about one person, found from the catalog (as merge finds what to move),
// so a table added later is exported without anyone remembering to add it here.

type Rows = Array<Record<string, unknown>>;

/** Columns that point at a profile: a foreign key to profiles, or a column named profile_id. */
export async function profileReferences(db: DbOrTx): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.table_name <> 'profiles'
      and (c.column_name = 'profile_id' or exists (
        select 1 from pg_constraint k
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
        where k.contype = 'f' and k.confrelid = 'profiles'::regclass
          and k.conrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
          and a.attname = c.column_name and a.attname <> 'workspace_id'))
    order by c.table_name, c.column_name`.execute(db);
  return rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

async function rowsWhere(db: DbOrTx, workspaceId: string, table: string, column: string, ids: string[]): Promise<Rows> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ row: Record<string, unknown> }>`
    select to_jsonb(t) as row from ${sql.id(table)} t
    where t.workspace_id = ${workspaceId} and t.${sql.id(column)}::text = any(${ids}::text[])`.execute(db);
  return rows.map((r) => (typeof r.row === "string" ? JSON.parse(r.row) : r.row) as Record<string, unknown>);
}

function addRows(out: Record<string, Rows>, table: string, rows: Rows) {
  if (rows.length === 0) return;
  out[table] ??= [];
  const have = out[table];
  const seen = new Set(have.map((r) => JSON.stringify(r)));
  for (const r of rows) if (!seen.has(JSON.stringify(r))) have.push(r);
}

/**
 * Every row about the contact, by table: the contact, each table that references it,
 * each table that references its profiles (the messages they wrote, with their analysis),
 * and the audit entries about it. Null when the workspace has no such contact.
 */
export async function subjectRows(db: DbOrTx, workspaceId: string, contactId: string): Promise<Record<string, Rows> | null> {
  const contact = await rowsWhere(db, workspaceId, "contacts", "id", [contactId]);
  if (contact.length === 0) return null;
  const out: Record<string, Rows> = { contacts: contact };
  for (const ref of await contactReferences(db))
    addRows(out, ref.table, await rowsWhere(db, workspaceId, ref.table, ref.column, [contactId]));
  const profileIds = (out.profiles ?? []).map((p) => String(p.id));
  for (const ref of await profileReferences(db))
    addRows(out, ref.table, await rowsWhere(db, workspaceId, ref.table, ref.column, profileIds));
  const { rows: audit } = await sql<{ row: Record<string, unknown> }>`
    select to_jsonb(ae) as row from audit_events ae
    where ae.workspace_id = ${workspaceId} and ae.subject_type = 'contact' and ae.subject_id = ${contactId}
    order by ae.id`.execute(db);
  addRows(
    out,
    "audit_events",
    audit.map((r) => r.row),
  );
  return out;
}
