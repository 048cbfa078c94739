import { type Kysely, type Selectable, type SelectQueryBuilder, type SqlBool, sql, type Updateable } from "kysely";
import type { DbOrTx } from "./db";
import type { Database } from "./schema";

// The queries every workspace table answers alike — one row by id, rows by ids, a
// record's history oldest first, an update or a delete of one row — written once,
// so each store file only names its table.

/** Tables whose rows belong to a workspace. */
export type WorkspaceTable = { [K in keyof Database]: Database[K] extends { workspace_id: unknown } ? K : never }[keyof Database];
/** Tables whose rows carry a workspace_id and an id. */
export type ScopedTable = { [K in keyof Database]: Database[K] extends { workspace_id: unknown; id: unknown } ? K : never }[keyof Database];
/** Scoped tables that stamp their rows' last change in updated_at. */
export type StampedTable = { [K in ScopedTable]: Database[K] extends { updated_at: unknown } ? K : never }[ScopedTable];
type Row<T extends ScopedTable> = Selectable<Database[T]>;
type ColumnOf<T extends WorkspaceTable> = keyof Database[T] & keyof Selectable<Database[T]> & string;

// Kysely cannot follow a column through a union of tables; every table here has
// the columns these queries name, so they run over this one shape.
type AnyScopedRow = { workspace_id: string; id: string; created_at: Date; updated_at: Date };
const scoped = (db: DbOrTx) => db as unknown as Kysely<{ t: AnyScopedRow }>;
const oneTable = (table: WorkspaceTable) => table as "t";

export function findById<T extends ScopedTable>(db: DbOrTx, table: T, workspaceId: string, id: string): Promise<Row<T> | undefined> {
  return scoped(db)
    .selectFrom(oneTable(table))
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst() as Promise<Row<T> | undefined>;
}

export async function findByIds<T extends ScopedTable>(db: DbOrTx, table: T, workspaceId: string, ids: string[]): Promise<Row<T>[]> {
  if (ids.length === 0) return [];
  return (await scoped(db)
    .selectFrom(oneTable(table))
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute()) as Row<T>[];
}

/** Some columns of one row. */
export function pickById<T extends ScopedTable, C extends ColumnOf<T>>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  id: string,
  columns: readonly C[],
): Promise<Pick<Row<T>, C> | undefined> {
  return scoped(db)
    .selectFrom(oneTable(table))
    .select(columns as unknown as "id"[])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst() as Promise<Pick<Row<T>, C> | undefined>;
}

/** Some columns of the rows with these ids. */
export async function pickByIds<T extends ScopedTable, C extends ColumnOf<T>>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  ids: string[],
  columns: readonly C[],
): Promise<Pick<Row<T>, C>[]> {
  if (ids.length === 0) return [];
  return (await scoped(db)
    .selectFrom(oneTable(table))
    .select(columns as unknown as "id"[])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute()) as Pick<Row<T>, C>[];
}

/** The rows that record what happened to one parent (`column` = its id), oldest first. */
export async function historyOf<T extends ScopedTable>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  column: ColumnOf<T>,
  parentId: string,
): Promise<Row<T>[]> {
  return (await scoped(db)
    .selectFrom(oneTable(table))
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(column as "id", "=", parentId)
    .orderBy("created_at")
    .orderBy("id")
    .execute()) as Row<T>[];
}

/** Changes the workspace's rows whose `column` is `value`; an empty patch changes nothing. Returns how many changed. */
export async function updateWhere<T extends WorkspaceTable>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  column: ColumnOf<T>,
  value: string | boolean,
  patch: Updateable<Database[T]>,
): Promise<number> {
  if (Object.keys(patch).length === 0) return 0;
  const res = await scoped(db)
    .updateTable(oneTable(table))
    .set(patch as Updateable<AnyScopedRow>)
    .where("workspace_id", "=", workspaceId)
    .where(column as "id", "=", value as string)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Changes one row; an empty patch changes nothing. Returns how many rows changed (0 or 1). */
export function updateById<T extends ScopedTable>(db: DbOrTx, table: T, workspaceId: string, id: string, patch: Updateable<Database[T]>) {
  return updateWhere(db, table, workspaceId, "id" as ColumnOf<T>, id, patch);
}

/** Changes one row and stamps updated_at (even for an empty patch: the row was saved). */
export function updateStamped<T extends StampedTable>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  id: string,
  patch: Updateable<Database[T]>,
) {
  return updateById(db, table, workspaceId, id, { ...patch, updated_at: sql`now()` } as Updateable<Database[T]>);
}

/** Deletes the workspace's rows whose `column` is `value`; returns how many went. */
export async function deleteWhere<T extends WorkspaceTable>(
  db: DbOrTx,
  table: T,
  workspaceId: string,
  column: ColumnOf<T>,
  value: string | boolean,
): Promise<number> {
  const res = await scoped(db)
    .deleteFrom(oneTable(table))
    .where("workspace_id", "=", workspaceId)
    .where(column as "id", "=", value as string)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes one row; returns how many went (0 or 1), for touchedOrThrow. */
export function deleteById(db: DbOrTx, table: ScopedTable, workspaceId: string, id: string): Promise<number> {
  return deleteWhere(db, table, workspaceId, "id", id);
}

/**
 * One page of a list newest (largest `column`) first, ties broken by id: the rows
 * after the cursor [value of column, id] of the previous page's last row.
 */
export function pageDescending<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  column: string,
  cast: "timestamptz" | "integer",
  after: [string | number, string] | undefined,
  limit: number,
) {
  const col = sql.ref(column);
  const rest = after ? q.where(sql<SqlBool>`(${col}, id) < (${after[0]}::${sql.raw(cast)}, ${after[1]}::uuid)`) : q;
  return rest.orderBy(col, "desc").orderBy(sql.ref("id"), "desc").limit(limit).execute();
}
