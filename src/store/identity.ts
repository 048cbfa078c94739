import { type Insertable, sql } from "kysely";
import type { DbOrTx } from "./db";
import { orThrow } from "./errors";
import { deleteById, deleteWhere, findById, pickById, updateById } from "./rows";
import type { AutoLinkLevel, DuplicatePairTable, MovedRows } from "./schema-identity";

// SQL of identity resolution: settings, profile links and suggestions,
// duplicate pairs, merges and the generic "move every row of contact B to A".

export type IdentitySettings = {
  auto_link: AutoLinkLevel;
  suggest_threshold: number;
  duplicate_threshold: number | null;
  scanned_at: Date | null;
};

export async function identitySettings(db: DbOrTx, workspaceId: string): Promise<IdentitySettings> {
  const row = await db
    .selectFrom("identity_settings")
    .select(["auto_link", "suggest_threshold", "duplicate_threshold", "scanned_at"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row ?? { auto_link: "strong", suggest_threshold: 0.5, duplicate_threshold: null, scanned_at: null };
}

export async function saveIdentitySettings(db: DbOrTx, workspaceId: string, patch: Partial<IdentitySettings>) {
  await db
    .insertInto("identity_settings")
    .values({ workspace_id: workspaceId, ...patch, updated_at: new Date() })
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet({ ...patch, updated_at: new Date() }))
    .execute();
}

// ---------- profiles

export const PROFILE_COLUMNS = [
  "id",
  "network",
  "network_id",
  "handle",
  "display_name",
  "profile_url",
  "followers",
  "bio",
  "verified",
  "contact_id",
  "link_method",
  "link_evidence",
  "link_confidence",
  "linked_at",
  "linked_by",
  "message_count",
  "first_seen_at",
  "last_seen_at",
] as const;

export function findProfile(db: DbOrTx, workspaceId: string, id: string) {
  return pickById(db, "profiles", workspaceId, id, PROFILE_COLUMNS);
}
export type ProfileRecord = NonNullable<Awaited<ReturnType<typeof findProfile>>>;

export function profilesOfContact(db: DbOrTx, workspaceId: string, contactId: string) {
  return db
    .selectFrom("profiles")
    .select(PROFILE_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("last_seen_at", "desc")
    .orderBy("id")
    .execute();
}

export type ProfileListFilter = {
  workspaceId: string;
  linked?: boolean;
  suggested?: boolean;
  network?: string;
  q?: string;
  after?: { at: Date; id: string };
  limit: number;
};

export function listProfiles(db: DbOrTx, f: ProfileListFilter) {
  let q = db
    .selectFrom("profiles as p")
    .select(PROFILE_COLUMNS.map((c) => `p.${c}` as const))
    .where("p.workspace_id", "=", f.workspaceId);
  if (f.linked === true) q = q.where("p.contact_id", "is not", null);
  if (f.linked === false) q = q.where("p.contact_id", "is", null);
  if (f.network) q = q.where("p.network", "=", f.network);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["p.handle"]), "like", like),
        eb(eb.fn("lower", ["p.display_name"]), "like", like),
        eb(eb.fn("lower", ["p.network_id"]), "like", like),
      ]),
    );
  }
  if (f.suggested) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("profile_suggestions as s")
          .select(sql`1`.as("one"))
          .whereRef("s.workspace_id", "=", "p.workspace_id")
          .whereRef("s.profile_id", "=", "p.id")
          .where("s.status", "=", "pending"),
      ),
    );
  }
  if (f.after) {
    const { at, id } = f.after;
    q = q.where((eb) => eb.or([eb("p.last_seen_at", "<", at), eb.and([eb("p.last_seen_at", "=", at), eb("p.id", ">", id)])]));
  }
  return q.orderBy("p.last_seen_at", "desc").orderBy("p.id").limit(f.limit).execute();
}

export { membersByIds as usersByIds } from "./accounts";

export function recentMessagesOfProfile(db: DbOrTx, workspaceId: string, profileId: string, limit: number) {
  return db
    .selectFrom("messages")
    .select(["id", "text", "posted_at", "conversation_id", "network", "url"])
    .where("workspace_id", "=", workspaceId)
    .where("profile_id", "=", profileId)
    .orderBy("posted_at", "desc")
    .limit(limit)
    .execute();
}

