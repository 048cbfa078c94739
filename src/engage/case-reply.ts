import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { AppError } from "../shared/errors";
import type { Db } from "../store/db";
import { addCaseComment, getCase } from "../work";
import { createReply, replyComposer } from "./replies";

// A case's public reply goes where the customer spoke: on the newest linked conversation that
// can be answered, through the same path as the inbox's (stored, delivered by the outbox,
// counted as the first response once delivered). The case keeps the record of it.

export async function commentOnCase(
  db: Db,
  actor: Actor,
  caseId: string,
  body: { body: string; public?: boolean; override_consent?: boolean },
) {
  if (!body.public) return addCaseComment(db, actor, caseId, body);
  requirePermission(actor, "crm:write");
  const kase = await getCase(db, actor, caseId);
  const newestFirst = [...kase.conversations].sort((a, b) =>
    String(b.last_message_at ?? "").localeCompare(String(a.last_message_at ?? "")),
  );
  let reason: string | null = null;
  for (const conversation of newestFirst) {
    const composer = await replyComposer(db, actor, conversation.id);
    if (!composer.can_reply) {
      reason ??= composer.reason;
      continue;
    }
    const { reply } = await createReply(db, actor, conversation.id, {
      text: body.body,
      visibility: "public",
      override_consent: body.override_consent,
    });
    return addCaseComment(db, actor, caseId, body, { reply_id: reply.id, conversation_id: conversation.id });
  }
  const message = reason
    ? `A public reply cannot be sent on this case's conversation: ${reason}`
    : "This case has no conversation to reply on: link the customer's conversation, or write an internal note";
  throw new AppError("conflict", message);
}
