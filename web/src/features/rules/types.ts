// Automation rules (issue #6): the shapes the rules API returns, from its contract (src/contracts/rules.ts).

import type { Rule as ApiRule, RuleCatalog, RuleDryRunResult, RuleTestResult } from "../../../../src/contracts/rules";

export type { TriggerType } from "../../../../src/contracts/enums";
export type {
  ActionResult,
  CatalogField,
  ConditionTrace,
  GroupTrace,
  RuleCondition,
  RuleGroup,
  RuleRun,
  RuleVersion,
} from "../../../../src/contracts/rules";
export type Rule = ApiRule;
export type RuleTrigger = Rule["trigger"];
export type RuleAction = Rule["actions"][number];
export type Catalog = RuleCatalog;
export type TestResult = RuleTestResult;
export type DryRunResult = RuleDryRunResult;

export const OP_LABELS: Record<string, string> = {
  equals: "is",
  not_equals: "is not",
  contains: "contains",
  not_contains: "does not contain",
  in: "is any of",
  not_in: "is none of",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  is_set: "is set",
  is_not_set: "is not set",
  matches_query: "matches query",
};

export const TRIGGER_LABELS: Record<string, string> = {
  "message.received": "A message is received",
  "message.analyzed": "A message is analyzed",
  "conversation.status_changed": "A conversation's status changes",
  "record.changed": "A contact, case, deal or idea changes",
  "sla.warning": "An SLA is about to breach",
  "sla.breached": "An SLA is breached",
  schedule: "On a schedule",
  "issue.burst": "An emerging issue bursts",
  "alert.threshold": "A metric crosses a threshold (alert)",
};
