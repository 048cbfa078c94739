import { ensurePortal, noticeIdeaStatusChange } from "./community";
import { replyDeliverer, replyToIdeaVoters, sendRuleReply } from "./engage";
import { subscribe } from "./events";
import { forgetErasedMessages, groupStoredMessages } from "./insight";
import { ensureRuleSet, onDomainEvent, provideOutboxDeliverer, provideReplySender, provideWorkActions } from "./rules";
import { onCaseChanged, onConversationChanged, onSlaWarning } from "./team";
import { createCase, createDeal, createOrAttachIdea, noteOutboundReplies, noteOutboundReply, scanSla, startRuleWorkBatch } from "./work";

// The composition root: who listens to which domain event, and what work provides
// to the rules. Producers (ingest, inbox, work) only publish; this file is where the
// consumers are attached. Every entry point calls wire() before it touches the store:
// the server (buildApp), the CLI, and the test setup.

let wired = false;

/** Registers the subscribers and providers, once per process. */
export function wire(): void {
  if (wired) return;
  wired = true;
  provideWorkActions({ createCase, createDeal, createOrAttachIdea, scanSla, startBatch: startRuleWorkBatch });
  // Order matters: an outbound reply stops its cases' first-response timers before
  // the message rules of the same batch run (as the pipeline always did).
  subscribe("message.stored", noteOutboundReplies);
  // A reply written in Parley is a response once the network has it, not when it was written.
  provideOutboxDeliverer("reply", replyDeliverer);
  // the send_reply rule action answers through engage, as an agent's reply does
  provideReplySender({ sendRuleReply });
  subscribe("reply.delivered", (tx, workspaceId, event) =>
    noteOutboundReply(tx, workspaceId, event.conversationId, event.at ?? new Date()),
  );
  // Emerging issues group the batch before the rules run, so an idea rule sees its message's issue.
  subscribe("message.stored", (tx, workspaceId, event) => groupStoredMessages(tx, workspaceId, event));
  // an erased person's words leave the issues their messages were grouped into
  subscribe("messages.erased", forgetErasedMessages);
  subscribe("*", onDomainEvent);
  // the notification centre: assignments and SLA warnings tell the person concerned
  subscribe("conversation.changed", onConversationChanged);
  subscribe("record.changed", onCaseChanged);
  // an idea's followers and voters in the community hear of its new status by email
  subscribe("record.changed", (tx, workspaceId, event) => noticeIdeaStatusChange(tx, workspaceId, event).then(() => undefined));
  // and those who asked for it in a public post, by a reply there, where the workspace turned that on
  subscribe("record.changed", (tx, workspaceId, event) => replyToIdeaVoters(tx, workspaceId, event).then(() => undefined));
  subscribe("sla.warning", onSlaWarning);
  // a new workspace starts with the default rules and their teams
  subscribe("workspace.created", async (tx, workspaceId) => {
    await ensureRuleSet(tx, workspaceId);
  });
  // and its community portal, at /c/<slug from its name>
  subscribe("workspace.created", (tx, workspaceId) => ensurePortal(tx, workspaceId).then(() => undefined));
}
