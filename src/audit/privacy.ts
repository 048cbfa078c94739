import { stringify } from "csv-stringify/sync";
import { type Actor, audit, requirePermission } from "../accounts";
import { notFound } from "../shared/errors";
import { zip } from "../shared/zip";
import type { Db } from "../store/db";
import { subjectRows } from "../store/privacy";
import { guardFormula } from "../transfer";

// Subject access export (issue 13): everything Parley holds about one person as a zip of
// subject.json (every table's rows) and one CSV per table. Privacy requests are admin work.

export type SubjectExport = { fileName: string; archive: Buffer; tables: Record<string, number> };

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function tableCsv(rows: Array<Record<string, unknown>>): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [columns, ...rows.map((r) => columns.map((c) => guardFormula(cell(r[c]))))];
  return `\ufeff${stringify(lines, { record_delimiter: "\r\n" })}`;
}

export async function exportSubject(db: Db, actor: Actor, contactId: string, now = new Date()): Promise<SubjectExport> {
  requirePermission(actor, "audit:read");
  return db.transaction().execute(async (tx) => {
    const contact = await subjectRows(tx, actor.workspaceId, contactId);
    if (!contact) throw notFound("Contact");
    const name = String(contact.contacts?.[0]?.name ?? contactId);
    // Recorded first, so the export holds its own entry too.
    await audit(tx, actor, "contact.privacy_exported", { type: "contact", id: contactId }, `Exported everything held about "${name}"`);
    const rows = (await subjectRows(tx, actor.workspaceId, contactId)) ?? contact;
    const tables = Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.length]));
    const subject = { exported_at: now.toISOString(), contact_id: contactId, workspace_id: actor.workspaceId, tables: rows };
    const archive = zip(
      [
        { name: "subject.json", data: Buffer.from(`${JSON.stringify(subject, null, 2)}\n`) },
        ...Object.entries(rows).map(([table, r]) => ({ name: `${table}.csv`, data: Buffer.from(tableCsv(r)) })),
      ],
      now,
    );
    return { fileName: `privacy-export-${contactId}-${now.toISOString().slice(0, 10)}.zip`, archive, tables };
  });
}
