import type { Insertable, Updateable } from "kysely";
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { DbOrTx } from "./db";
import { orThrow, touchedOrThrow } from "./errors";
import { deleteById, findById, pageDescending, pickByIds, updateById, updateStamped } from "./rows";
import type {
  ActivityRow,
  ActivityTable,
  ContactRow,
  ContactTable,
  CustomFieldRow,
  CustomFieldTable,
  Entity,
  NewContactRow,
  NewOrganizationRow,
  OrganizationRow,
  OrganizationTable,
  SegmentTable,
} from "./schema";
import { TableCache } from "./write-watch";

// ---------- Custom fields

export function listCustomFields(db: DbOrTx, workspaceId: string, entity?: Entity) {
  let q = db.selectFrom("custom_fields").selectAll().where("workspace_id", "=", workspaceId);
  if (entity) q = q.where("entity", "=", entity);
  return q.orderBy("entity").orderBy("position").orderBy("created_at").execute();
}

// The contact list reads a workspace's field definitions on every request: kept for a few
// seconds, forgotten at once when this process writes custom_fields (src/store/write-watch.ts).
const fieldDefinitions = new TableCache<CustomFieldRow[]>(["custom_fields"], { ttlMs: 3_000, maxEntries: 1_000 });

/** listCustomFields of one entity through that cache; the list is shared, so callers must not change it. */
export async function customFieldsOf(db: DbOrTx, workspaceId: string, entity: Entity): Promise<CustomFieldRow[]> {
  return (await fieldDefinitions.read(db, `${workspaceId}:${entity}`, () => listCustomFields(db, workspaceId, entity))) ?? [];
}

export function findCustomField(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "custom_fields", workspaceId, id);
}

export async function insertCustomField(db: DbOrTx, row: Insertable<CustomFieldTable>) {
  await db.insertInto("custom_fields").values(row).execute();
}

export async function updateCustomField(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<CustomFieldTable>) {
  await updateById(db, "custom_fields", workspaceId, id, patch);
}

export async function deleteCustomField(db: DbOrTx, field: CustomFieldRow) {
  const table = field.entity === "contact" ? "contacts" : "organizations";
  // Values of a deleted field go with it, so a later field of the same key starts clean.
  await sql`update ${sql.table(table)} set custom = custom - ${field.key}
    where workspace_id = ${field.workspace_id} and custom ? ${field.key}`.execute(db);
  await deleteById(db, "custom_fields", field.workspace_id, field.id);
}

// ---------- Lists: filter + keyset pagination

export type SortKind = "text" | "timestamp" | "numeric";
export type ListSort = { expr: RawBuilder<unknown>; kind: SortKind; desc: boolean };
export type ListQuery = {
  workspaceId: string;
  where: RawBuilder<SqlBool>[];
  sort: ListSort;
  after?: [unknown, string];
  limit: number;
};

function castCursor(kind: SortKind, value: unknown) {
  if (kind === "timestamp") return sql`${String(value)}::timestamptz`;
  if (kind === "numeric") return sql`${String(value)}::numeric`;
  return sql`${String(value)}::text`;
}

function listClauses(q: ListQuery, withCursor: boolean) {
  const where = [sql<SqlBool>`t.workspace_id = ${q.workspaceId}`, ...q.where];
  if (withCursor && q.after) {
    const cmp = q.sort.desc ? sql`<` : sql`>`;
    where.push(sql<SqlBool>`(${q.sort.expr}, t.id) ${cmp} (${castCursor(q.sort.kind, q.after[0])}, ${q.after[1]}::uuid)`);
  }
  return sql.join(where, sql` and `);
}

export type ContactListRow = ContactRow & { organization_name: string | null; sort_value: unknown };

