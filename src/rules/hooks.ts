import type { Actor } from "../accounts";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/rules";
import { runsOfConversation } from "./service";
import { fireRules } from "./trigger";

// Small hooks the shared routes call: the conversation API shows which rules
// fired and why (and the tags rules set); a status change fires its trigger.

export async function withRuleRuns<T extends { id: string }>(db: DbOrTx, workspaceId: string, conversation: T) {
  const tags = await store.tagsOfConversations(db, workspaceId, [conversation.id]);
  return { ...conversation, tags: tags.get(conversation.id) ?? [], rule_runs: await runsOfConversation(db, workspaceId, conversation.id) };
}

/** Runs `change`; when the conversation's status changed, fires conversation.status_changed. */
export async function withStatusTrigger<T>(db: Db, actor: Actor, id: string, change: () => Promise<T>): Promise<T | Awaited<T>> {
  const [before] = await store.conversationsByIds(db, actor.workspaceId, [id]);
  const result = await change();
  const [after] = await store.conversationsByIds(db, actor.workspaceId, [id]);
  if (before && after && before.status !== after.status) {
    await db.transaction().execute((tx) =>
      fireRules(tx, actor.workspaceId, {
        type: "conversation.status_changed",
        conversationId: id,
        from: before.status,
        to: after.status,
      }),
    );
  }
  return result;
}
