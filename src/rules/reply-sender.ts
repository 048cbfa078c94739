import type { ReplyVisibility } from "../contracts/replies";
import type { DbOrTx } from "../store/db";

// What the send_reply action needs from engage, as an interface engage provides at start-up
// (src/wiring.ts calls provideReplySender): rules sit below engage and never import it.

export type RuleReplyInput = {
  conversationId: string;
  /** The message answered. */
  messageId: string;
  text: string;
  visibility: ReplyVisibility;
  ruleId: string;
  ruleName: string;
};

export type RuleReplyOutcome = { ok: true; replyId: string } | { ok: false; reason: string };

export interface ReplySender {
  /** Stores the reply and queues its delivery in the caller's transaction; once per rule and message. */
  sendRuleReply(tx: DbOrTx, workspaceId: string, input: RuleReplyInput): Promise<RuleReplyOutcome>;
}

let provided: ReplySender | null = null;

export function provideReplySender(sender: ReplySender): void {
  provided = sender;
}

/** The provided reply sender; an error when start-up did not provide it (a wiring mistake). */
export function replySender(): ReplySender {
  if (!provided) throw new Error("the reply sender is not provided: call wire() from src/wiring.ts at start-up");
  return provided;
}