export async function linkProfile(
  db: DbOrTx,
  workspaceId: string,
  profileId: string,
  link: { contact_id: string | null; method: string | null; evidence: string[]; confidence: number | null; by: string | null },
) {
  await db
    .updateTable("profiles")
    .set({
      contact_id: link.contact_id,
      link_method: link.method,
      link_evidence: link.evidence,
      link_confidence: link.confidence,
      linked_at: link.contact_id ? new Date() : null,
      linked_by: link.by,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", profileId)
    .execute();
  if (link.contact_id) {
    await db
      .deleteFrom("profile_suggestions")
      .where("workspace_id", "=", workspaceId)
      .where("profile_id", "=", profileId)
      .where("status", "=", "pending")
      .execute();
  }
}

export type SuggestionInput = { profile_id: string; contact_id: string; score: number; evidence: string[] };

export async function saveSuggestions(db: DbOrTx, workspaceId: string, rows: SuggestionInput[]) {
  if (rows.length === 0) return;
  await db
    .insertInto("profile_suggestions")
    .values(rows.map((r) => ({ workspace_id: workspaceId, ...r })))
    .onConflict((oc) =>
      oc
        .columns(["workspace_id", "profile_id", "contact_id"])
        .doUpdateSet({ score: sql`excluded.score`, evidence: sql`excluded.evidence` })
        .where("profile_suggestions.status", "=", "pending"),
    )
    .execute();
}

export function suggestionsFor(db: DbOrTx, workspaceId: string, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("profile_suggestions as s")
    .innerJoin("contacts as c", (j) => j.onRef("c.workspace_id", "=", "s.workspace_id").onRef("c.id", "=", "s.contact_id"))
    .select(["s.profile_id", "s.contact_id", "s.score", "s.evidence", "c.name as contact_name", "c.emails as contact_emails"])
    .where("s.workspace_id", "=", workspaceId)
    .where("s.profile_id", "in", profileIds)
    .where("s.status", "=", "pending")
    .orderBy("s.score", "desc")
    .execute();
}

export async function dismissSuggestion(db: DbOrTx, workspaceId: string, profileId: string, contactId: string) {
  await db
    .insertInto("profile_suggestions")
    .values({ workspace_id: workspaceId, profile_id: profileId, contact_id: contactId, score: 0, status: "dismissed" })
    .onConflict((oc) => oc.columns(["workspace_id", "profile_id", "contact_id"]).doUpdateSet({ status: "dismissed" }))
    .execute();
}

/** Contacts whose emails include any of these (lower-case) addresses. */
export function contactsByEmails(db: DbOrTx, workspaceId: string, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("contacts")
    .select(["id", "name", "emails"])
    .where("workspace_id", "=", workspaceId)
    .where(sql<boolean>`emails && ${sql.val(emails)}::text[]`)
    .execute();
}

/**
 * Contacts named exactly like any of the given (lower-case) names, in either
 * word order ("jo brown", "brown jo"): the name index answers it at ingest speed;
 * the caller scores the candidates.
 */
export function contactsByNames(db: DbOrTx, workspaceId: string, names: string[], limitPerName = 5) {
  if (names.length === 0) return Promise.resolve([] as Array<{ query: string; id: string; name: string; emails: string[] }>);
  const swapped = names.map((n) => n.split(/\s+/).reverse().join(" "));
  return sql<{ query: string; id: string; name: string; emails: string[] }>`
    select n.query, c.id, c.name, c.emails
    from unnest(${sql.val(names)}::text[], ${sql.val(swapped)}::text[]) as n(query, swapped)
    cross join lateral (
      select id, name, emails from contacts
      where workspace_id = ${workspaceId} and lower(name) in (n.query, n.swapped)
      order by id
      limit ${limitPerName}
    ) c`
    .execute(db)
    .then((r) => r.rows);
}

/** Other linked profiles on any network whose handle or URL matches. */
export function linkedProfilesByHandles(db: DbOrTx, workspaceId: string, handles: string[], urls: string[]) {
  if (handles.length === 0 && urls.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("profiles")
    .select(["id", "network", "handle", "profile_url", "contact_id"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "is not", null)
    .where((eb) =>
      eb.or([
        ...(handles.length ? [eb(eb.fn("lower", ["handle"]), "in", handles)] : []),
        ...(urls.length ? [eb(eb.fn("lower", ["profile_url"]), "in", urls)] : []),
      ]),
    )
    .execute();
}

// ---------- duplicate pairs

export type MatchRow = {
  id: string;
  external_id: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: string[];
  street: string | null;
  address2: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  country: string | null;
  birth_date: string | null;
  national_id: string | null;
  organization: string | null;
  /** Values of the custom fields asked for, by key. */
  custom: Record<string, string>;
};

const UNIT = "\u001f"; // between fields
const RECORD = "\u001e"; // between the values of a list

/**
 * Every contact in pages, only the fields matching compares. A million rows
 * have to come out fast: each row travels as one delimited string (parsing
 * one text column is far cheaper than a dozen typed ones and two arrays), and
 * only the custom fields asked for are read.
 */
export async function* contactsForMatching(db: DbOrTx, workspaceId: string, customKeys: string[] = [], pageSize = 25_000) {
  const fields = [
    sql`c.id::text`,
    sql`coalesce(c.external_id, '')`,
    sql`c.name`,
    sql`coalesce(c.first_name, '')`,
    sql`coalesce(c.last_name, '')`,
    sql`array_to_string(c.emails, ${RECORD})`,
    sql`array_to_string(c.phones, ${RECORD})`, // validated: digits, spaces, + ( ) - . /
    ...["street", "address2", "city", "postal_code", "region", "country", "birth_date", "national_id"].map(
      (f) => sql`coalesce(${sql.ref(`c.${f}`)}, '')`,
    ),
    sql`coalesce(o.name, '')`,
    ...customKeys.map((k) => sql`coalesce(c.custom ->> ${k}, '')`),
  ];
  // A separator typed into a field must not shift the others: each field has them blanked first.
  const line = sql.join(
    fields.map((f, i) => (i === 0 || i === 5 || i === 6 ? f : sql`translate(${f}, ${UNIT + RECORD}, '  ')`)),
    sql` || ${UNIT} || `,
  );
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const r = await sql<{ r: string }>`
      select ${line} as r from contacts c
      left join organizations o on o.workspace_id = c.workspace_id and o.id = c.organization_id
      where c.workspace_id = ${workspaceId} and c.id > ${after}::uuid
      order by c.id limit ${pageSize}`.execute(db);
    if (r.rows.length === 0) return;
    const page: MatchRow[] = r.rows.map(({ r: row }) => {
      const v = row.split(UNIT);
      const s = (i: number) => v[i] || null;
      const list = (i: number) => (v[i] ? (v[i] as string).split(RECORD) : []);
      const custom: Record<string, string> = {};
      customKeys.forEach((k, i) => {
        const x = v[16 + i];
        if (x) custom[k] = x;
      });
      return {
        id: v[0] as string,
        external_id: s(1),
        name: v[2] ?? "",
        first_name: s(3),
        last_name: s(4),
        emails: list(5),
        phones: list(6),
        street: s(7),
        address2: s(8),
        city: s(9),
        postal_code: s(10),
        region: s(11),
        country: s(12),
        birth_date: s(13),
        national_id: s(14),
        organization: s(15),
        custom,
      };
    });
    yield page;
    after = page[page.length - 1]?.id as string;
    if (page.length < pageSize) return;
  }
}

export async function dismissedPairs(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .selectFrom("duplicate_pairs")
    .select(["contact_a", "contact_b"])
    .where("workspace_id", "=", workspaceId)
    .where("status", "=", "dismissed")
    .execute();
  return new Set(rows.map((r) => `${r.contact_a}|${r.contact_b}`));
}

/** Replaces the pending queue with a fresh scan; dismissed pairs stay as they are. */
export async function replacePendingPairs(db: DbOrTx, workspaceId: string, rows: Insertable<DuplicatePairTable>[]) {
  await deleteWhere(db, "duplicate_pairs", workspaceId, "status", "pending");
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto("duplicate_pairs")
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(["workspace_id", "contact_a", "contact_b"]).doNothing())
      .execute();
  }
}

export function listPairs(
  db: DbOrTx,
  f: { workspaceId: string; minScore?: number; contactId?: string; after?: { score: number; id: string }; limit: number },
) {
  let q = db
    .selectFrom("duplicate_pairs")
    .select(["id", "contact_a", "contact_b", "score", "evidence", "status", "created_at"])
    .where("workspace_id", "=", f.workspaceId)
    .where("status", "=", "pending");
  if (f.minScore !== undefined) q = q.where("score", ">=", f.minScore);
  if (f.contactId) {
    const id = f.contactId;
    q = q.where((eb) => eb.or([eb("contact_a", "=", id), eb("contact_b", "=", id)]));
  }
  if (f.after) {
    const { score, id } = f.after;
    q = q.where((eb) => eb.or([eb("score", "<", score), eb.and([eb("score", "=", score), eb("id", ">", id)])]));
  }
  return q.orderBy("score", "desc").orderBy("id").limit(f.limit).execute();
}

export function findPair(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "duplicate_pairs", workspaceId, id);
}

