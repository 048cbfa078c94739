// Accountability: reading the audit log (every admin and data action writes an entry
// through accounts' audit(), in the transaction of the change) and backups of the
// embedded store, and the subject access export of one person. Entries are read by owners
// and admins only (the audit:read permission).
import { stringify } from "csv-stringify/sync";
import { type Actor, requirePermission } from "../accounts";
import type { AuditQuery } from "../contracts";
import { decodeCursor, encodeCursor, pageLimit, pageOf } from "../shared/pagination";
import { type AuditEventRow, type AuditFilters, listAuditEvents } from "../store/audit";
import type { DbOrTx } from "../store/db";
import { guardFormula } from "../transfer";

export { type Backup, type BackupManifest, type RestoreResult, readBackup, restoreBackup, takeBackup } from "./backup";
export { getConsent, recordConsent } from "./consent";
export { eraseContact } from "./erasure";
export { exportSubject, type SubjectExport } from "./privacy";
export { getPrivacySettings, updatePrivacySettings } from "./redact";
export {
  createRetention,
  deleteRetention,
  listRetention,
  RetentionWorker,
  runRetention,
  runScheduledRetention,
  updateRetention,
} from "./retention";

const CURSOR_KEY = "audit";

function filtersOf(query: AuditQuery): AuditFilters {
  // A date alone as `to` means "up to the end of that day".
  const to = query.to
    ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(query.to) ? Date.parse(query.to) + 86400_000 : Date.parse(query.to))
    : undefined;
  return {
    actor: query.actor,
    action: query.action,
    targetType: query.target_type,
    targetId: query.target_id,
    from: query.from ? new Date(query.from) : undefined,
    to,
  };
}

/** The only shape in which an audit entry leaves the server. */
export function presentAuditEvent(row: AuditEventRow) {
  const details = (typeof row.details === "string" ? JSON.parse(row.details) : row.details) as Record<string, unknown>;
  return {
    id: row.id,
    at: row.created_at,
    actor: row.actor,
    actor_name: row.actor_name,
    action: row.action,
    target_type: row.subject_type,
    target_id: row.subject_id,
    // Entries from before summaries were kept say what they hold.
    summary: row.summary ?? fallbackSummary(row.action, details),
    details,
    ip: row.ip,
    user_agent: row.user_agent,
  };
}

function fallbackSummary(action: string, details: Record<string, unknown>): string {
  const facts = Object.entries(details)
    .filter(([, v]) => v !== null && typeof v !== "object")
    .map(([k, v]) => `${k}: ${String(v)}`);
  return facts.length ? `${action} (${facts.join(", ")})` : action;
}

/** One newest-first page of the workspace's audit log. */
export async function listAudit(db: DbOrTx, actor: Actor, query: AuditQuery) {
  requirePermission(actor, "audit:read");
  const limit = pageLimit(query.limit);
  const beforeId = decodeCursor(query.cursor, CURSOR_KEY)?.[1];
  const rows = await listAuditEvents(db, actor.workspaceId, filtersOf(query), { beforeId, limit: limit + 1 });
  return pageOf(rows, limit, presentAuditEvent, (r) => encodeCursor(CURSOR_KEY, null, r.id));
}

export const AUDIT_CSV_COLUMNS = ["id", "at", "actor", "actor_name", "action", "target_type", "target_id", "summary", "ip", "user_agent"];

/** Every entry matching the filters as CSV (formula-guarded: names in summaries are strangers' text), in pages. */
export async function auditCsv(db: DbOrTx, actor: Actor, query: AuditQuery): Promise<AsyncGenerator<string>> {
  requirePermission(actor, "audit:read");
  const filters = filtersOf(query);
  const line = (cells: string[]) => stringify([cells.map(guardFormula)], { record_delimiter: "\r\n" });
  async function* lines() {
    yield `\ufeff${line(AUDIT_CSV_COLUMNS)}`;
    let beforeId: string | undefined;
    for (;;) {
      const rows = await listAuditEvents(db, actor.workspaceId, filters, { beforeId, limit: 1000 });
      for (const row of rows) {
        const e = presentAuditEvent(row);
        yield line([
          e.id,
          new Date(e.at).toISOString(),
          e.actor,
          e.actor_name ?? "",
          e.action,
          e.target_type,
          e.target_id ?? "",
          e.summary,
          e.ip ?? "",
          e.user_agent ?? "",
        ]);
      }
      if (rows.length < 1000) return;
      beforeId = rows[rows.length - 1]?.id;
    }
  }
  return lines();
}
