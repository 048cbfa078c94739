import { z } from "zod";
import { type Response, timestamp } from "./common";
import { contactSchema } from "./crm";
import { AUTO_LINK_LEVELS, LINK_METHODS, type Network } from "./enums";

// Identity resolution: profiles and their links to contacts, the person view, duplicates and
// merges. Response objects are loose: identity/'s presenters are the whitelist.

const text = z.string().nullable();
const time = timestamp.nullable();

export const profileLinkSchema = z.looseObject({
  method: z.string().meta({ enum: [...LINK_METHODS] }),
  evidence: z.array(z.string()),
  confidence: z.number(),
  linked_at: time,
  linked_by_name: text,
});
export const identityProfileSchema = z.looseObject({
  id: z.string(),
  network: z.string(),
  network_id: text,
  handle: text,
  display_name: text,
  profile_url: text,
  followers: z.number().nullable(),
  bio: text,
  verified: z.boolean().nullable(),
  contact_id: text,
  link: profileLinkSchema.nullable().optional(),
  first_seen_at: time.optional(),
  last_seen_at: time.optional(),
  message_count: z.number().optional(),
});
const suggestionSummarySchema = z.looseObject({
  contact_id: z.string(),
  contact_name: text,
  score: z.number(),
  evidence: z.array(z.string()),
});
export const unknownProfileSchema = identityProfileSchema.extend({ top_suggestion: suggestionSummarySchema.nullable().optional() });
export const profileListSchema = z.looseObject({ data: z.array(unknownProfileSchema), next_cursor: z.string().nullable().optional() });
export const profileDetailSchema = identityProfileSchema.extend({
  contact: z.looseObject({ id: z.string(), name: text }).nullable(),
  suggestions: z.array(
    z.looseObject({
      contact: z.looseObject({ id: z.string(), name: text, emails: z.array(z.string()) }),
      score: z.number(),
      evidence: z.array(z.string()),
    }),
  ),
  recent_messages: z.array(z.looseObject({ id: z.string(), text, posted_at: timestamp, conversation_id: z.string() })),
});

export const timelineItemSchema = z.looseObject({ type: z.string(), id: z.string(), at: timestamp, title: text });
export const timelinePageSchema = z.looseObject({ data: z.array(timelineItemSchema), next_cursor: z.string().nullable().optional() });
export const contactInsightsSchema = z.looseObject({
  scores: z.looseObject({
    influence: z.number(),
    sentiment: z.number().nullable(),
    health: z.number().nullable().describe("None for a contact with no messages (unless churned)"),
    reasons: z.array(z.string()),
  }),
  sentiment_series: z.array(z.looseObject({ period: z.string(), average: z.number(), count: z.number() })),
  networks: z.array(z.looseObject({ network: z.string(), count: z.number() })),
  message_count: z.number(),
  last_message_at: time,
});

export const duplicatePairSchema = z.looseObject({
  id: z.string(),
  score: z.number(),
  evidence: z.array(z.string()),
  a: contactSchema,
  b: contactSchema,
});
export const duplicatePageSchema = z.looseObject({
  data: z.array(duplicatePairSchema),
  next_cursor: z.string().nullable(),
  scanned_at: time,
});
export const mergeSchema = z.looseObject({
  id: z.string(),
  kept_id: z.string(),
  merged_id: z.string(),
  merged_name: text,
  fields: z.record(z.string(), z.string()),
  reason: text,
  actor_name: text,
  created_at: timestamp,
  undone_at: time,
});
export const mergeListSchema = z.looseObject({ data: z.array(mergeSchema), next_cursor: z.string().nullable().optional() });
/** What a merge did: the merge record and the kept contact as it is now. */
export const mergeOutcomeSchema = z.looseObject({ merge: mergeSchema, contact: contactSchema });
/** What an undo did: the merge (now undone) and both contacts as they are again. */
export const undoOutcomeSchema = z.looseObject({ merge: mergeSchema, contacts: z.array(contactSchema) });
/** A duplicate scan: contacts read, pairs found at the threshold (they replace the pending queue). */
export const duplicateScanSchema = z.looseObject({ scanned: z.number(), found: z.number(), threshold: z.number() });
export const identitySettingsSchema = z.looseObject({
  auto_link: z.enum(AUTO_LINK_LEVELS),
  suggest_threshold: z.number(),
  duplicate_threshold: z.number(),
});

// An intersection, not Omit: Omit over a loose object (an index signature) would drop its named keys.
type WithNetwork<T> = T & { network: Network };
export type ProfileLink = Response<typeof profileLinkSchema>;
export type IdentityProfile = WithNetwork<Response<typeof identityProfileSchema>>;
export type UnknownProfile = WithNetwork<Response<typeof unknownProfileSchema>>;
export type ProfileDetail = WithNetwork<Response<typeof profileDetailSchema>>;
export type TimelineItem = Response<typeof timelineItemSchema>;
export type ContactInsights = Response<typeof contactInsightsSchema>;
export type DuplicatePair = Response<typeof duplicatePairSchema>;
export type DuplicatePage = Response<typeof duplicatePageSchema>;
export type Merge = Response<typeof mergeSchema>;
export type MergeOutcome = Response<typeof mergeOutcomeSchema>;
export type UndoOutcome = Response<typeof undoOutcomeSchema>;
export type DuplicateScan = Response<typeof duplicateScanSchema>;
export type IdentitySettingsData = Response<typeof identitySettingsSchema>;
