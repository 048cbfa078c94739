import type { z } from "zod";
import { type Actor, audit, requirePermission } from "../accounts";
import type { PrivacySettings, privacySettingsPatchSchema } from "../contracts/privacy";
import type { Db, DbOrTx } from "../store/db";
import { findPrivacySettings, savePrivacySettings } from "../store/retention";

// The workspace's PII redaction setting (issue 13). Ingest applies it (ingest/redact.ts) to
// every message it stores from then on; messages stored before are left as they were.

export async function getPrivacySettings(db: DbOrTx, actor: Actor): Promise<PrivacySettings> {
  requirePermission(actor, "audit:read");
  const row = await findPrivacySettings(db, actor.workspaceId);
  return {
    redact_emails: row?.redact_emails ?? false,
    redact_phones: row?.redact_phones ?? false,
    redact_cards: row?.redact_cards ?? false,
  };
}

export async function updatePrivacySettings(
  db: Db,
  actor: Actor,
  patch: z.output<typeof privacySettingsPatchSchema>,
): Promise<PrivacySettings> {
  requirePermission(actor, "audit:read");
  return db.transaction().execute(async (tx) => {
    const next = { ...(await getPrivacySettings(tx, actor)), ...patch };
    await savePrivacySettings(tx, { workspace_id: actor.workspaceId, ...next });
    const on = Object.entries(next)
      .filter(([, v]) => v)
      .map(([k]) => k.replace("redact_", ""));
    await audit(
      tx,
      actor,
      "workspace.privacy_changed",
      { type: "workspace", id: actor.workspaceId },
      `PII redaction at ingest: ${on.length ? on.join(", ") : "off"}`,
      next,
    );
    return next;
  });
}
