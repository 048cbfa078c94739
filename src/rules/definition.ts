import { z } from "zod";
import { ALERT_METRICS, TRIGGER_TYPES, type TriggerType } from "../contracts/enums";
import { parseQuery, QuerySyntaxError } from "../listen";
import { AppError } from "../shared/errors";
import { CONVERSATION_STATUSES, LIFECYCLE_STAGES, NETWORKS } from "../store/schema";
import { INTENTS } from "../understand";
import { actionSchema } from "./actions";

// What a rule is: a trigger, conditions (nested all/any groups of field · operator · value)
// and ordered actions (each action's schema is its entry in src/rules/actions/). Validated
// with zod; every error names the field path.

export { TRIGGER_TYPES, type TriggerType };

export const OPERATORS = [
  "equals",
  "not_equals",
  "contains",
  "not_contains",
  "in",
  "not_in",
  "gt",
  "gte",
  "lt",
  "lte",
  "is_set",
  "is_not_set",
  "matches_query",
] as const;
export type Operator = (typeof OPERATORS)[number];

export type FieldType = "text" | "number" | "boolean" | "enum" | "array";
export type FieldDef = { type: FieldType; label: string; options?: readonly string[]; group: string };

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export { WEEKDAYS };

/** The fields conditions can test. `contact.custom.<key>` and `record.<field>` are open-ended. */
export const FIELDS: Record<string, FieldDef> = {
  "message.text": { type: "text", label: "Message text", group: "message" },
  "message.network": { type: "enum", label: "Network", options: NETWORKS, group: "message" },
  "message.channel_id": { type: "text", label: "Channel", group: "message" },
  "message.direction": { type: "enum", label: "Direction", options: ["inbound", "outbound"], group: "message" },
  "message.is_public": { type: "boolean", label: "Public post", group: "message" },
  "message.language": { type: "text", label: "Language", group: "message" },
  "message.sentiment": { type: "enum", label: "Sentiment", options: ["negative", "neutral", "positive"], group: "message" },
  "message.sentiment_score": { type: "number", label: "Sentiment score (-1…1)", group: "message" },
  "message.labels": { type: "array", label: "Intents (labels)", options: INTENTS, group: "message" },
  "message.priority": { type: "number", label: "Priority (0–100)", group: "message" },
  "message.churn_risk": { type: "number", label: "Churn risk probability (0–1)", group: "message" },
  "message.irony": { type: "number", label: "Irony probability (0–1)", group: "message" },
  "message.toxic": { type: "number", label: "Offensive or hateful probability (0–1)", group: "message" },
  "message.products": { type: "array", label: "Products", group: "message" },
  "message.topics": { type: "array", label: "Topics", group: "message" },
  "conversation.status": { type: "enum", label: "Conversation status", options: CONVERSATION_STATUSES, group: "conversation" },
  "conversation.team_id": { type: "text", label: "Conversation team", group: "conversation" },
  "conversation.assignee_id": { type: "text", label: "Conversation assignee", group: "conversation" },
  "conversation.tags": { type: "array", label: "Conversation tags", group: "conversation" },
  "conversation.message_count": { type: "number", label: "Messages in conversation", group: "conversation" },
  "conversation.non_spam_inbound": { type: "number", label: "Inbound messages not labelled spam", group: "conversation" },
  "author.followers": { type: "number", label: "Author followers", group: "author" },
  "author.verified": { type: "boolean", label: "Author verified", group: "author" },
  "author.handle": { type: "text", label: "Author handle", group: "author" },
  "author.network": { type: "text", label: "Author network", group: "author" },
  "contact.id": { type: "text", label: "Known contact", group: "contact" },
  "contact.lifecycle_stage": { type: "enum", label: "Lifecycle stage", options: LIFECYCLE_STAGES, group: "contact" },
  "contact.tags": { type: "array", label: "Contact tags", group: "contact" },
  "contact.segments": { type: "array", label: "Contact segments (ids)", group: "contact" },
  "contact.consent.marketing_email": { type: "boolean", label: "Consents to marketing email", group: "contact" },
  "contact.consent.marketing_sms": { type: "boolean", label: "Consents to marketing SMS", group: "contact" },
  "contact.consent.social_engagement": { type: "boolean", label: "Consents to social engagement", group: "contact" },
  "contact.consent.profiling": { type: "boolean", label: "Consents to profiling", group: "contact" },
  "time.time": { type: "text", label: "Time of day (HH:MM, workspace time zone)", group: "time" },
  "time.hour": { type: "number", label: "Hour (0–23)", group: "time" },
  "time.weekday": { type: "enum", label: "Weekday", options: WEEKDAYS, group: "time" },
  "time.business_hours": { type: "boolean", label: "Within business hours", group: "time" },
  "event.from": { type: "text", label: "Status before (status changes)", group: "event" },
  "event.to": { type: "text", label: "Status after (status changes)", group: "event" },
  "record.entity": { type: "enum", label: "Changed record type", options: ["contact", "case", "deal", "idea"], group: "record" },
  "record.changed": { type: "array", label: "Changed fields", group: "record" },
  "sla.kind": { type: "enum", label: "SLA target", options: ["first_response", "resolution"], group: "sla" },
  "issue.label": { type: "text", label: "Emerging issue (its name)", group: "issue" },
  "issue.burst_messages": { type: "number", label: "Issue messages in the burst hour", group: "issue" },
  "issue.baseline": { type: "number", label: "Issue messages per hour before the burst", group: "issue" },
  "alert.metric": { type: "enum", label: "Alert metric", options: ALERT_METRICS, group: "alert" },
  "alert.value": { type: "number", label: "Alert value when it crossed", group: "alert" },
  "alert.threshold": { type: "number", label: "Alert threshold", group: "alert" },
  "alert.window_minutes": { type: "number", label: "Alert window (minutes)", group: "alert" },
  "alert.count": { type: "number", label: "Alert: messages or cases counted", group: "alert" },
};

