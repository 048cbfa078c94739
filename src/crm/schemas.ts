import { z } from "zod";
import { ACTIVITY_TYPES, CUSTOM_FIELD_TYPES, ENTITIES, LIFECYCLE_STAGES } from "../store/schema";
import { filterGroupSchema } from "./filter";

// Request shapes shared by the API, the CLI and the importers: one definition.
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
export const customFieldPatchSchema = z
  .object({
    label: text(120).min(1).optional(),
    options: z.array(text(120).min(1)).max(200).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

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
export const segmentPatchSchema = z.object({ name: text(120).min(1).optional(), filter: segmentFilterSchema.optional() }).strict();

export { filterGroupSchema };
