import { z } from "zod";
import { pageOf, pageQuery, queryBool, type Response, timestamp } from "./common";
import { IDEA_STATUSES } from "./enums";

// Emerging issues (issue 16): inbound complaints, questions and suggestions grouped by
// what they say, named by their top terms, with bursts flagged; an issue's card says
// who and what it touches (people, customers, influencers, cases, deals, ideas).

export const issueListQuerySchema = z.object({
  ...pageQuery,
  bursting: queryBool.optional().describe("Only issues in a burst now"),
  q: z.string().max(200).optional().describe("Words in the issue's name"),
  days: z.coerce.number().int().min(1).max(365).optional().describe("Only issues with a message in the last N days"),
});

const time = timestamp.nullable();
const topTerm = z.object({ word: z.string(), weight: z.number() });

export const issueSchema = z.object({
  id: z.string(),
  label: z.string(),
  top_terms: z.array(topTerm),
  message_count: z.number(),
  recent_count: z.number().describe("Messages in the last 7 days"),
  first_message_at: timestamp,
  last_message_at: timestamp,
  bursting: z.boolean(),
  burst_started_at: time,
  burst_ended_at: time,
  burst_count: z.number(),
});
export const issuePageSchema = pageOf(issueSchema);

export const issueCardSchema = issueSchema.extend({
  messages: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      network: z.string(),
      url: z.string().nullable(),
      labels: z.array(z.string()),
      sentiment: z.string().nullable(),
      author: z.string().nullable(),
      contact_id: z.string().nullable(),
      conversation_id: z.string(),
      posted_at: timestamp,
      similarity: z.number(),
    }),
  ),
  people: z.number().describe("Distinct people (a contact counts once across its profiles)"),
  contacts: z.number(),
  lifecycle_stages: z.array(z.object({ stage: z.string(), count: z.number() })),
  influencers: z.array(
    z.object({
      profile_id: z.string(),
      contact_id: z.string().nullable(),
      network: z.string(),
      handle: z.string().nullable(),
      name: z.string().nullable(),
      followers: z.number(),
    }),
  ),
  reach: z.number().describe("Followers of the influencers listed"),
  open_cases: z.array(z.object({ id: z.string(), number: z.number(), subject: z.string(), status: z.string(), priority: z.string() })),
  open_deals: z.object({ count: z.number(), value: z.number(), currency: z.string().nullable() }),
  ideas: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(IDEA_STATUSES), vote_count: z.number() })),
  trend: z.array(z.object({ day: z.string(), count: z.number() })).describe("Messages per day, last 14 days (UTC)"),
});

export type Issue = Response<typeof issueSchema>;
export type IssueCard = Response<typeof issueCardSchema>;
export type IssueListQuery = z.output<typeof issueListQuerySchema>;
