// Automation rules (issue #6): rule definitions and their versions, the engine that
// evaluates them on domain events (src/events) inside the writer's transaction, the
// actions they run, and the worker that delivers their outbox after commit and
// fires schedule and SLA rules. Other modules enter through this file.

export {
  AlertWorker,
  alertSummary,
  checkAlert,
  checkAlertsNow,
  DEFAULT_MIN_COUNT,
  listAlerts,
  measureAlert,
  runAlerts,
} from "./alerts";
export { DEFAULT_RULES, DEFAULT_TEAMS, ensureRuleSet, ensureRuleSets } from "./defaults";
export { type Definition, type RuleInput, ruleInputSchema, rulePatchSchema, TRIGGER_TYPES, type TriggerType } from "./definition";
export { withRuleRuns } from "./hooks";
export { provideReplySender, type ReplySender, type RuleReplyInput, type RuleReplyOutcome } from "./reply-sender";
export * from "./service";
export { fireRules, onDomainEvent, type TriggerEvent } from "./trigger";
export {
  type PendingWork,
  provideWorkActions,
  type RuleCaseInput,
  type RuleIdeaInput,
  type RuleWorkBatch,
  type Settled,
  type WorkActions,
  type WorkBatchScope,
} from "./work-actions";
export {
  deliverOutbox,
  MAX_ATTEMPTS,
  type Mailer,
  type OutboxDeliverer,
  type OutboxOutcome,
  provideOutboxDeliverer,
  RulesWorker,
  runSchedules,
  runSla,
  type WorkerOptions,
} from "./worker";
