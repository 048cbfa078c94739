import { type Actor, requirePermission } from "../accounts";
import { presentContact } from "../crm";
import { newId } from "../shared/ids";
import { decodeCursor, encodeCursor } from "../shared/pagination";
import * as crm from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/identity";
import { DEFAULT_THRESHOLD, type DuplicatePair, findDuplicates, type PersonRecord } from "./matching";

// "Possible duplicates": every contact of a workspace goes through the matching
// engine (blocking + fuzzy comparison); pairs above the threshold wait in a
// queue with their evidence. Dismissed pairs ("not the same person") are
// remembered and never suggested again.

/** Custom fields whose key says they hold an identifier are compared as exact ids. */
const IDENTIFIER_KEY = /(^|_)(id|ids|no|number|ssn|nin|nino|passport|tax|vat|account|customer|member|license|licence)($|_)/;

export function toPersonRecord(c: store.MatchRow): PersonRecord {
  const identifiers: Record<string, string> = {};
  if (c.national_id) identifiers.national_id = c.national_id;
  for (const [key, value] of Object.entries(c.custom)) if (value.trim()) identifiers[key] = value.trim();
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    name: c.name,
    emails: c.emails,
    phones: c.phones,
    street: c.street,
    address2: c.address2,
    city: c.city,
    postal_code: c.postal_code,
    region: c.region,
    country: c.country,
    birth_date: c.birth_date,
    organization: c.organization,
    identifiers,
  };
}

export type ScanProgress = { phase: "loading" | "matching" | "saving"; done: number; total: number };

export type ScanResult = {
  scanned: number;
  found: number;
  threshold: number;
  pairs: Array<DuplicatePair & { a_key: string; b_key: string }>;
  timings: { load_ms: number; match_ms: number; save_ms: number };
};

/** Finds every likely duplicate pair; with `save`, replaces the workspace's pending queue with them. */
export async function scanDuplicates(
  db: Db,
  workspaceId: string,
  options: { threshold?: number; save?: boolean; onProgress?: (p: ScanProgress) => void } = {},
): Promise<ScanResult> {
  const settings = await store.identitySettings(db, workspaceId);
  const threshold = options.threshold ?? settings.duplicate_threshold ?? DEFAULT_THRESHOLD;
  const t0 = performance.now();
  const records: PersonRecord[] = [];
  const keyOf = new Map<string, string>();
  // Custom fields whose key says they hold an identifier are compared as exact ids.
  const idKeys = (await crm.listCustomFields(db, workspaceId, "contact"))
    .filter((f) => (f.type === "text" || f.type === "number") && IDENTIFIER_KEY.test(f.key))
    .map((f) => f.key);
  for await (const page of store.contactsForMatching(db, workspaceId, idKeys)) {
    for (const c of page) {
      records.push(toPersonRecord(c));
      keyOf.set(c.id, c.external_id ?? c.id);
    }
    options.onProgress?.({ phase: "loading", done: records.length, total: 0 });
  }
  const t1 = performance.now();
  const dismissed = await store.dismissedPairs(db, workspaceId);
  const found = findDuplicates(records, {
    threshold,
    onProgress: (done, total) => options.onProgress?.({ phase: "matching", done, total }),
  }).filter((p) => !dismissed.has(`${p.a}|${p.b}`));
  const t2 = performance.now();
  if (options.save !== false) {
    options.onProgress?.({ phase: "saving", done: 0, total: found.length });
    await db.transaction().execute(async (tx) => {
      await store.replacePendingPairs(
        tx,
        workspaceId,
        found.map((p) => ({
          workspace_id: workspaceId,
          id: newId(),
          contact_a: p.a < p.b ? p.a : p.b,
          contact_b: p.a < p.b ? p.b : p.a,
          score: p.score,
          evidence: p.evidence,
        })),
      );
      await store.saveIdentitySettings(tx, workspaceId, { scanned_at: new Date() });
    });
  }
  const t3 = performance.now();
  return {
    scanned: records.length,
    found: found.length,
    threshold,
    pairs: found.map((p) => ({ ...p, a_key: keyOf.get(p.a) ?? p.a, b_key: keyOf.get(p.b) ?? p.b })),
    timings: { load_ms: t1 - t0, match_ms: t2 - t1, save_ms: t3 - t2 },
  };
}

export async function scanForActor(db: Db, actor: Actor) {
  requirePermission(actor, "crm:write");
  const r = await scanDuplicates(db, actor.workspaceId);
  return { scanned: r.scanned, found: r.found, threshold: r.threshold };
}

export async function listDuplicates(
  db: DbOrTx,
  actor: Actor,
  params: { min_score?: number; contact_id?: string; cursor?: string; limit?: number },
) {
  requirePermission(actor, "crm:read");
  const limit = Math.min(Math.max(params.limit ?? 25, 1), 100);
  const c = decodeCursor(params.cursor, "duplicates");
  const after = c ? { score: Number(c[0]), id: c[1] } : undefined;
  const rows = await store.listPairs(db, {
    workspaceId: actor.workspaceId,
    minScore: params.min_score,
    contactId: params.contact_id,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const contacts = new Map(
    (await crm.findContactsByIds(db, actor.workspaceId, [...new Set(page.flatMap((r) => [r.contact_a, r.contact_b]))])).map((c) => [
      c.id,
      presentContact(c),
    ]),
  );
  const items = page.flatMap((r) => {
    const a = contacts.get(r.contact_a);
    const b = contacts.get(r.contact_b);
    return a && b ? [{ id: r.id, score: r.score, evidence: r.evidence, a, b }] : [];
  });
  const last = page[page.length - 1];
  const settings = await store.identitySettings(db, actor.workspaceId);
  return {
    data: items,
    next_cursor: rows.length > limit && last ? encodeCursor("duplicates", last.score, last.id) : null,
    scanned_at: settings.scanned_at,
  };
}

export async function dismissDuplicate(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:write");
  await store.findPairOrThrow(db, actor.workspaceId, id);
  await store.decidePair(db, actor.workspaceId, id, actor.userId);
  return { ok: true as const };
}
