import { filterGroupSchema } from "../contracts/crm";
import { invalid } from "../shared/errors";
import type { FieldKind, FilterGroup, FilterOp, ResolvedField } from "../shared/filter";
import type { CustomFieldRow, Entity } from "../store/schema";

// The one filter language of Parley's lists and segments (its syntax tree is in
// contracts/, shared/filter.ts): validated here against an entity's fields; compiled to SQL by the store.
export type { FilterGroup } from "../shared/filter";

export const CONTACT_FILTER_FIELDS: Record<string, FieldKind> = {
  name: "text",
  first_name: "text",
  last_name: "text",
  email: "array",
  phone: "array",
  title: "text",
  lifecycle_stage: "enum",
  owner_id: "uuid",
  organization_id: "uuid",
  tags: "array",
  country: "text",
  city: "text",
  street: "text",
  postal_code: "text",
  region: "text",
  birth_date: "text",
  national_id: "text",
  consent_email: "boolean",
  consent_sms: "boolean",
  consent_tracking: "boolean",
  created_at: "date",
  updated_at: "date",
  external_id: "text",
  has_open_tasks: "flag",
};

export const ORGANIZATION_FILTER_FIELDS: Record<string, FieldKind> = {
  name: "text",
  domain: "text",
  industry: "text",
  size: "text",
  owner_id: "uuid",
  created_at: "date",
  updated_at: "date",
  external_id: "text",
};

const OPS_BY_KIND: Record<FieldKind, readonly FilterOp[]> = {
  text: ["eq", "neq", "contains", "not_contains", "starts_with", "in", "not_in", "is_set", "is_not_set"],
  enum: ["eq", "neq", "in", "not_in"],
  array: ["contains", "not_contains", "has_any", "has_all", "eq", "is_set", "is_not_set"],
  boolean: ["eq", "neq"],
  date: ["eq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  uuid: ["eq", "neq", "in", "not_in", "is_set", "is_not_set"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  flag: ["eq"],
};

export function resolveFilterField(entity: Entity, field: string, customFields: CustomFieldRow[]): ResolvedField {
  if (field.startsWith("custom.")) {
    const key = field.slice("custom.".length);
    const def = customFields.find((f) => f.key === key && f.entity === entity);
    if (!def) throw invalid("filter", `unknown field "${field}"`);
    const kind: FieldKind =
      def.type === "number"
        ? "number"
        : def.type === "date"
          ? "date"
          : def.type === "boolean"
            ? "boolean"
            : def.type === "multiselect"
              ? "array"
              : def.type === "select"
                ? "enum"
                : "text";
    return { kind, column: field, custom: { key: def.key, type: def.type } };
  }
  const fields = entity === "contact" ? CONTACT_FILTER_FIELDS : ORGANIZATION_FILTER_FIELDS;
  const kind = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!kind) throw invalid("filter", `unknown field "${field}"`);
  return { kind, column: field };
}

/** Throws a validation error naming the bad part of a filter; returns it typed otherwise. */
export function validateFilter(entity: Entity, raw: unknown, customFields: CustomFieldRow[]): FilterGroup {
  const parsed = filterGroupSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`filter${issue?.path.length ? `.${issue.path.join(".")}` : ""}`, issue?.message ?? "is invalid");
  }
  const walk = (group: FilterGroup, path: string) => {
    for (const [i, c] of group.conditions.entries()) {
      const here = `${path}.conditions.${i}`;
      if ("conditions" in c) {
        walk(c, here);
        continue;
      }
      const resolved = resolveFilterField(entity, c.field, customFields);
      if (!OPS_BY_KIND[resolved.kind].includes(c.op)) {
        throw invalid(here, `operator "${c.op}" does not apply to ${c.field}`);
      }
      const needsValue = c.op !== "is_set" && c.op !== "is_not_set";
      if (needsValue && (c.value === undefined || c.value === null)) throw invalid(here, `${c.field} ${c.op} needs a value`);
      const listOp = ["in", "not_in", "has_any", "has_all"].includes(c.op);
      if (needsValue && listOp && !Array.isArray(c.value)) throw invalid(here, `${c.op} needs a list value`);
      if (needsValue && !listOp && typeof c.value === "object") throw invalid(here, `${c.op} needs a single value`);
    }
  };
  walk(parsed.data, "filter");
  return parsed.data;
}
