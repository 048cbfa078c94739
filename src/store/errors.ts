import { AppError, notFound } from "../shared/errors";

// Database errors become AppErrors here, so domain code never sees a
// PostgreSQL error code; and the "OrThrow" finders share one not-found rule.

const PG_UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === PG_UNIQUE_VIOLATION;
}

/**
 * Runs a write whose unique key a user can collide with: a duplicate becomes a
 * conflict naming the field (`detail` is the field-level message when it differs).
 */
export async function onDuplicate<T>(write: Promise<T>, field: string, message: string, detail = message): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `${field}: ${message}`, [{ field, message: detail }]);
    throw err;
  }
}

/** The row, or a not_found error naming what was missing. */
export async function orThrow<T>(row: Promise<T | undefined | null>, what: string): Promise<T> {
  const found = await row;
  if (found === undefined || found === null) throw notFound(what);
  return found;
}

/** A delete or update that must have touched a row: 0 rows is not_found. */
export async function touchedOrThrow(count: Promise<number | bigint>, what: string): Promise<void> {
  if (Number(await count) === 0) throw notFound(what);
}