export async function listContacts(db: DbOrTx, q: ListQuery) {
  const dir = q.sort.desc ? sql`desc` : sql`asc`;
  const result = await sql<ContactListRow>`
    select t.*, o.name as organization_name, ${q.sort.expr} as sort_value
    from contacts t
    left join organizations o on o.workspace_id = t.workspace_id and o.id = t.organization_id
    where ${listClauses(q, true)}
    order by ${q.sort.expr} ${dir}, t.id ${dir}
    limit ${q.limit}`.execute(db);
  return result.rows;
}

export async function countContacts(db: DbOrTx, q: ListQuery): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from contacts t where ${listClauses(q, false)}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** Streams every contact matching a list query in pages (for export). */
/** Every row of a list query, page by page in keyset order (exports of any size). */
async function* iteratePages<Row extends { id: string; sort_value: unknown }>(
  fetchPage: (db: DbOrTx, q: ListQuery) => Promise<Row[]>,
  db: DbOrTx,
  q: Omit<ListQuery, "after" | "limit">,
  pageSize: number,
) {
  let after: [unknown, string] | undefined;
  for (;;) {
    const rows = await fetchPage(db, { ...q, after, limit: pageSize });
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = [normalizeSortValue(last.sort_value), last.id];
  }
}

export function iterateContacts(db: DbOrTx, q: Omit<ListQuery, "after" | "limit">, pageSize = 2000) {
  return iteratePages(listContacts, db, q, pageSize);
}

export function normalizeSortValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

export type OrganizationListRow = OrganizationRow & { contact_count: number; sort_value: unknown };

export async function listOrganizations(db: DbOrTx, q: ListQuery) {
  const dir = q.sort.desc ? sql`desc` : sql`asc`;
  const result = await sql<OrganizationListRow>`
    select t.*, ${q.sort.expr} as sort_value,
      (select count(*)::int from contacts c where c.workspace_id = t.workspace_id and c.organization_id = t.id) as contact_count
    from organizations t
    where ${listClauses(q, true)}
    order by ${q.sort.expr} ${dir}, t.id ${dir}
    limit ${q.limit}`.execute(db);
  return result.rows;
}

export async function countOrganizations(db: DbOrTx, q: ListQuery): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from organizations t where ${listClauses(q, false)}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

export function iterateOrganizations(db: DbOrTx, q: Omit<ListQuery, "after" | "limit">, pageSize = 2000) {
  return iteratePages(listOrganizations, db, q, pageSize);
}

// ---------- Contacts

export async function findContact(db: DbOrTx, workspaceId: string, id: string) {
  const result = await sql<ContactListRow>`
    select t.*, o.name as organization_name, null as sort_value
    from contacts t
    left join organizations o on o.workspace_id = t.workspace_id and o.id = t.organization_id
    where t.workspace_id = ${workspaceId} and t.id = ${id}`.execute(db);
  return result.rows[0];
}

/** Several contacts as findContact returns them, in one query. */
export async function findContactsByIds(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const result = await sql<ContactListRow>`
    select t.*, o.name as organization_name, null as sort_value
    from contacts t
    left join organizations o on o.workspace_id = t.workspace_id and o.id = t.organization_id
    where t.workspace_id = ${workspaceId} and t.id = any(${sql.val(ids)}::uuid[])`.execute(db);
  return result.rows;
}

export function findContactByExternalId(db: DbOrTx, workspaceId: string, externalId: string) {
  return db
    .selectFrom("contacts")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
}

export async function insertContact(db: DbOrTx, row: NewContactRow) {
  await db.insertInto("contacts").values(row).execute();
}

const CONTACT_UPSERT_COLUMNS = [
  "first_name",
  "last_name",
  "name",
  "emails",
  "phones",
  "organization_id",
  "title",
  "lifecycle_stage",
  "owner_id",
  "tags",
  "consent_email",
  "consent_sms",
  "consent_tracking",
  "city",
  "country",
  "street",
  "address2",
  "postal_code",
  "region",
  "birth_date",
  "national_id",
  "notes",
  "custom",
  "search",
] as const;

