import { z } from "zod";
import { pageQuery, queryBool, type Response, timestamp, uuid } from "./common";
import { CASE_PRIORITIES, CASE_STATUSES, IDEA_STATUSES, STAGE_KINDS, WORK_SOURCES } from "./enums";

// Cases, SLA policies, pipelines, deals and ideas: requests and answers. Response objects are
// loose (the presenters in work/ are the whitelist; these document and type the fields).

// ---------- Requests

const tags = z.array(z.string().trim().min(1).max(60)).max(50);
const hm = z.string().regex(/^\d{1,2}:\d{2}$/, "must be HH:MM");
const minutes = z.number().int().min(1).max(525_600).nullable();
const target = z.object({ first_response_minutes: minutes, resolution_minutes: minutes });
const targets = z.object({ low: target, normal: target, high: target, urgent: target });
const calendar = z
  .object({
    timezone: z.string().min(1).max(64),
    hours: z.array(z.object({ day: z.number().int().min(0).max(6), start: hm, end: hm })).max(50),
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD"))
      .max(400)
      .default([]),
  })
  .nullable();
export const slaPolicyInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  is_default: z.boolean().optional(),
  priorities: z.array(z.enum(CASE_PRIORITIES)).max(4).optional(),
  team_ids: z.array(uuid).max(50).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  targets,
  calendar: calendar.optional(),
  warn_before_minutes: z.number().int().min(0).max(10_080).optional(),
});
export const slaPolicyPatchSchema = slaPolicyInputSchema.partial();
export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

const stage = z.object({
  id: uuid.optional(),
  name: z.string().trim().min(1).max(80),
  probability: z.number().int().min(0).max(100).optional(),
  kind: z.enum(STAGE_KINDS).optional(),
});
export const pipelineInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  is_default: z.boolean().optional(),
  stages: z.array(stage).min(1).max(30).optional(),
});
export const pipelinePatchSchema = pipelineInputSchema.partial();

export const caseInputSchema = z.object({
  subject: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).nullish(),
  priority: z.enum(CASE_PRIORITIES).optional(),
  team_id: uuid.nullish(),
  assignee_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  conversation_id: uuid.nullish(),
  tags: tags.optional(),
});
export const casePatchSchema = z.object({
  subject: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(20_000).nullish(),
  status: z.enum(CASE_STATUSES).optional(),
  priority: z.enum(CASE_PRIORITIES).optional(),
  team_id: uuid.nullish(),
  assignee_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  tags: tags.optional(),
});
export const caseCommentSchema = z.object({
  body: z.string().trim().min(1).max(20_000),
  public: z.boolean().optional(),
  /** A public reply to a person who withdrew consent to social engagement (otherwise 409), audited. */
  override_consent: z.boolean().optional(),
});
export const caseSatisfactionSchema = z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(5000).nullish() });
export const caseConversationLinkSchema = z.object({ conversation_id: uuid });
export const caseListQuerySchema = z.object({
  ...pageQuery,
  status: z.string().max(200).optional().describe("Comma-separated statuses"),
  priority: z.string().max(100).optional().describe("Comma-separated priorities"),
  team_id: uuid.optional(),
  assignee_id: z.union([uuid, z.enum(["me", "none"])]).optional(),
  contact_id: uuid.optional(),
  breached: queryBool.optional(),
  q: z.string().max(200).optional(),
});

const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as EUR")
  .transform((v) => v.toUpperCase());
