import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { FilterCondition, FilterGroup, ResolvedField } from "../shared/filter";

// Compiles a validated filter (crm/filter.ts) to a SQL boolean over alias `t`.
// Every value is a bound parameter; only whitelisted identifiers are spliced.

type Resolver = (field: string) => ResolvedField;

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (m) => `\\${m}`);

function columnRef(entity: "contact" | "organization", field: ResolvedField): RawBuilder<unknown> {
  if (field.custom) {
    const key = field.custom.key;
    switch (field.custom.type) {
      case "number":
        return sql`(t.custom->>${key})::numeric`;
      case "boolean":
        return sql`(t.custom->>${key})::boolean`;
      case "multiselect":
        return sql`(t.custom->${key})`;
      default:
        return sql`(t.custom->>${key})`;
    }
  }
  if (entity === "contact" && field.column === "email") return sql.ref("t.emails");
  if (entity === "contact" && field.column === "phone") return sql.ref("t.phones");
  return sql.ref(`t.${field.column}`);
}

function compileCondition(entity: "contact" | "organization", c: FilterCondition, resolve: Resolver): RawBuilder<SqlBool> {
  const f = resolve(c.field);
  const col = columnRef(entity, f);
  const v = c.value;
  if (f.kind === "flag") {
    // has_open_tasks
    const exists = sql<SqlBool>`exists (select 1 from activities a where a.workspace_id = t.workspace_id
      and a.contact_id = t.id and a.type = 'task' and a.completed_at is null)`;
    return v === true || v === "true" ? exists : sql<SqlBool>`not ${exists}`;
  }
  if (f.kind === "array") {
    const isJson = Boolean(f.custom);
    const list = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    const normalized = c.field === "email" ? list.map((x) => x.toLowerCase()) : list;
    switch (c.op) {
      case "eq":
      case "contains":
        if (c.field === "email" && c.op === "contains") {
          return sql<SqlBool>`exists (select 1 from unnest(t.emails) e where e like ${`%${escapeLike(String(v).toLowerCase())}%`})`;
        }
        return isJson
          ? sql<SqlBool>`coalesce(jsonb_exists(${col}, ${normalized[0]}), false)`
          : sql<SqlBool>`${col} @> ${normalized}::text[]`;
      case "not_contains":
        return isJson
          ? sql<SqlBool>`not coalesce(jsonb_exists(${col}, ${normalized[0]}), false)`
          : sql<SqlBool>`not (${col} @> ${normalized}::text[])`;
      case "has_any":
        return isJson
          ? sql<SqlBool>`coalesce(jsonb_exists_any(${col}, ${normalized}::text[]), false)`
          : sql<SqlBool>`${col} && ${normalized}::text[]`;
      case "has_all":
        return isJson
          ? sql<SqlBool>`coalesce(jsonb_exists_all(${col}, ${normalized}::text[]), false)`
          : sql<SqlBool>`${col} @> ${normalized}::text[]`;
      case "is_set":
        return isJson ? sql<SqlBool>`coalesce(jsonb_array_length(${col}) > 0, false)` : sql<SqlBool>`cardinality(${col}) > 0`;
      case "is_not_set":
        return isJson ? sql<SqlBool>`coalesce(jsonb_array_length(${col}), 0) = 0` : sql<SqlBool>`cardinality(${col}) = 0`;
      default:
        break;
    }
  }
  if (c.op === "is_set") return f.kind === "text" ? sql<SqlBool>`coalesce(${col}::text, '') <> ''` : sql<SqlBool>`${col} is not null`;
  if (c.op === "is_not_set") return f.kind === "text" ? sql<SqlBool>`coalesce(${col}::text, '') = ''` : sql<SqlBool>`${col} is null`;

  const cast = (x: unknown): RawBuilder<unknown> => {
    switch (f.kind) {
      case "number":
        return sql`${Number(x)}::numeric`;
      case "date":
        return f.custom ? sql`${String(x)}::text` : sql`${String(x)}::timestamptz`;
      case "boolean":
        return sql`${x === true || x === "true"}::boolean`;
      case "uuid":
        return sql`${String(x)}::uuid`;
      default:
        return sql`${String(x)}::text`;
    }
  };
  const ci = f.kind === "text"; // text compares ignore case
  const lhs = ci ? sql`lower(${col})` : col;
  const rhs = (x: unknown) => (ci ? sql`lower(${cast(x)})` : cast(x));
  switch (c.op) {
    case "eq":
      return sql<SqlBool>`${lhs} = ${rhs(v)}`;
    case "neq":
      return sql<SqlBool>`${lhs} is distinct from ${rhs(v)}`;
    case "gt":
      return sql<SqlBool>`${lhs} > ${rhs(v)}`;
    case "gte":
      return sql<SqlBool>`${lhs} >= ${rhs(v)}`;
    case "lt":
      return sql<SqlBool>`${lhs} < ${rhs(v)}`;
    case "lte":
      return sql<SqlBool>`${lhs} <= ${rhs(v)}`;
    case "contains":
      return sql<SqlBool>`${col} ilike ${`%${escapeLike(String(v))}%`}`;
    case "not_contains":
      return sql<SqlBool>`coalesce(${col}, '') not ilike ${`%${escapeLike(String(v))}%`}`;
    case "starts_with":
      return sql<SqlBool>`${col} ilike ${`${escapeLike(String(v))}%`}`;
    case "in":
    case "not_in": {
      const items = (v as unknown[]).map((x) => rhs(x));
      const expr = items.length ? sql<SqlBool>`${lhs} in (${sql.join(items)})` : sql<SqlBool>`false`;
      return c.op === "in" ? expr : sql<SqlBool>`not coalesce(${expr}, false)`;
    }
    default:
      return sql<SqlBool>`true`;
  }
}