export async function decidePair(db: DbOrTx, workspaceId: string, id: string, by: string | null) {
  await updateById(db, "duplicate_pairs", workspaceId, id, { status: "dismissed", decided_by: by, decided_at: new Date() });
}

// ---------- merges: every row that references a contact moves with it

export type ContactReference = { table: string; column: string; keyColumns: string[] };

/**
 * Every table column that refers to a contact: foreign keys to contacts plus
 * any `contact_id` column, read from the catalog so tables added later are
 * covered without being listed here. Derived tables are left out (they are
 * recomputed): suggestions and duplicate pairs.
 */
export async function contactReferences(db: DbOrTx): Promise<ContactReference[]> {
  const rows = await sql<{ table_name: string; column_name: string; key_columns: string[] }>`
    select c.table_name, c.column_name,
      array(
        select a.attname from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)
      )::text[] as key_columns
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and c.table_name <> 'contacts'
      and (c.column_name = 'contact_id' or exists (
        select 1 from pg_constraint k
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
        where k.contype = 'f' and k.confrelid = 'contacts'::regclass
          and k.conrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
          and a.attname = c.column_name and a.attname <> 'workspace_id'))
    order by c.table_name, c.column_name`.execute(db);
  const derived = new Set(["profile_suggestions", "duplicate_pairs"]);
  return rows.rows
    .filter((r) => !derived.has(r.table_name))
    .map((r) => ({ table: r.table_name, column: r.column_name, keyColumns: r.key_columns.filter((k) => k !== "workspace_id") }));
}

