import { z } from "zod";
import { idParams, jsonObject, listOf, pageOf, queryBool, type Response, timestamp } from "./common";
import { ACTIVITY_TYPES, CUSTOM_FIELD_TYPES, ENTITIES, FILTER_OPS, type FilterOp, LIFECYCLE_STAGES } from "./enums";

// Contacts, organizations, activities, custom fields and segments: what the API, the CLI
// and the importers accept, and what the API answers.

export { idParams };

/** Address, birth date and national id: the fields contact dedupe compares beyond names, emails and phones. */
export const PERSON_FIELDS = ["street", "address2", "postal_code", "region", "birth_date", "national_id"] as const;

/** A real calendar day written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullable().optional();

// ---------- The filter language of lists and segments: nested AND/OR groups of {field, op, value}

export type FilterCondition = { field: string; op: FilterOp; value?: unknown };
export type FilterGroup = { match: "all" | "any"; conditions: Array<FilterCondition | FilterGroup> };

const conditionSchema = z.object({ field: z.string().min(1), op: z.enum(FILTER_OPS), value: z.unknown().optional() }).strict();

export const filterGroupSchema: z.ZodType<FilterGroup> = z.lazy(() =>
  z
    .object({
      match: z.enum(["all", "any"]).default("all"),
      conditions: z.array(z.union([conditionSchema, filterGroupSchema])).max(50),
    })
    .strict(),
) as z.ZodType<FilterGroup>;

// ---------- Requests

export const contactInputSchema = z
  .object({
    name: optionalText(300),
    first_name: optionalText(150),
    last_name: optionalText(150),
    emails: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .pipe(z.email({ message: "must be an email address" })),
      )
      .max(20)
      .optional(),
    phones: z
      .array(
        text(40).regex(/^\+?[0-9 ().\-/]{3,40}(\s*(x|ext\.?)\s*\d+)?$/i, {
          message: "must be a phone number (digits, spaces, + ( ) - .)",
        }),
      )
      .max(20)
      .optional(),
    organization_id: z.uuid().nullable().optional(),
    title: optionalText(200),
    lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional(),
    owner_id: z.uuid().nullable().optional(),
    tags: z.array(text(60).min(1)).max(100).optional(),
    consent_email: z.boolean().optional(),
    consent_sms: z.boolean().optional(),
    consent_tracking: z.boolean().optional(),
    city: optionalText(120),
    country: optionalText(80),
    street: optionalText(300),
    address2: optionalText(300),
    postal_code: optionalText(20),
    region: optionalText(120),
    birth_date: z.string().trim().refine(isCalendarDate, { message: "must be a date (YYYY-MM-DD)" }).nullable().optional(),
    national_id: optionalText(60),
    notes: optionalText(20_000),
    external_id: optionalText(200),
    custom: z.record(z.string(), z.unknown()).optional(),
    /** An email of an erased person is refused (409) unless staff confirm the person came back of their own accord (audited). */
    confirm_erased: z.boolean().optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactInputSchema>;

