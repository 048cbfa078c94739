import type { z } from "zod";
import { type Actor, audit, auditActor, requirePermission } from "../accounts";
import { CONSENT_PURPOSES, type ConsentView, type consentRecordSchema } from "../contracts/privacy";
import { newId } from "../shared/ids";
import { appendConsent, consentLedger } from "../store/consent";
import { findContactOrThrow } from "../store/crm";
import type { Db, DbOrTx } from "../store/db";

// The consent ledger (issue 13): per contact and purpose, who recorded a grant or a
// withdrawal, when and from which source. Enforced where it matters: the rule action that
// sends marketing email refuses without marketing_email consent, and rules can test
// contact.consent.<purpose>.

type ConsentInput = z.output<typeof consentRecordSchema>;

export async function getConsent(db: DbOrTx, actor: Actor, contactId: string): Promise<ConsentView> {
  requirePermission(actor, "crm:read");
  await findContactOrThrow(db, actor.workspaceId, contactId);
  const ledger = await consentLedger(db, actor.workspaceId, contactId);
  const current = CONSENT_PURPOSES.map((purpose) => {
    const newest = ledger.find((e) => e.purpose === purpose);
    return {
      purpose,
      status: newest?.status ?? ("unknown" as const),
      source: newest?.source ?? null,
      recorded_at: newest ? new Date(newest.recorded_at).toISOString() : null,
      recorded_by_name: newest?.recorded_by_name ?? null,
    };
  });
  return {
    contact_id: contactId,
    current,
    ledger: ledger.map((e) => ({
      id: e.id,
      purpose: e.purpose,
      status: e.status,
      source: e.source,
      note: e.note,
      recorded_by: e.recorded_by,
      recorded_by_name: e.recorded_by_name,
      recorded_at: new Date(e.recorded_at).toISOString(),
    })),
  };
}

export async function recordConsent(db: Db, actor: Actor, contactId: string, input: ConsentInput): Promise<ConsentView> {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    await findContactOrThrow(tx, actor.workspaceId, contactId);
    await appendConsent(tx, {
      workspace_id: actor.workspaceId,
      id: newId(),
      contact_id: contactId,
      purpose: input.purpose,
      status: input.status,
      source: input.source,
      note: input.note ?? null,
      recorded_by: auditActor(actor),
      recorded_by_name: actor.label,
    });
    await audit(
      tx,
      actor,
      `contact.consent_${input.status}`,
      { type: "contact", id: contactId },
      `Consent to ${input.purpose.replace(/_/g, " ")} ${input.status} (source: ${input.source})`,
      { purpose: input.purpose, status: input.status, source: input.source },
    );
    return getConsent(tx, actor, contactId);
  });
}
