import { type Actor, audit } from "../accounts";
import { AppError } from "../shared/errors";
import { socialEngagementWithdrawal } from "../store/consent";
import type { DbOrTx } from "../store/db";

// Social engagement consent (issue 13): a person who withdrew it is not answered on the network
// unless an agent overrides, knowingly, and the override is audited. Consent never recorded is no
// objection: answering someone who wrote to the company is customer service.

export type ConsentWarning = { contact_id: string; contact_name: string; withdrawn_at: string; source: string };

/** The withdrawal an agent must see before answering the author of this message, or null. */
export async function consentWarning(db: DbOrTx, workspaceId: string, messageId: string): Promise<ConsentWarning | null> {
  const w = await socialEngagementWithdrawal(db, workspaceId, messageId);
  if (!w) return null;
  return { contact_id: w.contact_id, contact_name: w.name, withdrawn_at: new Date(w.recorded_at).toISOString(), source: w.source };
}

/** Refuses a reply to a person who withdrew social engagement consent, unless overridden (then audited). */
export async function checkEngagementConsent(
  tx: DbOrTx,
  actor: Actor,
  target: { conversationId: string; messageId: string },
  overridden: boolean,
) {
  const warning = await consentWarning(tx, actor.workspaceId, target.messageId);
  if (!warning) return;
  if (!overridden)
    throw new AppError(
      "conflict",
      `${warning.contact_name} withdrew consent to social engagement (${warning.withdrawn_at.slice(0, 10)}, source: ${warning.source}): send with override_consent: true only if answering them is still right (it is recorded in the audit log)`,
      [{ field: "override_consent", message: "the person withdrew consent to social engagement" }],
    );
  await audit(
    tx,
    actor,
    "reply.consent_overridden",
    // about the contact, so that an erasure of them scrubs the name from this entry too
    { type: "contact", id: warning.contact_id },
    `Replied to ${warning.contact_name}, who withdrew consent to social engagement (override)`,
    { conversation_id: target.conversationId, message_id: target.messageId },
  );
}
