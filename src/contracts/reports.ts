import { z } from "zod";
import { uuid } from "./common";
import { NETWORKS } from "./enums";

// Insight reports (issue 16): listening (what customers say) and service (how fast and how well we answer).
// Every figure is computed over a date range read in the workspace's time zone.

export const REPORT_NAMES = ["listening", "service"] as const;
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
