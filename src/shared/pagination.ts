import { invalid } from "./errors";

// Cursor pagination shared by every list of the API: opaque base64url cursors
// and the page-size rule.

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

/** A cursor for keyset pagination on (sort value, id), tagged with the sort it belongs to. */
export function encodeCursor(sortKey: string, value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([sortKey, v, id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, sortKey: string): [unknown, string] | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === sortKey && typeof parsed[2] === "string") {
      return [parsed[1], parsed[2]];
    }
  } catch {
    // fall through to the error below
  }
  throw invalid("cursor", "is not a cursor of this list and sort order (start again without it)");
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid("limit", `must be 1 to ${MAX_PAGE}`);
  return limit;
}

/** A cursor for newest-first lists keyed on (timestamp, id). */
export const timeCursor = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");

export function decodeTimeCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // below
  }
  throw invalid("cursor", "is not a cursor of this list");
}

/**
 * One page of a newest-first list keyed on (timestamp, id): `fetch` gets the decoded cursor and
 * limit + 1, `at` names the row's timestamp that the next cursor carries.
 */
export async function timePage<Row extends { id: string }, Out>(
  params: { cursor?: string; limit?: number },
  fetch: (page: { after: [string, string] | undefined; limit: number }) => Promise<Row[]>,
  present: (row: Row) => Out,
  at: (row: Row) => Date,
) {
  const limit = params.limit ?? DEFAULT_PAGE;
  const rows = await fetch({ after: decodeTimeCursor(params.cursor), limit: limit + 1 });
  return pageOf(rows, limit, present, (r) => timeCursor(at(r), r.id));
}

/** One page of a list fetched with limit + 1 rows: the extra row says whether more follow. */
export function pageOf<Row, Out>(rows: Row[], limit: number, present: (row: Row) => Out, cursorAfter: (row: Row) => string) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(present), next_cursor: rows.length > limit && last ? cursorAfter(last) : null };
}