/**
 * Writes a batch of records in one statement per kind: rows with an external
 * id update the record that already has it (the listed columns are replaced).
 */
async function upsertByExternalId(
  db: DbOrTx,
  table: "contacts" | "organizations",
  rows: Array<NewContactRow | NewOrganizationRow>,
  columns: readonly string[],
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const plain = rows.filter((r) => !r.external_id);
  const withExternal = rows.filter((r) => r.external_id);
  let inserted = plain.length;
  let updated = 0;
  // The two tables share the shape this needs; Kysely cannot see that through the union.
  const into = () => db.insertInto(table as "contacts");
  if (plain.length)
    await into()
      .values(plain as NewContactRow[])
      .execute();
  if (withExternal.length) {
    const result = await into()
      .values(withExternal as NewContactRow[])
      .onConflict((oc) =>
        oc
          .columns(["workspace_id", "external_id"])
          .where("external_id", "is not", null)
          .doUpdateSet((eb) => {
            const set: Record<string, unknown> = { updated_at: sql`now()` };
            for (const col of columns) set[col] = eb.ref(`excluded.${col}` as "excluded.name");
            return set as Updateable<ContactTable>;
          }),
      )
      .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
      .execute();
    for (const r of result) {
      if (r.inserted) inserted++;
      else updated++;
    }
  }
  return { inserted, updated };
}

export function upsertContacts(db: DbOrTx, rows: NewContactRow[]) {
  return upsertByExternalId(db, "contacts", rows, CONTACT_UPSERT_COLUMNS);
}

export async function updateContact(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<ContactTable>) {
  await updateStamped(db, "contacts", workspaceId, id, patch);
}

export function deleteContact(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "contacts", workspaceId, id);
}

/** Moves a contact to a lifecycle stage (a rule or a won deal). */
export async function setContactStage(db: DbOrTx, workspaceId: string, contactId: string, stage: string) {
  await updateStamped(db, "contacts", workspaceId, contactId, { lifecycle_stage: stage as ContactRow["lifecycle_stage"] });
}

// ---------- Organizations

export async function findOrganization(db: DbOrTx, workspaceId: string, id: string) {
  const result = await sql<OrganizationListRow>`
    select t.*, null as sort_value,
      (select count(*)::int from contacts c where c.workspace_id = t.workspace_id and c.organization_id = t.id) as contact_count
    from organizations t where t.workspace_id = ${workspaceId} and t.id = ${id}`.execute(db);
  return result.rows[0];
}

export function findOrganizationsByName(db: DbOrTx, workspaceId: string, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("organizations")
    .select(["id", "name"])
    .where("workspace_id", "=", workspaceId)
    .where(
      sql<string>`lower(name)`,
      "in",
      names.map((n) => n.toLowerCase()),
    )
    .execute();
}

export async function insertOrganizations(db: DbOrTx, rows: NewOrganizationRow[]) {
  if (rows.length) await db.insertInto("organizations").values(rows).execute();
}

const ORGANIZATION_UPSERT_COLUMNS = ["name", "domain", "industry", "size", "owner_id", "custom"] as const;

export function upsertOrganizations(db: DbOrTx, rows: NewOrganizationRow[]) {
  return upsertByExternalId(db, "organizations", rows, ORGANIZATION_UPSERT_COLUMNS);
}

export async function updateOrganization(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<OrganizationTable>) {
  await updateStamped(db, "organizations", workspaceId, id, patch);
}

export function deleteOrganization(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "organizations", workspaceId, id);
}

// ---------- Activities

export async function insertActivity(db: DbOrTx, row: Insertable<ActivityTable>) {
  await db.insertInto("activities").values(row).execute();
}

export function findActivity(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "activities", workspaceId, id);
}

export async function updateActivity(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<ActivityTable>) {
  await updateById(db, "activities", workspaceId, id, patch);
}