const ident = (name: string) => sql.id(name);

/**
 * Moves one table's rows from contact `from` to `to`. A row that would collide
 * with one `to` already has (a unique key: one vote per idea and person) is
 * removed instead and returned whole, so undo can put it back.
 */
export async function moveReferences(
  db: DbOrTx,
  workspaceId: string,
  ref: ContactReference,
  from: string,
  to: string,
): Promise<{ moved: Array<Record<string, unknown>>; removed: Array<Record<string, unknown>> }> {
  const keys = ref.keyColumns.length ? ref.keyColumns : [ref.column];
  const keyList = sql.join(keys.map(ident));
  const removed: Array<Record<string, unknown>> = [];
  await sql`savepoint parley_move`.execute(db);
  try {
    const res = await sql<Record<string, unknown>>`
      update ${ident(ref.table)} set ${ident(ref.column)} = ${to}
      where workspace_id = ${workspaceId} and ${ident(ref.column)} = ${from}
      returning ${keyList}`.execute(db);
    await sql`release savepoint parley_move`.execute(db);
    return { moved: res.rows, removed };
  } catch (err) {
    await sql`rollback to savepoint parley_move`.execute(db);
    if ((err as { code?: string }).code !== "23505") throw err;
  }
  // Row by row: the ones that collide are set aside.
  const rows = await sql<Record<string, unknown>>`
    select * from ${ident(ref.table)} where workspace_id = ${workspaceId} and ${ident(ref.column)} = ${from}`.execute(db);
  const moved: Array<Record<string, unknown>> = [];
  for (const row of rows.rows) {
    const where = sql.join(
      keys.map((k) => sql`${ident(k)} = ${row[k]}`),
      sql` and `,
    );
    await sql`savepoint parley_move_row`.execute(db);
    try {
      const r = await sql<Record<string, unknown>>`
        update ${ident(ref.table)} set ${ident(ref.column)} = ${to}
        where workspace_id = ${workspaceId} and ${where} returning ${keyList}`.execute(db);
      await sql`release savepoint parley_move_row`.execute(db);
      moved.push(...r.rows);
    } catch (err) {
      await sql`rollback to savepoint parley_move_row`.execute(db);
      if ((err as { code?: string }).code !== "23505") throw err;
      await sql`delete from ${ident(ref.table)} where workspace_id = ${workspaceId} and ${where}`.execute(db);
      removed.push(row);
    }
  }
  return { moved, removed };
}

