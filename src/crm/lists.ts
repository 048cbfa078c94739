import { invalid } from "../shared/errors";
import type { ListSort } from "../store/crm";
import { builtinSortNames, compileFilter, searchCondition, sortColumn, type WhereClause } from "../store/filter-sql";
import type { CustomFieldRow, Entity } from "../store/schema";
import { type FilterGroup, resolveFilterField, validateFilter } from "./filter";

// Shared pieces of the contact and organization lists: the sort, the filter and
// search params (their SQL is built by store/filter-sql.ts).

export type ListParams = {
  q?: string;
  filter?: unknown;
  sort?: string;
  cursor?: string;
  limit?: number;
};

export function resolveSort(entity: Entity, raw: string | undefined, fields: CustomFieldRow[]): ListSort & { key: string } {
  const key = raw?.trim() || "name";
  const desc = key.startsWith("-");
  const name = desc ? key.slice(1) : key;
  const builtin = sortColumn(entity, name);
  if (builtin) return { ...builtin, desc, key };
  if (name.startsWith("custom.")) {
    const def = fields.find((f) => f.entity === entity && f.key === name.slice(7));
    const custom = def && sortColumn(entity, name, { key: def.key, type: def.type });
    if (custom) return { ...custom, desc, key };
  }
  const options = [...builtinSortNames(entity), "custom.<key>"].join(", ");
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

export function filterClauses(entity: Entity, rawFilter: unknown, fields: CustomFieldRow[]): { group?: FilterGroup; where: WhereClause[] } {
  if (rawFilter === undefined) return { where: [] };
  const group = validateFilter(entity, rawFilter, fields);
  return {
    group,
    where: [compileFilter(entity, group, (field) => resolveFilterField(entity, field, fields))],
  };
}

export function searchClause(entity: Entity, q: string | undefined): WhereClause[] {
  const term = q?.trim().toLowerCase();
  return term ? [searchCondition(entity, term)] : [];
}
