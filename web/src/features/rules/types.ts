// Automation rules (issue #6): the shapes the rules API returns, from its contract (src/contracts/rules.ts).

import type { Rule as ApiRule } from "../../../../src/contracts/rules";
import type { Narrow, Without } from "../../types";

export type RuleCondition = { field: string; op: string; value?: unknown };
export type RuleGroup = { match: "all" | "any"; conditions: Array<RuleCondition | RuleGroup> };
export type RuleAction = { type: string } & Record<string, unknown>;
export type RuleTrigger = { type: string; schedule?: { every_minutes?: number; daily_at?: string }; entity?: string };
/** The contract documents a rule's trigger, conditions and actions as objects; rules/definition.ts gives them these shapes. */
export type Rule = Narrow<
  ApiRule,
  {
    trigger: RuleTrigger;
    conditions: RuleGroup;
    actions: RuleAction[];
    stop_processing: boolean;
    /** Webhook signing secrets set by this save: shown once, never returned again. */
    new_secrets?: Array<{ action: number; secret: string }>;
  }
>;
export type RuleVersion = Without<Rule, "id" | "key" | "position" | "version" | "updated_at" | "new_secrets"> & {
  version: number;
  created_by: string | null;
};
export type ConditionTrace = { field: string; op: string; value?: unknown; actual: unknown; result: boolean };
export type GroupTrace = { match: "all" | "any"; result: boolean; conditions: Array<ConditionTrace | GroupTrace> };
export type ActionResult = { type: string; ok: boolean; detail: string };
export type RuleRun = {
  id: string;
  rule_id: string;
  rule_name: string | null;
  version: number;
  trigger: string;
  message_id: string | null;
  conditions: GroupTrace;
  actions: ActionResult[];
  created_at: string;
};
export type CatalogField = { field: string; type: string; label: string; options?: string[]; group: string; operators: string[] };
export type Catalog = { triggers: string[]; fields: CatalogField[]; actions: string[] };
export type TestResult = { matched: boolean; conditions: GroupTrace; actions: ActionResult[] };
export type DryRunResult = {
  evaluated: number;
  matched: number;
  actions: Record<string, number>;
  examples: Array<{ message_id: string; text: string; actions: ActionResult[] }>;
};

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
};
