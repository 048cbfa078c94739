// Engage: Parley answers the customer where they spoke. A reply is an outbound message on the
// conversation, written with its outbox row in one transaction and delivered after commit by the
// rules worker through the channel's connector (the outbox kind "reply", provided in
// src/wiring.ts). Only a delivered reply counts as a response (the reply.delivered event).

export { commentOnCase } from "./case-reply";
export { replyDeliverer } from "./delivery";
export {
  getIdeaStatusReplies,
  ideaStatusRepliesPreview,
  ideaStatusReplyText,
  replyToIdeaVoters,
  setIdeaStatusRepliesFor,
} from "./idea-replies";
export { networkName } from "./plan";
export { createReply, getReply, getReplyAttachment, presentReply, type ReplyView, replyComposer, retryReply } from "./replies";
export { sendRuleReply } from "./rule-reply";
