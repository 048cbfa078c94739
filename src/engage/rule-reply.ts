import type { RuleReplyInput, RuleReplyOutcome } from "../rules";
import { AppError } from "../shared/errors";
import type { DbOrTx } from "../store/db";
import { findConversationOrThrow } from "../store/listening";
import { findReplyByKey } from "../store/replies";
import { checkedText, replyPlan } from "./plan";
import { writeReply } from "./replies";

// A rule's reply (the send_reply action, provided to the rules in src/wiring.ts): the same plan,
// limits and delivery as an agent's, in the rule's transaction. Keyed by rule and message, so a
// rule that runs again on a message never answers it twice. What cannot be sent is a reason in
// the rule's trace, not an error that would undo the batch.

export async function sendRuleReply(tx: DbOrTx, workspaceId: string, input: RuleReplyInput): Promise<RuleReplyOutcome> {
  const conversation = await findConversationOrThrow(tx, workspaceId, input.conversationId);
  const key = `rule:${input.ruleId}:${input.messageId}`;
  if (await findReplyByKey(tx, workspaceId, conversation.id, key)) return { ok: false, reason: "this rule answered the message already" };
  const plan = await replyPlan(tx, workspaceId, conversation, input.messageId);
  if (!plan.ok) return { ok: false, reason: plan.reason };
  let text: string;
  try {
    text = checkedText(plan, input.text, input.visibility);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, reason: err.message };
    throw err;
  }
  const replyId = await writeReply(tx, workspaceId, conversation, plan, text, input.visibility, {
    userId: null,
    name: `Rule: ${input.ruleName}`,
    key,
    ruleId: input.ruleId,
  });
  return { ok: true, replyId };
}
