import { z } from "zod";
import { uuid } from "./common";
import { IDEA_STATUSES, NETWORKS } from "./enums";

// Insight reports (issue 16): listening (what customers say), service (how fast and how well we answer),
// product (ideas and votes), sales (leads, deals and revenue from social) and engagement (did our replies help).
// Every figure is computed over a date range read in the workspace's time zone.

export const REPORT_NAMES = ["listening", "service", "product", "sales", "engagement"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const REPORT_BUCKETS = ["day", "week"] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const isoDate = () =>
  z
    .string()
    .max(40)
    .regex(DATE_OR_TIME, { message: "must be a date or time (ISO 8601, e.g. 2026-01-31)" })
    .refine(
      (v) => {
        // Date.parse rolls 2026-02-30 over to March: a real date reads back the same.
        const day = new Date(`${v.slice(0, 10)}T00:00:00Z`);
        return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v.slice(0, 10);
      },
      { message: "is not a real date" },
    );

export const reportQuerySchema = z
  .object({
    from: isoDate().optional().describe("Start (a date is the start of that day in the workspace's time zone; default 30 days ago)"),
    to: isoDate().optional().describe("End (a date alone includes that whole day; default now)"),
    bucket: z.enum(REPORT_BUCKETS).default("day").describe("Time series buckets: day or week (weeks start on Monday)"),
    channel: uuid.optional().describe("Only this channel"),
    network: z.enum(NETWORKS).optional().describe("Only this network"),
    team: uuid.optional().describe("Only conversations and cases of this team"),
    segment: uuid
      .optional()
      .describe(
        "Only people in this saved segment: messages, conversations, cases, votes, deals and replies whose person (the author's linked contact, or the record's contact) matches the segment's filter (an organization segment: whose contact's organization matches)",
      ),
    format: z.enum(["json", "csv"]).default("json").describe("csv downloads the report's main table"),
  })
  .strict();
export type ReportQuery = z.output<typeof reportQuerySchema>;
export const reportParams = z.object({ name: z.enum(REPORT_NAMES).describe("Which report") });

export const reportRangeSchema = z.object({
  from: z.string().describe("Start of the range (ISO time, inclusive)"),
  to: z.string().describe("End of the range (ISO time, exclusive)"),
  time_zone: z.string().describe("The workspace's time zone, in which days and weeks are counted"),
  bucket: z.enum(REPORT_BUCKETS),
});

const bucketKey = z.string().describe("The bucket's first day in the workspace's time zone (YYYY-MM-DD)");

// ---------- Listening

export const volumePointSchema = z.object({
  bucket: bucketKey,
  messages: z.number().int().describe("Inbound messages posted in the bucket"),
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
  unanalyzed: z.number().int().describe("Messages without a sentiment yet"),
  mean_sentiment: z.number().nullable().describe("Mean sentiment score (-1..1) of analyzed messages; null when none"),
});
export const volumeSplitSchema = z.object({
  bucket: bucketKey,
  dimension: z.enum(["network", "channel", "label"]),
  key: z.string().describe("The network, the channel's id (none: no channel) or the intent label"),
  name: z.string().describe("What to show: the network, the channel's name or the label"),
  messages: z.number().int(),
});
export const shareOfVoiceSchema = z.object({
  term_id: z.string(),
  kind: z.enum(["brand", "product"]).describe("The dictionary entry's kind"),
  name: z.string(),
  mentions: z.number().int().describe("Inbound messages naming the term or one of its aliases"),
  share: z.number().describe("mentions / all terms' mentions (0..1; 0 when there are none)"),
});
export const topAuthorSchema = z.object({
  profile_id: z.string(),
  network: z.string(),
  handle: z.string().nullable(),
  display_name: z.string().nullable(),
  followers: z.number().int().nullable().describe("Reach: the profile's followers when last seen"),
  messages: z.number().int().describe("Their inbound messages in the range"),
});
export const listeningReportSchema = z.object({
  range: reportRangeSchema,
  totals: z.object({
    messages: z.number().int(),
    authors: z.number().int().describe("Distinct profiles that wrote"),
    mean_sentiment: z.number().nullable(),
  }),
  volume: z.array(volumePointSchema).describe("Volume and sentiment per bucket (every bucket of the range, zeros included)"),
  volume_by: z.array(volumeSplitSchema).describe("Volume per bucket split by network, channel and intent label (non-zero only)"),
  share_of_voice: z.array(shareOfVoiceSchema).describe("Mentions of the workspace's dictionary terms, most first"),
  top_authors: z.array(topAuthorSchema).describe("The ten authors with the widest reach who wrote in the range"),
});
export type ListeningReport = z.output<typeof listeningReportSchema>;

// ---------- Service

export const SERVICE_DIMENSIONS = ["all", "team", "agent", "channel", "priority"] as const;
export type ServiceDimension = (typeof SERVICE_DIMENSIONS)[number];

const minutes = (what: string) => z.number().nullable().describe(`${what}, in minutes (null when there is nothing to measure)`);
const share = (what: string) => z.number().nullable().describe(`${what} (0..1; null when nothing was due)`);

export const serviceRowSchema = z.object({
  dimension: z.enum(SERVICE_DIMENSIONS),
  key: z.string().describe("The team's, agent's or channel's id, the priority, 'all', or 'none' when unset"),
  name: z.string().describe("What to show: the team's, agent's or channel's name, the priority, All, or Unassigned"),
  conversations: z.number().int().describe("Conversations whose first inbound message is in the range"),
  conversation_first_reply_p50: minutes("Median time from a conversation's first inbound message to the first outbound after it"),
  conversation_first_reply_p90: minutes("90th percentile of that time"),
  cases: z.number().int().describe("Cases opened in the range"),
  first_response_p50: minutes("Median case first response (the SLA timer's first response)"),
  first_response_p90: minutes("90th percentile of case first response"),
  resolution_p50: minutes("Median case resolution time, paused time excluded"),
  resolution_p90: minutes("90th percentile of case resolution time"),
  first_response_met: z.number().int(),
  first_response_breached: z.number().int(),
  first_response_attainment: share("Share of first-response targets met"),
  resolution_met: z.number().int(),
  resolution_breached: z.number().int(),
  resolution_attainment: share("Share of resolution targets met"),
  csat_responses: z.number().int().describe("Cases rated by the customer"),
  csat_mean: z.number().nullable().describe("Mean rating (1..5); null without ratings"),
  csat_satisfied: share("Share of ratings of 4 or 5"),
});
export const BACKLOG_AGES = ["under_1d", "1d_3d", "3d_7d", "over_7d"] as const;
export const backlogSchema = z.object({
  open_conversations: z.number().int().describe("Conversations new, open or pending now"),
  open_cases: z.number().int().describe("Cases not solved or closed now"),
  ages: z
    .array(z.object({ age: z.enum(BACKLOG_AGES), conversations: z.number().int(), cases: z.number().int() }))
    .describe("The backlog by age: since a conversation's first message, since a case was opened"),
});
export const serviceReportSchema = z.object({
  range: reportRangeSchema,
  rows: z.array(serviceRowSchema).describe("The 'all' row first, then one row per team, agent, channel and priority"),
  backlog: backlogSchema,
});
export type ServiceRow = z.output<typeof serviceRowSchema>;
export type ServiceReport = z.output<typeof serviceReportSchema>;
export type Backlog = z.output<typeof backlogSchema>;

// ---------- Product

export const VOTE_SOURCES = ["social", "community", "staff"] as const;
export type VoteSource = (typeof VOTE_SOURCES)[number];

export const ideaStatusRowSchema = z.object({
  status: z.enum(IDEA_STATUSES),
  ideas: z.number().int().describe("Ideas in this status now (merged ideas excluded)"),
  votes: z.number().int().describe("Their votes now (one per person)"),
  created: z.number().int().describe("Of them, ideas created in the range"),
  votes_in_range: z.number().int().describe("Votes cast in the range on ideas now in this status (filters apply)"),
});
export const votePointSchema = z.object({
  bucket: bucketKey,
  votes: z.number().int(),
  social: z.number().int().describe("Votes from posts on social networks (a message filed on the idea)"),
  community: z.number().int().describe("Votes on the community portal"),
  staff: z.number().int().describe("Votes staff added for a contact or profile"),
});
export const voteOriginSchema = z.object({
  dimension: z.enum(["source", "network", "channel"]),
  key: z.string().describe("The source (social, community, staff), the network or channel id of the post the vote came from, or none"),
  name: z.string(),
  votes: z.number().int(),
});
export const topIdeaSchema = z.object({
  idea_id: z.string(),
  title: z.string(),
  status: z.enum(IDEA_STATUSES),
  votes_in_range: z.number().int(),
  votes: z.number().int().describe("All its votes now"),
});
export const productReportSchema = z.object({
  range: reportRangeSchema,
  totals: z.object({
    ideas: z.number().int().describe("Ideas now (merged ideas excluded)"),
    ideas_created: z.number().int().describe("Ideas created in the range"),
    votes_in_range: z.number().int().describe("Votes cast in the range (filters apply: the post a vote came from)"),
  }),
  by_status: z.array(ideaStatusRowSchema).describe("Every status, in workflow order"),
  votes: z.array(votePointSchema).describe("Votes per bucket by source (every bucket of the range, zeros included)"),
  origins: z.array(voteOriginSchema).describe("Where the range's votes came from: source, network and channel"),
  top_ideas: z.array(topIdeaSchema).describe("The ten ideas with the most votes in the range"),
});
export type ProductReport = z.output<typeof productReportSchema>;

// ---------- Sales

export const salesRowSchema = z.object({
  dimension: z.enum(["all", "network", "channel"]),
  key: z.string().describe("'all', the network or channel id of the first post, or 'none' (no post to trace to)"),
  name: z.string(),
  leads: z.number().int().describe("Contacts created in the range who wrote to us first (their first post came before the contact)"),
  deals_created: z.number().int().describe("Deals created in the range from a social message or conversation"),
  deals_value: z.number().describe("Their value"),
  won_deals: z.number().int().describe("Deals won in the range (any deal; traced to its first post)"),
  won_value: z.number().describe("Revenue of the deals won in the range"),
});
export const salesPointSchema = z.object({
  bucket: bucketKey,
  leads: z.number().int(),
  deals_created: z.number().int(),
  deals_value: z.number(),
  won_value: z.number(),
});
export const salesReportSchema = z.object({
  range: reportRangeSchema,
  currencies: z.array(z.string()).describe("Currencies of the deals counted (values are summed as they are; more than one means mixed)"),
  rows: z.array(salesRowSchema).describe("The 'all' row first, then by the network and the channel of the first post"),
  series: z.array(salesPointSchema).describe("Per bucket (every bucket of the range, zeros included)"),
});
export type SalesRow = z.output<typeof salesRowSchema>;
export type SalesReport = z.output<typeof salesReportSchema>;

// ---------- Engagement outcome

export const REPLY_TIME_BANDS = ["under_1h", "1h_4h", "4h_24h", "over_24h", "none"] as const;
export type ReplyTimeBand = (typeof REPLY_TIME_BANDS)[number];
export const ENGAGEMENT_DIMENSIONS = ["all", "agent", "team", "rule", "reply_time"] as const;
/** Days before and after our first reply in which a person's messages count. */
export const ENGAGEMENT_WINDOW_DAYS = 7;

export const engagementRowSchema = z.object({
  dimension: z.enum(ENGAGEMENT_DIMENSIONS),
  key: z
    .string()
    .describe("'all', the agent's, team's or rule's id ('none': outside Parley / no team / not sent by a rule) or the reply-time band"),
  name: z.string(),
  people: z.number().int().describe("People (profiles) we replied to in the range, counted at our first reply"),
  with_before: z.number().int().describe("Of them, with an analyzed message in the window before the reply"),
  with_after: z.number().int().describe("With an analyzed message in the window after it"),
  negative_before: z.number().int().describe("Detractors: their last message before the reply was negative"),
  negative_after: z.number().int().describe("Their last message in the window after the reply was negative"),
  negative_share_before: z.number().nullable().describe("negative_before / with_before (null when none)"),
  negative_share_after: z.number().nullable().describe("negative_after / with_after (null when none)"),
  recovered: z.number().int().describe("Detractors recovered: negative before, wrote after, not negative after"),
  worsened: z.number().int().describe("Not negative before (or silent), negative after"),
  recovery_rate: z.number().nullable().describe("recovered / detractors who wrote after (null when none)"),
  churn_risk_before: z.number().int().describe("With a churn-risk message in the window before"),
  churn_risk_after: z.number().int().describe("With a churn-risk message in the window after"),
});
export const engagementPointSchema = z.object({
  bucket: bucketKey.describe("The bucket of our first reply"),
  people: z.number().int(),
  detractors: z.number().int(),
  recovered: z.number().int(),
});
export const engagementReportSchema = z.object({
  range: reportRangeSchema,
  window_days: z.number().int().describe("Days before and after the first reply in which messages count"),
  rows: z
    .array(engagementRowSchema)
    .describe("The 'all' row first, then by agent, team, rule (the rule whose send_reply action sent the first reply) and reply-time band"),
  series: z.array(engagementPointSchema).describe("Per bucket of the first reply (every bucket, zeros included)"),
});
export type EngagementRow = z.output<typeof engagementRowSchema>;
export type EngagementReport = z.output<typeof engagementReportSchema>;
