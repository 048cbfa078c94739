// Transfer: contacts and organizations in and out of Parley as files, CSV and
// vCard. Imports map a file's columns to fields (headers matched loosely, with
// common synonyms, custom fields and an optional id column), validate every row
// with the same domain code as the API, report each rejected row by number and
// column, and write the rest in batches inside one transaction, so that a file
// broken as a whole writes nothing. Exports stream the same filtered lists the
// API serves, page by page. The CLI (`parley import|export`) and the REST API
// (`/imports/*`, `/exports/*`) are thin shells over these functions.
//
// Decisions a user relies on:
// - Row numbers are what a spreadsheet shows (the header is row 1); for vCard
//   they are card numbers, counting from 1.
// - An id column (`--id-column`, `id_column`) keys the rows: a value that is
//   the external id of a record updates it, one that is the Parley id of a
//   record of this workspace (as in Parley's own exports) updates that record,
//   and any other value creates a record with it as external id. Every row
//   then needs an id; an id repeated in the file rejects the later row
//   (nothing is silently overwritten). Without an id column, contacts are
//   always created, and organizations are matched by name.
// - A vCard's UID is used only when the id column is UID, like any CSV column.
// - When a row updates a record, the columns present in the file overwrite
//   (an empty cell clears the value) and everything else is kept.
// - CSV exports guard against spreadsheet formula injection: a cell starting
//   with = + - @ (tab, CR) gets a leading ' — the importer removes it again.
export { guardFormula } from "./csv";
export {
  CONTACT_COLUMNS,
  type ExportOptions,
  exportContentType,
  exportFile,
  exportFileName,
  ORGANIZATION_COLUMNS,
} from "./exporter";
export { type ColumnMapping, type ImportEntity, mapColumns, normalizeHeader, type Target } from "./fields";
export {
  BATCH_ROWS,
  type ImportFormat,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
  importFile,
  MAX_REJECTIONS,
} from "./importer";
export type { Rejection } from "./rows";
export type { ImportSource } from "./source";
export { readVCards, type VCardItem } from "./vcard";

/** The format a file name or Content-Type implies, if any. */
export function guessFormat(hint: { fileName?: string; contentType?: string }): "csv" | "vcard" | undefined {
  const type = hint.contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "text/vcard" || type === "text/x-vcard" || type === "text/directory") return "vcard";
  const name = hint.fileName?.toLowerCase() ?? "";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".vcf") || name.endsWith(".vcard")) return "vcard";
  return undefined;
}
