// The syntax tree of Parley's one filter language (lists and segments): nested
// AND/OR groups of {field, op, value}. crm/ validates a filter against the
// fields of an entity; store/ compiles the validated tree to SQL.

export const FILTER_OPS = [
  "eq",
  "neq",
  "contains",
  "not_contains",
  "starts_with",
  "in",
  "not_in",
  "gt",
  "gte",
  "lt",
  "lte",
  "is_set",
  "is_not_set",
  "has_any",
  "has_all",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterCondition = { field: string; op: FilterOp; value?: unknown };
export type FilterGroup = { match: "all" | "any"; conditions: Array<FilterCondition | FilterGroup> };

export type FieldKind = "text" | "enum" | "array" | "boolean" | "date" | "uuid" | "number" | "flag";

/** A filter field resolved against an entity: its kind, and for a custom field its key and declared type. */
export type ResolvedField = { kind: FieldKind; column: string; custom?: { key: string; type: string } };