export function deleteActivity(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "activities", workspaceId, id);
}

export function listActivitiesFor(
  db: DbOrTx,
  workspaceId: string,
  subject: { contactId?: string; organizationId?: string },
  limit: number,
): Promise<ActivityRow[]> {
  let q = db.selectFrom("activities").selectAll().where("workspace_id", "=", workspaceId);
  if (subject.contactId) q = q.where("contact_id", "=", subject.contactId);
  if (subject.organizationId) {
    // An organization's timeline includes what happened with its people.
    const orgId = subject.organizationId;
    q = q.where((eb) =>
      eb.or([
        eb("organization_id", "=", orgId),
        eb(
          "contact_id",
          "in",
          eb
            .selectFrom("contacts")
            .select("contacts.id")
            .where("contacts.workspace_id", "=", workspaceId)
            .where("contacts.organization_id", "=", orgId),
        ),
      ]),
    );
  }
  return q.orderBy("occurred_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

export function listActivities(
  db: DbOrTx,
  workspaceId: string,
  f: { type?: string; open?: boolean; assigneeId?: string; after?: [string, string]; limit: number },
) {
  let q = db.selectFrom("activities").selectAll().where("workspace_id", "=", workspaceId);
  if (f.type) q = q.where("type", "=", f.type as ActivityRow["type"]);
  if (f.open === true) q = q.where("completed_at", "is", null);
  if (f.open === false) q = q.where("completed_at", "is not", null);
  if (f.assigneeId) q = q.where("assignee_id", "=", f.assigneeId);
  return pageDescending(q, "occurred_at", "timestamptz", f.after, f.limit);
}

// ---------- Segments

export function listSegments(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("segments").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

export function findSegment(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "segments", workspaceId, id);
}

export async function insertSegment(db: DbOrTx, row: Insertable<SegmentTable>) {
  await db.insertInto("segments").values(row).execute();
}

export async function updateSegment(db: DbOrTx, workspaceId: string, id: string, patch: Updateable<SegmentTable>) {
  await updateStamped(db, "segments", workspaceId, id, patch);
}

export function deleteSegment(db: DbOrTx, workspaceId: string, id: string) {
  return deleteById(db, "segments", workspaceId, id);
}

export async function isMember(db: DbOrTx, workspaceId: string, userId: string) {
  const row = await db
    .selectFrom("memberships")
    .select("user_id")
    .where("workspace_id", "=", workspaceId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Boolean(row);
}

// ---------- Imports (src/transfer): the rows a file updates, rewritten in batches

/** Contacts of a workspace that carry one of these external ids or ids. */
export function findContactsByKeys(db: DbOrTx, workspaceId: string, keys: { externalIds: string[]; ids: string[] }) {
  const { externalIds, ids } = keys;
  if (externalIds.length === 0 && ids.length === 0) return Promise.resolve([] as ContactRow[]);
  return db
    .selectFrom("contacts")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) =>
      eb.or([...(externalIds.length ? [eb("external_id", "in", externalIds)] : []), ...(ids.length ? [eb("id", "in", ids)] : [])]),
    )
    .execute();
}

/** Contacts holding any of these email addresses (the emails GIN index). */
export function findContactsByEmails(db: DbOrTx, workspaceId: string, emails: string[]) {
  const wanted = [...new Set(emails)];
  if (wanted.length === 0) return Promise.resolve([] as ContactRow[]);
  return db
    .selectFrom("contacts")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(sql<boolean>`emails && ${sql.val(wanted)}::text[]`)
    .execute();
}

/** Rewrites existing contacts (matched by id) in one statement. */
export async function updateContactsById(db: DbOrTx, rows: NewContactRow[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("contacts")
    .values(rows)
    .onConflict((oc) =>
      oc.columns(["workspace_id", "id"]).doUpdateSet((eb) => {
        const set: Record<string, unknown> = { updated_at: sql`now()`, external_id: eb.ref("excluded.external_id") };
        for (const col of CONTACT_UPSERT_COLUMNS) set[col] = eb.ref(`excluded.${col}`);
        return set as Updateable<ContactTable>;
      }),
    )
    .execute();
}

/** Organizations of a workspace with one of these external ids, ids or names (case-insensitive). */
export function findOrganizationsByKeys(
  db: DbOrTx,
  workspaceId: string,
  keys: { externalIds?: string[]; ids?: string[]; names?: string[] },
) {
  const externalIds = keys.externalIds ?? [];
  const ids = keys.ids ?? [];
  const names = (keys.names ?? []).map((n) => n.toLowerCase());
  if (externalIds.length + ids.length + names.length === 0) return Promise.resolve([] as OrganizationRow[]);
  return db
    .selectFrom("organizations")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb("external_id", "in", externalIds)] : []),
        ...(ids.length ? [eb("id", "in", ids)] : []),
        ...(names.length ? [eb(sql<string>`lower(name)`, "in", names)] : []),
      ]),
    )
    .orderBy("created_at")
    .execute();
}