const dealFields = {
  value: z.number().min(0).max(1e15).nullish(),
  currency: currency.nullish(),
  pipeline_id: uuid.nullish(),
  stage_id: uuid.nullish(),
  expected_close: z.iso.date({ message: "must be a date (YYYY-MM-DD)" }).nullish(),
  owner_id: uuid.nullish(),
  contact_id: uuid.nullish(),
  organization_id: uuid.nullish(),
};
export const dealInputSchema = z.object({
  title: z.string().trim().min(1).max(500),
  ...dealFields,
  conversation_id: uuid.nullish(),
  message_id: uuid.nullish(),
});
export const dealPatchSchema = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  ...dealFields,
  status: z.enum(STAGE_KINDS).optional(),
});
export const dealListQuerySchema = z.object({
  ...pageQuery,
  pipeline_id: uuid.optional(),
  stage_id: uuid.optional(),
  status: z.enum(STAGE_KINDS).optional(),
  owner_id: z.union([uuid, z.literal("me")]).optional(),
  contact_id: uuid.optional(),
  q: z.string().max(200).optional(),
});

export const ideaInputSchema = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).nullish(),
  message_id: uuid.nullish(),
  contact_id: uuid.nullish(),
});
export const ideaPatchSchema = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20_000).nullish(),
  status: z.enum(IDEA_STATUSES).optional(),
});
export const ideaVoterSchema = z.object({ contact_id: uuid.optional(), profile_id: uuid.optional() });
export const ideaMessageLinkSchema = z.object({ message_id: uuid });
export const ideaMergeSchema = z.object({ into_id: uuid });
export const ideaSplitSchema = z.object({
  message_ids: z.array(uuid).min(1).max(500).describe("Messages of this idea that ask for something else"),
  title: z.string().trim().min(1).max(300).optional().describe("The new idea's title (default: a summary of the first message)"),
});
export const ideaListQuerySchema = z.object({
  ...pageQuery,
  status: z.string().max(200).optional().describe("Comma-separated statuses"),
  contact_id: uuid.optional().describe("Ideas this contact voted for"),
  q: z.string().max(200).optional(),
  include_merged: queryBool.optional(),
});

// ---------- Responses

const page = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item), next_cursor: z.string().nullable() });
const list = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) });
const text = z.string().nullable();
/** work/ presents times as ISO strings, null when unset. */
const time = timestamp.nullable();

export const SLA_STATES = ["ok", "warning", "breached", "met", "paused"] as const;
export const slaTimerSchema = z.looseObject({
  due_at: time,
  met_at: time,
  remaining_business_minutes: z.number().nullable(),
  state: z.enum(SLA_STATES),
});
export const caseSlaSchema = z.looseObject({
  policy_id: text,
  policy_name: text,
  first_response: slaTimerSchema.nullable(),
  resolution: slaTimerSchema.nullable(),
});
export const caseSchema = z.looseObject({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  description: text,
  status: z.enum(CASE_STATUSES),
  priority: z.enum(CASE_PRIORITIES),
  team_id: text,
  team_name: text,
  assignee_id: text,
  assignee_name: text,
  contact_id: text,
  contact_name: text,
  organization_id: text,
  source: z.enum(WORK_SOURCES),
  rule_id: text,
  tags: z.array(z.string()),
  sla: caseSlaSchema,
  paused_at: time,
  resolved_at: time,
  closed_at: time,
  first_responded_at: time,
  satisfaction: z.looseObject({ rating: z.number(), comment: text, at: time }).nullable(),
  created_by: text,
  created_at: time,
  updated_at: time,
});
export const casePageSchema = page(caseSchema);
export const caseDetailSchema = caseSchema.extend({
  conversations: z.array(z.looseObject({ id: z.string(), subject: text, network: text, status: text, last_message_at: time })),
  messages: z.array(
    z.looseObject({
      id: z.string(),
      conversation_id: z.string(),
      network: z.string(),
      url: text,
      author: text,
      text: text,
      direction: z.string(),
      sentiment: text,
      posted_at: time,
    }),
  ),
  events: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.string(),
      body: text,
      public: z.boolean(),
      details: z.unknown().describe("What changed, by kind of event (e.g. from/to status, the SLA breached)"),
      actor: text,
      actor_name: text,
      created_at: time,
    }),
  ),
});