export const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  text: OPERATORS,
  number: ["equals", "not_equals", "gt", "gte", "lt", "lte", "in", "not_in", "is_set", "is_not_set"],
  boolean: ["equals", "is_set", "is_not_set"],
  enum: ["equals", "not_equals", "in", "not_in", "is_set", "is_not_set"],
  array: ["contains", "not_contains", "in", "not_in", "is_set", "is_not_set"],
};

export function fieldDef(field: string): FieldDef | undefined {
  // own keys only: a field named "constructor" must not find Object.prototype's
  if (Object.hasOwn(FIELDS, field)) return FIELDS[field];
  if (/^contact\.custom\.[a-z0-9_]+$/i.test(field)) return { type: "text", label: field, group: "contact" };
  if (/^record\.[a-z0-9_]+$/i.test(field)) return { type: "text", label: field, group: "record" };
  return undefined;
}

export type Condition = { field: string; op: Operator; value?: unknown };
export type ConditionGroup = { match: "all" | "any"; conditions: Array<Condition | ConditionGroup> };

const conditionSchema = z
  .object({ field: z.string().min(1).max(120), op: z.enum(OPERATORS), value: z.unknown().optional() })
  .strict()
  .superRefine((c, ctx) => {
    const def = fieldDef(c.field);
    if (!def) {
      ctx.addIssue({ code: "custom", path: ["field"], message: `unknown field "${c.field}"` });
      return;
    }
    // custom and record fields compare as text or numbers, whatever the value
    const open = !Object.hasOwn(FIELDS, c.field);
    if (!open && !OPERATORS_BY_TYPE[def.type].includes(c.op)) {
      ctx.addIssue({ code: "custom", path: ["op"], message: `"${c.op}" does not apply to ${def.type} field ${c.field}` });
      return;
    }
    if (c.op === "is_set" || c.op === "is_not_set") return;
    const v = c.value;
    if (v === undefined || v === null || v === "") {
      ctx.addIssue({ code: "custom", path: ["value"], message: "a value is required" });
      return;
    }
    if (c.op === "in" || c.op === "not_in") {
      if (!Array.isArray(v) || v.length === 0) ctx.addIssue({ code: "custom", path: ["value"], message: "must be a non-empty list" });
      return;
    }
    if (["gt", "gte", "lt", "lte"].includes(c.op) && def.type === "number" && typeof v !== "number") {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be a number" });
    }
    if (def.type === "boolean" && typeof v !== "boolean")
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be true or false" });
    if (def.type === "enum" && !open && def.options && !def.options.includes(String(v))) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `must be one of ${def.options.join(", ")}` });
    }
    if (c.op === "matches_query") {
      try {
        parseQuery(String(v));
      } catch (err) {
        if (err instanceof QuerySyntaxError) ctx.addIssue({ code: "custom", path: ["value"], message: `query ${err.message}` });
        else throw err;
      }
    }
  });

