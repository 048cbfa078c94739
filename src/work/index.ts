// Work items: what rules and people create from conversations — cases (tickets)
// timed by SLA policies over business hours, deals moving through pipelines, and
// ideas collecting votes. Changes publish record.changed events (src/events). The
// rules call createCase, createDeal, createOrAttachIdea and scanSla through the
// WorkActions that src/wiring.ts provides; noteOutboundReplies subscribes to
// message.stored; routes call the rest.

export { addBusinessMinutes, businessMinutesBetween, isBusinessTime } from "./business-hours";
export {
  addCaseComment,
  type CaseView,
  changeCase,
  createCase,
  createCaseFor,
  getCase,
  linkCaseConversationFor,
  listCases,
  noteOutboundReplies,
  noteOutboundReply,
  rateCase,
  type SlaTransition,
  scanSla,
  updateCaseFor,
} from "./cases";
export {
  createDeal,
  createDealFor,
  createPipeline,
  ensureDefaultPipeline,
  getDeal,
  listDeals,
  listPipelines,
  updateDealFor,
  updatePipeline,
} from "./deals";
export {
  changeIdea,
  createIdeaFor,
  createOrAttachIdea,
  getIdea,
  linkIdeaMessageFor,
  listIdeas,
  mergeIdea,
  splitIdea,
  titleSimilarity,
  unvoteIdea,
  updateIdeaFor,
  voteIdea,
} from "./ideas";
export { startRuleWorkBatch } from "./rule-batch";
export { ensureDefaultSlaPolicy, slaOf } from "./sla";
export { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from "./sla-policies";
