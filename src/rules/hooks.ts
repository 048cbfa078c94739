import type { DbOrTx } from "../store/db";
import * as store from "../store/rules";
import { runsOfConversation } from "./service";

// The conversation API shows which rules fired and why (and the tags rules set).
// Status changes fire their trigger through the conversation.changed event.

export async function withRuleRuns<T extends { id: string }>(db: DbOrTx, workspaceId: string, conversation: T) {
  const tags = await store.tagsOfConversations(db, workspaceId, [conversation.id]);
  return { ...conversation, tags: tags.get(conversation.id) ?? [], rule_runs: await runsOfConversation(db, workspaceId, conversation.id) };
}
