import { z } from "zod";
import type { Response } from "./common";

// People and influence (issue 16): influence by engagement received (weighted PageRank over
// the reply/mention/quote graph between people, one person across networks), with why in
// words, advocates and detractors (influential people of a clear stance) and communities.

export const INFLUENCE_KINDS = ["all", "advocates", "detractors"] as const;
export type InfluenceKind = (typeof INFLUENCE_KINDS)[number];
export const STANCES = ["advocate", "detractor", "neutral"] as const;

export const influenceQuerySchema = z
  .object({
    kind: z.enum(INFLUENCE_KINDS).optional().describe("all (default), advocates or detractors"),
    limit: z.coerce.number().int().min(1).max(200).optional().describe("At most this many people (default 50)"),
  })
  .strict();

export const influenceRunSchema = z.object({
  computed_at: z.string(),
  window_days: z.number().describe("Interactions of the last N days count"),
  people: z.number(),
  links: z.number().describe("Distinct who → whom pairs"),
  interactions: z.number().describe("Replies, mentions and quotes counted"),
  communities: z.number(),
  iterations: z.number().describe("PageRank power iterations"),
  converged: z.boolean(),
});

export const influencePersonSchema = z.object({
  node: z.string().describe("c:<contact id> for a contact, p:<profile id> for a profile linked to no contact"),
  contact_id: z.string().nullable(),
  profile_id: z.string().nullable(),
  name: z.string(),
  handle: z.string().nullable(),
  network: z.string().nullable().describe("The profile's network (null for a contact)"),
  lifecycle_stage: z.string().nullable(),
  rank: z.number().describe("1 = most influential"),
  score: z.number().describe("PageRank: the workspace's scores sum to 1"),
  index: z.number().describe("score × people: 1 is the average person"),
  stance: z.enum(STANCES),
  community: z.number().describe("1 = the largest community"),
  community_size: z.number(),
  counts: z.object({
    replies_received: z.number(),
    repliers: z.number(),
    mentions_received: z.number(),
    mentioners: z.number(),
    quotes_received: z.number(),
    quoters: z.number(),
    engaged_with: z.number(),
    messages: z.number(),
    positive: z.number(),
    negative: z.number(),
  }),
  why: z.array(z.string()).describe("Why they rank where they do, in words"),
});

export const influenceListSchema = z.object({
  kind: z.enum(INFLUENCE_KINDS),
  run: influenceRunSchema.nullable().describe("The computation these figures come from (null: never computed)"),
  data: z.array(influencePersonSchema),
});

export const contactInfluenceSchema = z.object({
  run: influenceRunSchema.nullable(),
  person: influencePersonSchema.nullable().describe("Null when no one in the graph is this contact"),
  community_members: z.array(
    z.object({
      contact_id: z.string().nullable(),
      profile_id: z.string().nullable(),
      name: z.string(),
      network: z.string().nullable(),
      rank: z.number(),
      stance: z.enum(STANCES),
    }),
  ),
});

export type InfluenceQuery = z.infer<typeof influenceQuerySchema>;
export type InfluenceRun = Response<typeof influenceRunSchema>;
export type InfluencePerson = Response<typeof influencePersonSchema>;
export type InfluenceList = Response<typeof influenceListSchema>;
export type ContactInfluence = Response<typeof contactInfluenceSchema>;