export const conditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z
    .object({
      match: z.enum(["all", "any"]),
      conditions: z.array(z.union([conditionGroupSchema, conditionSchema])).max(50),
    })
    .strict(),
);

export { ACTION_TYPES, type Action, actionSchema } from "./actions";

export const scheduleSchema = z
  .object({
    every_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
    daily_at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
      .optional(),
  })
  .strict()
  .refine((s) => Boolean(s.every_minutes) !== Boolean(s.daily_at), { message: "give every_minutes or daily_at (one of them)" });

/**
 * An alert.threshold trigger's settings (rules/alerts.ts): a metric over a sliding window, compared with
 * a threshold; it fires once per crossing and re-arms when the metric is back on the other side.
 */
export const alertSchema = z
  .object({
    metric: z.enum(ALERT_METRICS),
    window_minutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
    comparison: z.enum(["above", "below"]).default("above"),
    threshold: z.number().min(0, "must be 0 or more").max(1_000_000_000),
    /** negative_share only: fewer analyzed messages than this in the window never fire (1 of 1 is not a trend). */
    min_count: z.number().int().min(1).max(1_000_000).optional(),
    channel_id: z.uuid().optional(),
    network: z.enum(NETWORKS).optional(),
    label: z.enum(INTENTS).optional(),
    team_id: z.uuid().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.metric === "negative_share" && a.threshold > 1)
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "a share: from 0 to 1 (0.4 = 40%)" });
    if (a.metric !== "negative_share" && a.min_count !== undefined)
      ctx.addIssue({ code: "custom", path: ["min_count"], message: "applies to negative_share only" });
    if (a.metric === "sla_breaches")
      for (const f of ["channel_id", "network", "label"] as const)
        if (a[f] !== undefined) ctx.addIssue({ code: "custom", path: [f], message: "filters messages: sla_breaches takes team_id only" });
  });
export type AlertSettings = z.output<typeof alertSchema>;

export const triggerSchema = z
  .object({
    type: z.enum(TRIGGER_TYPES),
    schedule: scheduleSchema.optional(),
    entity: z.enum(["contact", "case", "deal", "idea"]).optional(),
    alert: alertSchema.optional(),
  })
  .strict()
  .refine((t) => t.type !== "schedule" || t.schedule, { message: "a schedule trigger needs a schedule", path: ["schedule"] })
  .refine((t) => t.type !== "alert.threshold" || t.alert, {
    message: "an alert.threshold trigger needs alert settings (metric, window_minutes, threshold)",
    path: ["alert"],
  })
  .refine((t) => t.type === "alert.threshold" || !t.alert, {
    message: "alert settings belong to an alert.threshold trigger",
    path: ["alert"],
  });

export const definitionShape = {
  trigger: triggerSchema,
  conditions: conditionGroupSchema.default({ match: "all", conditions: [] }),
  actions: z.array(actionSchema).min(1).max(30),
  stop_processing: z.boolean().default(false),
};
export const definitionSchema = z.object(definitionShape).strict();
export type Definition = z.infer<typeof definitionSchema>;

export const ruleInputSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, "lowercase letters, digits, _ . - (stable id for export/import)")
      .optional(),
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).nullish(),
    enabled: z.boolean().default(true),
    position: z.number().int().min(0).optional(),
    ...definitionShape,
  })
  .strict();
export type RuleInput = z.infer<typeof ruleInputSchema>;
export const rulePatchSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().max(2000).nullish(),
    enabled: z.boolean().optional(),
    trigger: triggerSchema.optional(),
    conditions: conditionGroupSchema.optional(),
    actions: z.array(actionSchema).min(1).max(30).optional(),
    stop_processing: z.boolean().optional(),
  })
  .strict();

/** A zod failure as a validation error naming each field path, prefixed (e.g. with the rule's key). */
export function validationError(error: z.ZodError, prefix = ""): AppError {
  const details = error.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join(".") || "body";
    return { field, message: i.message };
  });
  return new AppError("validation_error", details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
}

export function parseDefinition<T>(schema: z.ZodType<T>, raw: unknown, prefix = ""): T {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw validationError(parsed.error, prefix);
  return parsed.data;
}