const slaTargetSchema = z.looseObject({ first_response_minutes: z.number().nullable(), resolution_minutes: z.number().nullable() });
export const slaPolicySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  is_default: z.boolean(),
  priorities: z.array(z.string()),
  team_ids: z.array(z.string()),
  position: z.number(),
  targets: z.record(z.string(), slaTargetSchema),
  calendar: z
    .looseObject({
      timezone: z.string(),
      hours: z.array(z.looseObject({ day: z.number(), start: z.string(), end: z.string() })),
      holidays: z.array(z.string()),
    })
    .nullable(),
  warn_before_minutes: z.number(),
  created_at: time,
  updated_at: time,
});
export const slaPolicyListSchema = list(slaPolicySchema);

export const stageSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  probability: z.number(),
  kind: z.enum(STAGE_KINDS),
  position: z.number(),
});
export const pipelineSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  is_default: z.boolean(),
  position: z.number(),
  stages: z.array(stageSchema),
  created_at: time,
});
export const pipelineListSchema = list(pipelineSchema);

export const dealSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  value: z.number().nullable(),
  currency: text,
  pipeline_id: z.string(),
  stage_id: z.string(),
  status: z.enum(STAGE_KINDS),
  expected_close: text,
  owner_id: text,
  owner_name: text,
  contact_id: text,
  contact_name: text,
  organization_id: text,
  organization_name: text,
  conversation_id: text,
  message_id: text,
  source: z.enum(WORK_SOURCES),
  rule_id: text,
  closed_at: time,
  created_by: text,
  created_at: time,
  updated_at: time,
});
export const dealPageSchema = page(dealSchema);
const sourceMessageSchema = z.looseObject({
  id: z.string(),
  network: z.string(),
  url: text,
  author: text,
  author_handle: text,
  text: text,
  posted_at: time,
  conversation_id: z.string(),
});
export const dealDetailSchema = dealSchema.extend({
  pipeline: pipelineSchema.nullable(),
  source_message: sourceMessageSchema.nullable(),
  stage_history: z.array(z.looseObject({ from_stage_id: text, to_stage_id: z.string(), actor: text, at: time })),
});

export const ideaSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: text,
  status: z.enum(IDEA_STATUSES),
  vote_count: z.number(),
  merged_into_id: text,
  rule_id: text,
  created_by: text,
  created_at: time,
  updated_at: time,
});
export const ideaPageSchema = page(ideaSchema);
export const ideaDetailSchema = ideaSchema.extend({
  messages: z.array(sourceMessageSchema.extend({ linked_at: time })),
  votes: z.array(
    z.looseObject({
      id: z.string(),
      contact_id: text,
      profile_id: text,
      message_id: text,
      name: text,
      handle: text,
      network: text,
      created_at: time,
    }),
  ),
  status_history: z.array(z.looseObject({ from: text, to: z.string(), actor: text, at: time })),
  notifications: z.array(z.looseObject({ contact_id: text, profile_id: text, status: z.string(), created_at: time, sent_at: time })),
});
export const ideaVoteResultSchema = z.looseObject({ voted: z.boolean(), idea: ideaDetailSchema });

export type SlaState = (typeof SLA_STATES)[number];
export type SlaTimer = Response<typeof slaTimerSchema>;
export type CaseSla = Response<typeof caseSlaSchema>;
export type CaseItem = Response<typeof caseSchema>;
export type CaseDetail = Response<typeof caseDetailSchema>;
export type CaseEvent = CaseDetail["events"][number];
export type CaseMessage = CaseDetail["messages"][number];
export type SlaPolicy = Response<typeof slaPolicySchema>;
export type Stage = Response<typeof stageSchema>;
export type Pipeline = Response<typeof pipelineSchema>;
export type Deal = Response<typeof dealSchema>;
export type DealDetail = Response<typeof dealDetailSchema>;
export type Idea = Response<typeof ideaSchema>;
export type IdeaDetail = Response<typeof ideaDetailSchema>;