/** Undo of moveReferences: rows identified by their (post-move) keys go back; removed rows are re-inserted. */
export async function restoreReferences(
  db: DbOrTx,
  workspaceId: string,
  ref: ContactReference,
  to: string,
  from: string,
  moved: Array<Record<string, unknown>>,
  removed: Array<Record<string, unknown>>,
) {
  for (const row of moved) {
    const where = sql.join(
      Object.entries(row).map(([k, v]) => sql`${ident(k)} = ${v}`),
      sql` and `,
    );
    await sql`update ${ident(ref.table)} set ${ident(ref.column)} = ${from}
      where workspace_id = ${workspaceId} and ${ident(ref.column)} = ${to} and ${where}`.execute(db);
  }
  for (const row of removed) {
    await sql`insert into ${ident(ref.table)} select * from json_populate_record(null::${ident(ref.table)}, ${JSON.stringify(row)}::json)
      on conflict do nothing`.execute(db);
  }
}

export async function contactSnapshot(db: DbOrTx, workspaceId: string, id: string) {
  const r = await sql<{ row: Record<string, unknown> }>`
    select row_to_json(c) as row from contacts c where workspace_id = ${workspaceId} and id = ${id}`.execute(db);
  return r.rows[0]?.row;
}

/**
 * Puts a contact row back exactly as snapshotted: overwritten in place when it
 * exists (deleting it would cascade to its timeline), inserted when it does not.
 */
export async function restoreContact(db: DbOrTx, snapshot: Record<string, unknown>) {
  const json = JSON.stringify(snapshot);
  const columns = Object.keys(snapshot).filter((k) => k !== "workspace_id" && k !== "id");
  const list = sql.join(columns.map(ident));
  const updated = await sql`
    update contacts set (${list}) = (select ${list} from json_populate_record(null::contacts, ${json}::json))
    where workspace_id = ${snapshot.workspace_id as string} and id = ${snapshot.id as string}`.execute(db);
  if (Number(updated.numAffectedRows ?? 0) === 0) {
    await sql`insert into contacts select * from json_populate_record(null::contacts, ${json}::json)`.execute(db);
  }
}

export async function deleteContactRow(db: DbOrTx, workspaceId: string, id: string) {
  await deleteById(db, "contacts", workspaceId, id);
}

export function findMerge(db: DbOrTx, workspaceId: string, id: string) {
  return findById(db, "merges", workspaceId, id);
}

export function mergesOf(db: DbOrTx, workspaceId: string, f: { contactId?: string; id?: string } = {}, limit = 100) {
  let q = db
    .selectFrom("merges as m")
    .leftJoin("users as u", "u.id", "m.actor_user_id")
    .select([
      "m.id",
      "m.kept_id",
      "m.merged_id",
      "m.merged_name",
      "m.fields",
      "m.reason",
      "m.actor",
      "u.name as actor_name",
      "m.created_at",
      "m.undone_at",
    ])
    .where("m.workspace_id", "=", workspaceId);
  if (f.id) q = q.where("m.id", "=", f.id);
  if (f.contactId) {
    const id = f.contactId;
    q = q.where((eb) => eb.or([eb("m.kept_id", "=", id), eb("m.merged_id", "=", id)]));
  }
  return q.orderBy("m.created_at", "desc").limit(limit).execute();
}