export const organizationInputSchema = z
  .object({
    name: text(300).min(1),
    domain: optionalText(253),
    industry: optionalText(120),
    size: optionalText(40),
    owner_id: z.uuid().nullable().optional(),
    external_id: optionalText(200),
    custom: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type OrganizationInput = z.infer<typeof organizationInputSchema>;
export const organizationPatchSchema = organizationInputSchema.partial().strict();
export type OrganizationPatch = z.infer<typeof organizationPatchSchema>;

export const customFieldInputSchema = z
  .object({
    entity: z.enum(ENTITIES),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { message: "must be lowercase letters, digits and _ (start with a letter)" }),
    label: text(120).min(1),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(text(120).min(1)).max(200).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CustomFieldInput = z.infer<typeof customFieldInputSchema>;
export const customFieldPatchSchema = z
  .object({
    label: text(120).min(1).optional(),
    options: z.array(text(120).min(1)).max(200).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CustomFieldPatch = z.infer<typeof customFieldPatchSchema>;

const isoDateTime = z.iso.datetime({ offset: true }).or(z.iso.date());

export const activityInputSchema = z
  .object({
    type: z.enum(ACTIVITY_TYPES),
    subject: optionalText(300),
    body: optionalText(50_000),
    occurred_at: isoDateTime.optional(),
    due_at: isoDateTime.nullable().optional(),
    assignee_id: z.uuid().nullable().optional(),
    completed: z.boolean().optional(),
  })
  .strict();
export type ActivityInput = z.infer<typeof activityInputSchema>;
export const activityPatchSchema = activityInputSchema.omit({ type: true }).partial().strict();
export type ActivityPatch = z.infer<typeof activityPatchSchema>;

export const segmentFilterSchema = z
  .object({
    match: z.enum(["all", "any"]).default("all"),
    conditions: z.array(z.unknown()).max(50).default([]),
    q: z.string().max(200).optional(),
  })
  .strict();
export const segmentInputSchema = z
  .object({
    name: text(120).min(1),
    entity: z.enum(ENTITIES).default("contact"),
    filter: segmentFilterSchema,
  })
  .strict();
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export const segmentPatchSchema = z.object({ name: text(120).min(1).optional(), filter: segmentFilterSchema.optional() }).strict();
export type SegmentPatch = z.infer<typeof segmentPatchSchema>;

/** Query of the contact and organization lists. */
export const listQuery = {
  q: z.string().max(200).optional(),
  filter: z.string().max(20_000).optional().describe("Filter JSON: {match: all|any, conditions: [{field, op, value}]}"),
  sort: z.string().max(100).optional().describe("Field to sort by; prefix - for descending"),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  include_total: queryBool.optional(),
};
export const contactListQuerySchema = z.object({
  ...listQuery,
  segment: z.uuid().optional(),
  lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional(),
  tag: z.string().max(60).optional(),
  country: z.string().max(80).optional(),
  owner_id: z.uuid().optional(),
  organization_id: z.uuid().optional(),
});
export const organizationListQuerySchema = z.object(listQuery);
export const activityListQuerySchema = z.object({
  type: z.enum(ACTIVITY_TYPES).optional(),
  open: queryBool.optional(),
  assignee_id: z.uuid().optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

// ---------- Responses

/** Custom field values by key. */
export const customValuesSchema = jsonObject.describe("Custom field values by key (text, number, boolean, date string, list of options)");
const nameRef = z.object({ id: z.string(), name: z.string().nullable() });

export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  title: z.string().nullable(),
  organization_id: z.string().nullable(),
  organization: nameRef.nullable(),
  lifecycle_stage: z.enum(LIFECYCLE_STAGES).nullable(),
  owner_id: z.string().nullable(),
  tags: z.array(z.string()),
  consent_email: z.boolean(),
  consent_sms: z.boolean(),
  consent_tracking: z.boolean(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  street: z.string().nullable(),
  address2: z.string().nullable(),
  postal_code: z.string().nullable(),
  region: z.string().nullable(),
  birth_date: z.string().nullable(),
  national_id: z.string().nullable(),
  notes: z.string().nullable(),
  external_id: z.string().nullable(),
  custom: customValuesSchema,
  created_at: timestamp,
  updated_at: timestamp,
});
export const contactPageSchema = pageOf(contactSchema);

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  owner_id: z.string().nullable(),
  external_id: z.string().nullable(),
  custom: customValuesSchema,
  contact_count: z.number(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const organizationPageSchema = pageOf(organizationSchema);

export const activitySchema = z.object({
  id: z.string(),
  kind: z.literal("activity"),
  type: z.enum(ACTIVITY_TYPES),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  occurred_at: timestamp.nullable(),
  due_at: timestamp.nullable(),
  assignee_id: z.string().nullable(),
  completed_at: timestamp.nullable(),
  contact_id: z.string().nullable(),
  organization_id: z.string().nullable(),
  /** Named on the activity list (tasks page); null on a timeline. */
  contact: nameRef.nullable(),
  organization: nameRef.nullable(),
  created_by: z.string().nullable(),
  created_at: timestamp,
});
export const activityListSchema = listOf(activitySchema);
export const activityPageSchema = pageOf(activitySchema);

export const customFieldSchema = z.object({
  id: z.string(),
  entity: z.enum(ENTITIES),
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()),
  position: z.number(),
  created_at: timestamp,
});
export const customFieldListSchema = listOf(customFieldSchema);

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  entity: z.enum(ENTITIES),
  filter: z.unknown().meta({ type: "object", description: "The segment's filter: a FilterGroup {match, conditions} and an optional q" }),
  created_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const segmentListSchema = listOf(segmentSchema);

// ---------- The shapes a client receives

export type Contact = Response<typeof contactSchema>;
export type Organization = Response<typeof organizationSchema>;
export type Activity = Response<typeof activitySchema>;
export type CustomField = Response<typeof customFieldSchema>;
export type Segment = Omit<Response<typeof segmentSchema>, "filter"> & { filter: FilterGroup & { q?: string } };