/** Rewrites existing organizations (matched by id) in one statement. */
export async function updateOrganizationsById(db: DbOrTx, rows: NewOrganizationRow[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("organizations")
    .values(rows)
    .onConflict((oc) =>
      oc.columns(["workspace_id", "id"]).doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        domain: eb.ref("excluded.domain"),
        industry: eb.ref("excluded.industry"),
        size: eb.ref("excluded.size"),
        owner_id: eb.ref("excluded.owner_id"),
        external_id: eb.ref("excluded.external_id"),
        custom: eb.ref("excluded.custom"),
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

/** Names of the contacts and organizations a page of activities points at (two queries, not one per row). */
export async function subjectNames(db: DbOrTx, workspaceId: string, contactIds: string[], organizationIds: string[]) {
  const contacts = await pickByIds(db, "contacts", workspaceId, contactIds, ["id", "name"]);
  const organizations = await pickByIds(db, "organizations", workspaceId, organizationIds, ["id", "name"]);
  return { contacts: new Map(contacts.map((c) => [c.id, c.name])), organizations: new Map(organizations.map((o) => [o.id, o.name])) };
}

/**
 * Refreshes the planner's statistics after a bulk write. PGlite runs no
 * autovacuum, and without statistics a freshly filled table gets nested-loop
 * plans that make every list page (and export) scan the whole table.
 */
export async function analyzeContactTables(db: DbOrTx) {
  await sql`analyze contacts, organizations`.execute(db);
}

// ---------- Finders that throw not_found

export const deleteActivityOrThrow = (...args: Parameters<typeof deleteActivity>) => touchedOrThrow(deleteActivity(...args), "Activity");
export const deleteContactOrThrow = (...args: Parameters<typeof deleteContact>) => touchedOrThrow(deleteContact(...args), "Contact");
export const deleteOrganizationOrThrow = (...args: Parameters<typeof deleteOrganization>) =>
  touchedOrThrow(deleteOrganization(...args), "Organization");
export const deleteSegmentOrThrow = (...args: Parameters<typeof deleteSegment>) => touchedOrThrow(deleteSegment(...args), "Segment");
export const findActivityOrThrow = (...args: Parameters<typeof findActivity>) => orThrow(findActivity(...args), "Activity");
export const findContactOrThrow = (...args: Parameters<typeof findContact>) => orThrow(findContact(...args), "Contact");
export const findCustomFieldOrThrow = (...args: Parameters<typeof findCustomField>) => orThrow(findCustomField(...args), "Custom field");
export const findOrganizationOrThrow = (...args: Parameters<typeof findOrganization>) => orThrow(findOrganization(...args), "Organization");
export const findSegmentOrThrow = (...args: Parameters<typeof findSegment>) => orThrow(findSegment(...args), "Segment");