export async function insertMerge(
  db: DbOrTx,
  row: {
    workspace_id: string;
    id: string;
    kept_id: string;
    merged_id: string;
    merged_name: string;
    fields: Record<string, "keep" | "merge">;
    reason: string | null;
    actor: string;
    actor_user_id: string | null;
    kept_before: Record<string, unknown>;
    merged_before: Record<string, unknown>;
    moved: MovedRows;
  },
) {
  await db
    .insertInto("merges")
    .values({
      ...row,
      fields: JSON.stringify(row.fields),
      kept_before: JSON.stringify(row.kept_before),
      merged_before: JSON.stringify(row.merged_before),
      moved: JSON.stringify(row.moved),
    })
    .execute();
}

export async function markMergeUndone(db: DbOrTx, workspaceId: string, id: string, by: string) {
  await updateById(db, "merges", workspaceId, id, { undone_at: new Date(), undone_by: by });
}

/** Later merges that touched the kept contact: undoing an older one first would not restore a consistent state. */
export function laterMerges(db: DbOrTx, workspaceId: string, contactIds: string[], mergeId: string) {
  return db
    .selectFrom("merges")
    .select(["id", "created_at"])
    .where("workspace_id", "=", workspaceId)
    .where("undone_at", "is", null)
    .where("id", "<>", mergeId)
    .where(
      "created_at",
      ">=",
      db.selectFrom("merges as m").select("m.created_at").where("m.workspace_id", "=", workspaceId).where("m.id", "=", mergeId),
    )
    .where((eb) => eb.or([eb("kept_id", "in", contactIds), eb("merged_id", "in", contactIds)]))
    .execute();
}

// ---------- the person view: one timeline across channels, and what it adds up to

export type TimelineRow = {
  type: string;
  id: string;
  at: Date;
  title: string | null;
  text: string | null;
  network: string | null;
  direction: string | null;
  conversation_id: string | null;
  url: string | null;
  sentiment: string | null;
  labels: string[] | null;
  status: string | null;
  activity_type: string | null;
};

/** The columns only a message has: empty in every other kind of timeline entry. */
const NOT_A_MESSAGE = sql`null::text as network, null::text as direction, null::text as conversation_id, null::text as url,
  null::text as sentiment, null::text[] as labels`;

const WORK_ITEM_ENTRIES = [
  ["case", "cases", "subject"],
  ["deal", "deals", "title"],
] as const;

export async function timelineOf(
  db: DbOrTx,
  f: { workspaceId: string; contactId: string; types: Set<string>; network?: string; before?: { at: Date; id: string }; limit: number },
): Promise<TimelineRow[]> {
  const ws = f.workspaceId;
  const cid = f.contactId;
  const page = (at: string, id: string) =>
    f.before ? sql`and (${sql.raw(at)} < ${f.before.at} or (${sql.raw(at)} = ${f.before.at} and ${sql.raw(id)} < ${f.before.id}))` : sql``;
  const parts = [];
  if (f.types.has("message")) {
    parts.push(sql`
      select 'message' as type, m.id::text as id, m.posted_at as at, m.subject as title, m.text, m.network, m.direction,
        m.conversation_id::text as conversation_id, m.url, m.sentiment, m.labels, null::text as status, null::text as activity_type
      from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
      where m.workspace_id = ${ws} and p.contact_id = ${cid}
        ${f.network ? sql`and m.network = ${f.network}` : sql``} ${page("m.posted_at", "m.id::text")}
      order by m.posted_at desc, m.id desc limit ${f.limit}`);
  }
  if (f.network) return run(db, parts, f.limit);
  if (f.types.has("activity")) {
    parts.push(sql`
      select 'activity' as type, a.id::text as id, a.occurred_at as at, a.subject as title, a.body as text, ${NOT_A_MESSAGE},
        case when a.type = 'task' then (case when a.completed_at is null then 'open' else 'done' end) end as status, a.type as activity_type
      from activities a where a.workspace_id = ${ws} and a.contact_id = ${cid} ${page("a.occurred_at", "a.id::text")}
      order by a.occurred_at desc, a.id desc limit ${f.limit}`);
  }
  if (f.types.has("merge")) {
    parts.push(sql`
      select 'merge' as type, g.id::text as id, g.created_at as at, ('Merged with ' || g.merged_name) as title, g.reason as text,
        ${NOT_A_MESSAGE}, case when g.undone_at is null then 'merged' else 'undone' end as status, null::text as activity_type
      from merges g where g.workspace_id = ${ws} and g.kept_id = ${cid} ${page("g.created_at", "g.id::text")}
      order by g.created_at desc, g.id desc limit ${f.limit}`);
  }
  // Cases and deals: the same columns of two tables that name their title differently.
  for (const [type, table, title] of WORK_ITEM_ENTRIES) {
    if (!f.types.has(type)) continue;
    parts.push(sql`
      select ${sql.lit(type)} as type, w.id::text as id, w.created_at as at, ${sql.ref(`w.${title}`)} as title, null::text as text,
        ${NOT_A_MESSAGE}, w.status::text as status, null::text as activity_type
      from ${sql.table(table)} w where w.workspace_id = ${ws} and w.contact_id = ${cid} ${page("w.created_at", "w.id::text")}
      order by w.created_at desc, w.id desc limit ${f.limit}`);
  }
  if (f.types.has("idea")) {
    parts.push(sql`
      select 'idea' as type, i.id::text as id, v.created_at as at, i.title as title, null::text as text, ${NOT_A_MESSAGE},
        i.status::text as status, null::text as activity_type
      from idea_votes v join ideas i on i.workspace_id = v.workspace_id and i.id = v.idea_id
      where v.workspace_id = ${ws} and v.contact_id = ${cid} ${page("v.created_at", "i.id::text")}
      order by v.created_at desc, i.id desc limit ${f.limit}`);
  }
  return run(db, parts, f.limit);
}

