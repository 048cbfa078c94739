import { z } from "zod";
import type { Response } from "./common";
import { PERSON_FIELDS } from "./crm";
import { CUSTOM_FIELD_TYPES } from "./enums";

// Import and export of contacts and organizations (CSV, vCard): what an import is asked and answers.

// A contact's fields in the groups files list them in: the export writes the same
// groups, with the consents before the address, between its id and timestamps.
export const CONTACT_HEAD_FIELDS = [
  "name",
  "first_name",
  "last_name",
  "emails",
  "phones",
  "organization",
  "title",
  "lifecycle_stage",
  "owner",
  "tags",
] as const;
export const CONTACT_PLACE_FIELDS = ["city", "country", ...PERSON_FIELDS, "notes"] as const;
export const CONSENT_FIELDS = ["consent_email", "consent_sms", "consent_tracking"] as const;
export const CONTACT_FIELDS = [...CONTACT_HEAD_FIELDS, ...CONTACT_PLACE_FIELDS, ...CONSENT_FIELDS] as const;
export const ORGANIZATION_FIELDS = ["name", "domain", "industry", "size", "owner"] as const;

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
export const TRANSFER_FORMATS = ["csv", "vcard"] as const;
export const transferFormat = z.enum(TRANSFER_FORMATS);

export const importQuerySchema = z.object({
  format: transferFormat.optional().describe("csv or vcard; default from Content-Type (text/csv, text/vcard)"),
  id_column: z.string().min(1).max(200).optional().describe("Column whose values key the rows (kept as external_id); UID for vCard"),
  dry_run: bool.optional().describe("Validate and count, write nothing"),
  create_fields: bool.optional().describe("Create custom fields for unknown columns (needs fields:manage)"),
  map: z
    .string()
    .max(20_000)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      const map = z.record(z.string().max(200), z.string().max(200)).safeParse(parsed);
      if (!map.success) {
        ctx.addIssue({ code: "custom", message: 'must be a JSON object of column → field, e.g. {"E-mail address":"emails","Notes":""}' });
        return z.NEVER;
      }
      return map.data;
    })
    .describe(
      'CSV: JSON object of column → field over the automatic mapping ("emails", "custom.plan", "external_id"; "" leaves the column out)',
    ),
});

/** A row left out (rejected) or a value left empty (warning): the row as a spreadsheet numbers it, its column, why. */
const rowNote = z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() });

export const importSummarySchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Rows skipped because an email in them belongs to a person who asked to be erased. */
  suppressed: z.number().int(),
  rejected: z.array(rowNote),
  warnings: z.array(rowNote),
  unmapped_columns: z.array(z.object({ column: z.string(), suggested_type: z.enum(CUSTOM_FIELD_TYPES) })),
  /** Column → the field it fills. */
  mapping: z.record(z.string(), z.string()),
  /** Every column in file order: the field it fills (null: none) and its first values. */
  columns: z.array(z.object({ column: z.string(), field: z.string().nullable(), samples: z.array(z.string()) })),
});

export type ImportSummaryData = Response<typeof importSummarySchema>;
