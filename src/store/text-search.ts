import { type RawBuilder, type SqlBool, sql } from "kysely";

/**
 * The stemming configurations a message's search vector may hold beside its
 * words as written (migration 021 picks one by the message's language). A query
 * is read in each of them, since the language it was typed in is unknown.
 */
const STEMMED = ["english", "german", "french", "spanish", "portuguese", "italian", "dutch"] as const;

/** A word typed with a trailing `*`: a prefix to match. */
const PREFIX = /(?:^|\s)([\p{L}\p{N}]+)\*(?=\s|$)/gu;
/** A word typed with a leading `-`: no form of it may appear. */
const EXCLUDED = /(?:^|\s)-([\p{L}\p{N}]+)(?=\s|$)/gu;

/** A text read as written and in every stemming configuration, any reading matching. */
function readings(text: string): RawBuilder<unknown> {
  const each = [
    sql`websearch_to_tsquery('simple', ${text})`,
    ...STEMMED.map((cfg) => sql`websearch_to_tsquery(${sql.lit(cfg)}::regconfig, ${text})`),
  ];
  return sql`(${sql.join(each, sql` || `)})`;
}

/**
 * `column @@ query` for a search box: the words match as written or as any word
 * form of the message's language ("refund" finds "refunds", "refunded"), with
 * web-search syntax ("quoted phrase", or, -word), and `refund*` matches every
 * word that starts with "refund".
 */
export function matchesSearch(column: RawBuilder<unknown>, query: string): RawBuilder<SqlBool> {
  const prefixes = [...query.matchAll(PREFIX)].map((m) => m[1] as string);
  const excluded = [...query.matchAll(EXCLUDED)].map((m) => m[1] as string);
  const rest = query.replace(PREFIX, " ").replace(EXCLUDED, " ").trim();
  const parts: RawBuilder<unknown>[] = [];
  if (rest) parts.push(readings(rest));
  // Excluded words are taken out of the readings: read in another language, "-orders"
  // would otherwise exclude a stem ("ord") that the message does not hold, and match.
  for (const word of excluded) parts.push(sql`!! ${readings(word)}`);
  // Only letters and digits reach to_tsquery, so its syntax cannot be injected.
  for (const p of prefixes) parts.push(sql`to_tsquery('simple', ${`${p}:*`})`);
  if (parts.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`${column} @@ (${sql.join(parts, sql` && `)})`;
}