async function run(db: DbOrTx, parts: ReturnType<typeof sql>[], limit: number): Promise<TimelineRow[]> {
  if (parts.length === 0) return [];
  const union = sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  );
  const r = await sql<TimelineRow>`select * from (${union}) t order by at desc, id desc limit ${limit}`.execute(db);
  return r.rows;
}

export async function contactMessageStats(db: DbOrTx, workspaceId: string, contactId: string) {
  const weekly = await sql<{ period: string; average: number; count: number }>`
    select to_char(date_trunc('week', m.posted_at at time zone 'UTC'), 'YYYY-MM-DD') as period,
      avg(case m.sentiment when 'positive' then 1 when 'negative' then -1 else 0 end)::float8 as average,
      count(*)::int as count
    from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    where m.workspace_id = ${workspaceId} and p.contact_id = ${contactId} and m.direction = 'inbound' and m.sentiment is not null
    group by 1 order by 1`.execute(db);
  const networks = await sql<{ network: string; count: number }>`
    select m.network, count(*)::int as count
    from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    where m.workspace_id = ${workspaceId} and p.contact_id = ${contactId}
    group by 1 order by 2 desc`.execute(db);
  const totals = await sql<{
    messages: number;
    last_at: Date | null;
    reposts: number;
    copies: number;
    recent_negative: number;
    recent: number;
    churn: number;
    praise: number;
  }>`
    select count(*)::int as messages, max(m.posted_at) as last_at,
      coalesce(sum(m.repost_count), 0)::int as reposts, coalesce(sum(m.duplicate_count), 0)::int as copies,
      count(*) filter (where m.sentiment = 'negative' and m.posted_at > now() - interval '30 days')::int as recent_negative,
      count(*) filter (where m.posted_at > now() - interval '30 days')::int as recent,
      count(*) filter (where 'churn_risk' = any(m.labels))::int as churn,
      count(*) filter (where 'praise' = any(m.labels))::int as praise
    from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    where m.workspace_id = ${workspaceId} and p.contact_id = ${contactId} and m.direction = 'inbound'`.execute(db);
  return { weekly: weekly.rows, networks: networks.rows, totals: totals.rows[0] };
}

// ---------- Finders that throw not_found

export const findMergeOrThrow = (...args: Parameters<typeof findMerge>) => orThrow(findMerge(...args), "Merge");
export const findPairOrThrow = (...args: Parameters<typeof findPair>) => orThrow(findPair(...args), "Duplicate pair");
export const findProfileOrThrow = (...args: Parameters<typeof findProfile>) => orThrow(findProfile(...args), "Profile");
