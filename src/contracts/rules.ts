import { z } from "zod";
import { type Response, timestamp } from "./common";
import { ALERT_METRICS, TRIGGER_TYPES } from "./enums";

// Automation rules. A rule's trigger, conditions and actions are validated by rules/definition.ts
// (errors name the field path); here they are documented with the shapes rules/ gives them.
// Response objects are loose: rules/' presenters are the whitelist.

export const ruleInputSchema = z.record(z.string(), z.unknown()).describe("A rule: name, trigger, conditions, actions (docs/rules.md)");

const text = z.string().nullable();
const match = z.enum(["all", "any"]);

// ---------- A rule's definition, as rules/ presents it

// Triggers, conditions and groups are exact (rules/definition.ts accepts no other keys), so a
// client can tell a group from a condition by its keys.
/** An alert.threshold trigger's settings: fires once when the metric crosses the threshold, again only after it fell back. */
export const ruleAlertSchema = z.object({
  metric: z.enum(ALERT_METRICS),
  window_minutes: z.number(),
  comparison: z.enum(["above", "below"]).optional(),
  threshold: z.number(),
  min_count: z.number().optional(),
  channel_id: z.string().optional(),
  network: z.string().optional(),
  label: z.string().optional(),
  team_id: z.string().optional(),
});
export type RuleAlert = z.output<typeof ruleAlertSchema>;
export const ruleTriggerSchema = z.object({
  type: z.enum(TRIGGER_TYPES),
  schedule: z.object({ every_minutes: z.number().optional(), daily_at: z.string().optional() }).optional(),
  entity: z.string().optional(),
  alert: ruleAlertSchema.optional(),
});
export const ruleConditionSchema = z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() });
export type RuleCondition = z.output<typeof ruleConditionSchema>;
export type RuleGroup = { match: "all" | "any"; conditions: Array<RuleCondition | RuleGroup> };
export const ruleGroupSchema: z.ZodType<RuleGroup> = z.lazy(() =>
  z.object({ match, conditions: z.array(z.union([ruleConditionSchema, ruleGroupSchema])) }),
);
/** One action: its type and that type's settings (a webhook's secret is never returned, only `secret_set`). */
export const ruleActionSchema = z.looseObject({ type: z.string() });

const definitionFields = {
  trigger: ruleTriggerSchema,
  conditions: ruleGroupSchema,
  actions: z.array(ruleActionSchema),
  stop_processing: z.boolean(),
};