export function compileFilter(entity: "contact" | "organization", group: FilterGroup, resolve: Resolver): RawBuilder<SqlBool> {
  if (group.conditions.length === 0) return sql<SqlBool>`true`;
  const parts = group.conditions.map((c) => ("conditions" in c ? compileFilter(entity, c, resolve) : compileCondition(entity, c, resolve)));
  const joiner = group.match === "any" ? sql` or ` : sql` and `;
  return sql<SqlBool>`(${sql.join(parts, joiner)})`;
}

// ---------- Sorts and free-text search of the contact and organization lists

type SortableEntity = "contact" | "organization";
export type SortColumn = { expr: RawBuilder<unknown>; kind: "text" | "timestamp" | "numeric" };
/** One condition of a list's WHERE, over alias `t`. */
export type WhereClause = RawBuilder<SqlBool>;

/** Sorts every list has: both tables have a name and the two timestamps. */
const COMMON_SORTS: Record<string, SortColumn> = {
  name: { expr: sql`lower(t.name)`, kind: "text" },
  created_at: { expr: sql`t.created_at`, kind: "timestamp" },
  updated_at: { expr: sql`t.updated_at`, kind: "timestamp" },
};

const BUILTIN_SORTS: Record<SortableEntity, Record<string, SortColumn>> = {
  contact: {
    ...COMMON_SORTS,
    country: { expr: sql`coalesce(t.country, '')`, kind: "text" },
    city: { expr: sql`coalesce(t.city, '')`, kind: "text" },
    lifecycle_stage: { expr: sql`t.lifecycle_stage`, kind: "text" },
    title: { expr: sql`coalesce(t.title, '')`, kind: "text" },
  },
  organization: {
    ...COMMON_SORTS,
    domain: { expr: sql`coalesce(t.domain, '')`, kind: "text" },
    industry: { expr: sql`coalesce(t.industry, '')`, kind: "text" },
  },
};

/** The built-in fields a list of this entity sorts by. */
export const builtinSortNames = (entity: SortableEntity) => Object.keys(BUILTIN_SORTS[entity]);

/** The sort expression of a built-in field, or of a custom field (given its key and type); undefined if not sortable. */
export function sortColumn(entity: SortableEntity, name: string, custom?: { key: string; type: string }): SortColumn | undefined {
  if (custom) {
    if (custom.type === "number")
      return { expr: sql`coalesce((t.custom->>${custom.key})::numeric, '-Infinity'::numeric)`, kind: "numeric" };
    return { expr: sql`coalesce(t.custom->>${custom.key}, '')`, kind: "text" };
  }
  return BUILTIN_SORTS[entity][name];
}

/** Free-text search: a contact's search text, an organization's name or domain. */
export function searchCondition(entity: SortableEntity, term: string): WhereClause {
  const like = `%${escapeLike(term)}%`;
  if (entity === "contact") return sql<SqlBool>`t.search like ${like}`;
  return sql<SqlBool>`(lower(t.name) like ${like} or lower(coalesce(t.domain, '')) like ${like})`;
}
