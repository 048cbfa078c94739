import type { Insertable } from "kysely";
import type { ConsentPurpose, ConsentStatus } from "../contracts/privacy";
import type { DbOrTx } from "./db";
import type { ConsentEventTable } from "./schema-privacy";

// The consent ledger (issue 13): entries are only ever added; the current state of a
// purpose is its newest entry (the contact_consent_state view).

/** The old contact booleans that mirror a purpose (the contact form, imports and filters read them). */
const MIRROR: Partial<Record<ConsentPurpose, "consent_email" | "consent_sms" | "consent_tracking">> = {
  marketing_email: "consent_email",
  marketing_sms: "consent_sms",
  profiling: "consent_tracking",
};

/** Appends an entry and keeps the contact's mirrored boolean equal to it. */
export async function appendConsent(db: DbOrTx, row: Insertable<ConsentEventTable>) {
  await db.insertInto("consent_events").values(row).execute();
  const column = MIRROR[row.purpose];
  if (column)
    await db
      .updateTable("contacts")
      .set({ [column]: row.status === "granted" })
      .where("workspace_id", "=", row.workspace_id)
      .where("id", "=", row.contact_id)
      .execute();
}

export function consentLedger(db: DbOrTx, workspaceId: string, contactId: string) {
  return db
    .selectFrom("consent_events")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .orderBy("seq", "desc")
    .execute();
}

/** Each contact's current consent per purpose (purposes never recorded are absent). */
export async function consentStates(
  db: DbOrTx,
  workspaceId: string,
  contactIds: string[],
): Promise<Map<string, Partial<Record<ConsentPurpose, ConsentStatus>>>> {
  const out = new Map<string, Partial<Record<ConsentPurpose, ConsentStatus>>>();
  if (contactIds.length === 0) return out;
  const rows = await db
    .selectFrom("contact_consent_state")
    .select(["contact_id", "purpose", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "in", contactIds)
    .execute();
  for (const r of rows) out.set(r.contact_id, { ...out.get(r.contact_id), [r.purpose]: r.status });
  return out;
}

/** The author's social_engagement withdrawal in force for a message (their contact, when and where it was recorded), if any. */
export function socialEngagementWithdrawal(db: DbOrTx, workspaceId: string, messageId: string) {
  return db
    .selectFrom("messages as m")
    .innerJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "m.workspace_id").onRef("p.id", "=", "m.profile_id"))
    .innerJoin("contact_consent_state as s", (j) =>
      j.onRef("s.workspace_id", "=", "p.workspace_id").onRef("s.contact_id", "=", "p.contact_id"),
    )
    .innerJoin("contacts as c", (j) => j.onRef("c.workspace_id", "=", "s.workspace_id").onRef("c.id", "=", "s.contact_id"))
    .select(["c.id as contact_id", "c.name", "s.recorded_at", "s.source"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.id", "=", messageId)
    .where("s.purpose", "=", "social_engagement")
    .where("s.status", "=", "withdrawn")
    .executeTakeFirst();
}
