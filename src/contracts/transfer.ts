import { z } from "zod";
import type { Response } from "./common";
import { CUSTOM_FIELD_TYPES } from "./enums";

// Import and export of contacts and organizations (CSV, vCard): what an import is asked and answers.

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
export const TRANSFER_FORMATS = ["csv", "vcard"] as const;
export const transferFormat = z.enum(TRANSFER_FORMATS);

export const importQuerySchema = z.object({
  format: transferFormat.optional().describe("csv or vcard; default from Content-Type (text/csv, text/vcard)"),
  id_column: z.string().min(1).max(200).optional().describe("Column whose values key the rows (kept as external_id); UID for vCard"),
  dry_run: bool.optional().describe("Validate and count, write nothing"),
  create_fields: bool.optional().describe("Create custom fields for unknown columns (needs fields:manage)"),
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
});

export type ImportSummaryData = Response<typeof importSummarySchema>;