export const ruleSchema = z.looseObject({
  id: z.string(),
  key: text,
  name: z.string(),
  description: text,
  enabled: z.boolean(),
  position: z.number(),
  version: z.number(),
  ...definitionFields,
  /** Webhook signing secrets set by this save: shown once, never returned again. */
  new_secrets: z.array(z.looseObject({ action: z.number(), secret: z.string() })).optional(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const ruleListSchema = z.looseObject({ data: z.array(ruleSchema) });
export const ruleVersionSchema = z.looseObject({
  version: z.number(),
  name: z.string(),
  description: text,
  enabled: z.boolean(),
  ...definitionFields,
  created_by: text,
  created_at: timestamp,
});
export const ruleVersionListSchema = z.looseObject({ data: z.array(ruleVersionSchema) });

// ---------- Why a rule fired (or would): condition traces and action results

export const conditionTraceSchema = ruleConditionSchema.extend({ actual: z.unknown(), result: z.boolean() });
export type ConditionTrace = z.output<typeof conditionTraceSchema>;
export type GroupTrace = { match: "all" | "any"; result: boolean; conditions: Array<ConditionTrace | GroupTrace> };
export const groupTraceSchema: z.ZodType<GroupTrace> = z.lazy(() =>
  z.object({ match, result: z.boolean(), conditions: z.array(z.union([conditionTraceSchema, groupTraceSchema])) }),
);
export const actionResultSchema = z.looseObject({ type: z.string(), ok: z.boolean(), detail: z.string() });
/**
 * JSON the store reads back as `unknown` (a run's trace, a delivery's attempts): the answer
 * checks and documents its shape, the server may hand it over untyped. The exported types
 * below put the shape back for clients.
 */
const storedJson = (schema: z.ZodType) => schema as z.ZodType<unknown>;
const storedTrace = storedJson(groupTraceSchema);
const storedResults = storedJson(z.array(actionResultSchema));

export const ruleRunSchema = z.looseObject({
  id: z.string(),
  rule_id: z.string(),
  rule_name: text,
  version: z.number(),
  trigger: z.string(),
  event: z.string(),
  message_id: text,
  conversation_id: text,
  conditions: storedTrace,
  actions: storedResults,
  created_at: timestamp,
});
export const ruleRunListSchema = z.looseObject({ data: z.array(ruleRunSchema) });

/** A rule tried on a sample message: nothing is written. */
export const ruleTestResultSchema = z.looseObject({
  matched: z.boolean(),
  conditions: groupTraceSchema,
  actions: z.array(actionResultSchema),
  /** The values the conditions read, by field. */
  values: z.record(z.string(), z.unknown()).describe("Each field's value as the conditions read it"),
});
/** A rule tried on the last stored messages: counts by action type and a few examples. */
export const ruleDryRunResultSchema = z.looseObject({
  evaluated: z.number(),
  matched: z.number(),
  actions: z.record(z.string(), z.number()),
  examples: z.array(z.looseObject({ message_id: z.string(), text: z.string(), actions: storedResults })),
});

// ---------- The catalog the rule editor is built from

export const catalogFieldSchema = z.looseObject({
  field: z.string(),
  type: z.enum(["text", "number", "boolean", "enum", "array"]),
  label: z.string(),
  options: z.array(z.string()).readonly().optional(),
  group: z.string(),
  operators: z.array(z.string()).readonly(),
});
export const ruleCatalogSchema = z.looseObject({
  triggers: z.array(z.enum(TRIGGER_TYPES)).readonly(),
  fields: z.array(catalogFieldSchema),
  /** Fields named by pattern: `contact.custom.<key>`, `record.<field>`. */
  open_fields: z.array(z.string()),
  actions: z.array(z.string()).readonly(),
});

export const ruleSettingsResponseSchema = z.looseObject({ time_zone: z.string() });
/** What `rules::import` did, rule by rule (matched by key). */
export const ruleImportResultSchema = z.looseObject({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  deleted: z.number(),
});

// ---------- Deliveries, skills, notifications

export const outboxDeliverySchema = z.looseObject({
  attempt: z.number(),
  ok: z.boolean(),
  status_code: z.number().nullable(),
  error: text,
  duration_ms: z.number().nullable(),
  at: timestamp,
});
export const outboxItemSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(["webhook", "email"]),
  rule_id: text,
  /** The webhook's URL or the email's recipients. */
  target: z.unknown().describe("The webhook's URL or the email's recipients"),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  last_error: text,
  next_attempt_at: timestamp,
  delivered_at: timestamp.nullable(),
  created_at: timestamp,
  deliveries: storedJson(z.array(outboxDeliverySchema)),
});
export const outboxListSchema = z.looseObject({ data: z.array(outboxItemSchema) });

export const userSkillsSchema = z.looseObject({ user_id: z.string(), skills: z.array(z.string()) });
export const skillListSchema = z.looseObject({ data: z.array(userSkillsSchema) });

export type Rule = Response<typeof ruleSchema>;
export type RuleVersion = Response<typeof ruleVersionSchema>;
export type ActionResult = Response<typeof actionResultSchema>;
export type RuleRun = Response<typeof ruleRunSchema> & { conditions: GroupTrace; actions: ActionResult[] };
export type RuleTestResult = Response<typeof ruleTestResultSchema>;
type DryRunExample = Response<typeof ruleDryRunResultSchema>["examples"][number] & { actions: ActionResult[] };
export type RuleDryRunResult = Response<typeof ruleDryRunResultSchema> & { examples: DryRunExample[] };
export type RuleCatalog = Response<typeof ruleCatalogSchema>;
export type CatalogField = Response<typeof catalogFieldSchema>;
export type OutboxDelivery = Response<typeof outboxDeliverySchema>;
export type OutboxItem = Response<typeof outboxItemSchema> & { deliveries: OutboxDelivery[] };

// ---------- Threshold alerts: each alert.threshold rule with its state and its metric now

export const alertStatusSchema = z.looseObject({
  rule_id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  alert: ruleAlertSchema,
  /** Past the threshold and fired: quiet until the metric is back on the other side. */
  firing: z.boolean(),
  crossings: z.number(),
  /** The metric when last measured by the alert worker (null before the first round). */
  value: z.number().nullable(),
  count: z.number().nullable(),
  fired_at: timestamp.nullable(),
  rearmed_at: timestamp.nullable(),
  checked_at: timestamp.nullable(),
  /** The metric measured for this answer. */
  current: z.looseObject({ value: z.number(), count: z.number(), crossed: z.boolean(), summary: z.string() }),
});
export const alertStatusListSchema = z.looseObject({ data: z.array(alertStatusSchema) });
export const alertCheckResultSchema = z.looseObject({ checked: z.number(), fired: z.number(), rearmed: z.number() });
export type AlertStatus = Response<typeof alertStatusSchema>;
