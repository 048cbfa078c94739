// The syntax tree of Parley's one filter language (lists and segments): nested
// AND/OR groups of {field, op, value}, defined with the API contracts. crm/
// validates a filter against the fields of an entity; store/ compiles the
// validated tree to SQL through the resolved fields declared here.

export type { FilterCondition, FilterGroup } from "../contracts/crm";
export { FILTER_OPS, type FilterOp } from "../contracts/enums";

export type FieldKind = "text" | "enum" | "array" | "boolean" | "date" | "uuid" | "number" | "flag";

/** A filter field resolved against an entity: its kind, and for a custom field its key and declared type. */
export type ResolvedField = { kind: FieldKind; column: string; custom?: { key: string; type: string } };
