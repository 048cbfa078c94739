import { z } from "zod";
import { IDEA_STATUSES } from "./enums";

// The community portal (issue 17): the portal's two JSON hints (similar ideas, suggestions while
// asking) and the staff API (portal settings, moderation queue and decisions, member standing).

export const portalHintQuerySchema = z.object({ q: z.string().max(200).default("") });

export const similarIdeasResponseSchema = z.object({
  data: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.enum(IDEA_STATUSES), votes: z.number().int(), url: z.string() })),
});

export const portalSuggestionsResponseSchema = z.object({
  data: z.array(z.object({ kind: z.enum(["article", "question"]), title: z.string(), url: z.string() })),
});

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lower-case letters, digits and dashes, 2 to 63 characters, starting with a letter or digit");

export const communitySettingsSchema = z.object({
  slug: z.string(),
  title: z.string().nullable(),
  logo_url: z.string().nullable(),
  color: z.string(),
  custom_domain: z.string().nullable(),
  url: z.string().describe("The portal's address on this server"),
});
export type CommunitySettings = z.infer<typeof communitySettingsSchema>;

export const communitySettingsPatchSchema = z
  .object({
    slug: slug.optional(),
    title: z.string().trim().min(1).max(120).nullable().optional(),
    logo_url: z
      .url({ protocol: /^https$/, message: "must be an https URL" })
      .max(2000)
      .nullable()
      .optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1c5fb8")
      .optional(),
    custom_domain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a host name like community.example.com")
      .nullable()
      .optional(),
  })
  .strict();
export type CommunitySettingsPatch = z.infer<typeof communitySettingsPatchSchema>;

export const moderationItemSchema = z.object({
  post_id: z.uuid(),
  kind: z.enum(["question", "answer", "comment", "idea", "idea_comment", "case_reply"]),
  title: z.string().nullable(),
  body: z.string(),
  hidden: z.boolean(),
  spam: z.boolean().describe("The pipeline labelled the post's message spam"),
  reasons: z.array(z.string()).describe("Members' open reports"),
  author: z.object({ id: z.uuid(), name: z.string(), trust_level: z.number().int(), trust_name: z.string() }),
  conversation_id: z.uuid().nullable(),
  created_at: z.string(),
});
export type ModerationItem = z.infer<typeof moderationItemSchema>;
export const moderationQueueResponseSchema = z.object({ data: z.array(moderationItemSchema) });

export const moderationDecisionSchema = z.object({ post_id: z.uuid(), action: z.enum(["hide", "restore", "dismiss"]) }).strict();
export const moderationDecisionResponseSchema = z.object({ post_id: z.uuid(), hidden: z.boolean() });

export const memberStandingSchema = z
  .object({
    member_id: z.uuid(),
    trust_level: z.number().int().min(0).max(3).nullable().optional().describe("Set by hand (null: earned by activity again)"),
    suspended: z.boolean().optional(),
  })
  .strict();
export const memberStandingResponseSchema = z.object({
  member_id: z.uuid(),
  trust_level: z.number().int(),
  trust_locked: z.boolean(),
  suspended: z.boolean(),
});

export const acceptAnswerSchema = z.object({ answer_id: z.uuid() }).strict();
export const acceptAnswerResponseSchema = z.object({ id: z.uuid(), question_id: z.uuid(), accepted: z.boolean() });

export const promotedAnswerResponseSchema = z.object({ article_id: z.uuid(), title: z.string(), status: z.string() });
