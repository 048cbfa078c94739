import type { ColumnType } from "kysely";

// Column types the schema files share: how a column reads, inserts and updates, written once.

/** A timestamp the database fills in when an insert leaves it out. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A timestamp that may be null and is null unless an insert sets it. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A json/jsonb column: written as a value or as its JSON text. */
export type Json<T> = ColumnType<T, T | string, T | string>;
/** A column with a database default: optional on insert. */
export type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A nullable column: optional on insert, null by default. */
export type Opt<T> = ColumnType<T | null, T | null | undefined, T | null>;
