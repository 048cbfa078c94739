import { type RawBuilder, type SqlBool, sql } from "kysely";
import { invalid } from "../shared/errors";
import type { ListSort } from "../store/crm";
import { compileFilter } from "../store/filter-sql";
import type { CustomFieldRow, Entity } from "../store/schema";
import { type FilterGroup, resolveFilterField, validateFilter } from "./filter";

// Shared pieces of every list: sorting, cursors and the common filter params.

export type ListParams = {
  q?: string;
  filter?: unknown;
  sort?: string;
  cursor?: string;
  limit?: number;
};

const BUILTIN_SORTS: Record<Entity, Record<string, { expr: RawBuilder<unknown>; kind: ListSort["kind"] }>> = {
  contact: {
    name: { expr: sql`lower(t.name)`, kind: "text" },
    created_at: { expr: sql`t.created_at`, kind: "timestamp" },
    updated_at: { expr: sql`t.updated_at`, kind: "timestamp" },
    country: { expr: sql`coalesce(t.country, '')`, kind: "text" },
    city: { expr: sql`coalesce(t.city, '')`, kind: "text" },
    lifecycle_stage: { expr: sql`t.lifecycle_stage`, kind: "text" },
    title: { expr: sql`coalesce(t.title, '')`, kind: "text" },
  },
  organization: {
    name: { expr: sql`lower(t.name)`, kind: "text" },
    created_at: { expr: sql`t.created_at`, kind: "timestamp" },
    updated_at: { expr: sql`t.updated_at`, kind: "timestamp" },
    domain: { expr: sql`coalesce(t.domain, '')`, kind: "text" },
    industry: { expr: sql`coalesce(t.industry, '')`, kind: "text" },
  },
};

export function resolveSort(entity: Entity, raw: string | undefined, fields: CustomFieldRow[]): ListSort & { key: string } {
  const key = raw?.trim() || "name";
  const desc = key.startsWith("-");
  const name = desc ? key.slice(1) : key;
  const builtin = BUILTIN_SORTS[entity][name];
  if (builtin) return { ...builtin, desc, key };
  if (name.startsWith("custom.")) {
    const def = fields.find((f) => f.entity === entity && f.key === name.slice(7));
    if (def) {
      if (def.type === "number") {
        return { expr: sql`coalesce((t.custom->>${def.key})::numeric, '-Infinity'::numeric)`, kind: "numeric", desc, key };
      }
      return { expr: sql`coalesce(t.custom->>${def.key}, '')`, kind: "text", desc, key };
    }
  }
  const options = [...Object.keys(BUILTIN_SORTS[entity]), "custom.<key>"].join(", ");
  throw invalid("sort", `cannot sort by "${name}"; use one of ${options}, with - for descending`);
}

export function parseFilterParam(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid("filter", "is not valid JSON");
  }
}

export function filterClauses(
  entity: Entity,
  rawFilter: unknown,
  fields: CustomFieldRow[],
): { group?: FilterGroup; where: RawBuilder<SqlBool>[] } {
  if (rawFilter === undefined) return { where: [] };
  const group = validateFilter(entity, rawFilter, fields);
  return {
    group,
    where: [compileFilter(entity, group, (field) => resolveFilterField(entity, field, fields))],
  };
}

export function searchClause(entity: Entity, q: string | undefined): RawBuilder<SqlBool>[] {
  const term = q?.trim().toLowerCase();
  if (!term) return [];
  const like = `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  if (entity === "contact") return [sql<SqlBool>`t.search like ${like}`];
  return [sql<SqlBool>`(lower(t.name) like ${like} or lower(coalesce(t.domain, '')) like ${like})`];
}
