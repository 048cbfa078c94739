import { z } from "zod";
import { listOf, type Response, timestamp, uuid } from "./common";

// Privacy (issue 13): the consent ledger, erasure, retention policies and PII redaction.

export const CONSENT_PURPOSES = ["marketing_email", "marketing_sms", "social_engagement", "profiling"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const CONSENT_STATUSES = ["granted", "withdrawn"] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const RETENTION_SCOPES = ["non_contacts", "all_inbound"] as const;
export type RetentionScope = (typeof RETENTION_SCOPES)[number];
export const SUPPRESSION_KINDS = ["profile", "handle", "email"] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

export const consentRecordSchema = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES).describe("What the consent is for"),
    status: z.enum(CONSENT_STATUSES),
    source: z.string().trim().min(1).max(100).default("manual").describe("Where it came from: web form, phone call, import…"),
    note: z.string().trim().max(1000).nullish(),
  })
  .strict();
export type ConsentRecordInput = z.input<typeof consentRecordSchema>;

export const consentEntrySchema = z.object({
  id: z.string(),
  purpose: z.enum(CONSENT_PURPOSES),
  status: z.enum(CONSENT_STATUSES),
  source: z.string(),
  note: z.string().nullable(),
  recorded_by: z.string().describe("user:<id>, api_key:<id>, cli or system"),
  recorded_by_name: z.string().nullable(),
  recorded_at: timestamp,
});

export const consentViewSchema = z.object({
  contact_id: z.string(),
  current: z
    .array(
      z.object({
        purpose: z.enum(CONSENT_PURPOSES),
        status: z.enum(["granted", "withdrawn", "unknown"]).describe("unknown: never recorded (treated as not granted)"),
        source: z.string().nullable(),
        recorded_at: timestamp.nullable(),
        recorded_by_name: z.string().nullable(),
      }),
    )
    .describe("One row per purpose: the newest ledger entry"),
  ledger: z.array(consentEntrySchema).describe("Every entry, newest first (append-only)"),
});
export type ConsentView = Response<typeof consentViewSchema>;

export const eraseBodySchema = z
  .object({
    confirm_name: z.string().trim().min(1).max(500).describe("The contact's name, typed again: erasure cannot be undone"),
  })
  .strict();

export const erasureResultSchema = z.object({
  contact_id: z.string(),
  erased_at: timestamp,
  messages_tombstoned: z.number().int(),
  profiles_deleted: z.number().int(),
  suppressions: z.number().int().describe("Identity hashes that later ingest drops"),
  merges_scrubbed: z.number().int(),
  rows_deleted: z.record(z.string(), z.number().int()).describe("Rows removed per table (votes, notes, activities, consent…)"),
});
export type ErasureResult = Response<typeof erasureResultSchema>;

export const retentionPolicyInputSchema = z
  .object({
    channel_id: uuid.nullish().describe("A channel's policy; left out or null: the whole workspace"),
    scope: z
      .enum(RETENTION_SCOPES)
      .describe("non_contacts: inbound messages whose author is no contact; all_inbound: every inbound message"),
    days: z.number().int().min(1).max(36500).describe("Delete once older than this many days"),
    enabled: z.boolean().default(true),
  })
  .strict();
export type RetentionPolicyInput = z.input<typeof retentionPolicyInputSchema>;
export const retentionPolicyPatchSchema = z
  .object({
    scope: z.enum(RETENTION_SCOPES).optional(),
    days: z.number().int().min(1).max(36500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const retentionPolicySchema = z.object({
  id: z.string(),
  channel_id: z.string().nullable(),
  scope: z.enum(RETENTION_SCOPES),
  days: z.number().int(),
  enabled: z.boolean(),
  last_run_at: timestamp.nullable(),
  last_deleted: z.number().int().nullable(),
});
export const retentionPolicyListSchema = listOf(retentionPolicySchema);
export type RetentionPolicy = Response<typeof retentionPolicySchema>;

export const retentionRunQuerySchema = z.object({ dry_run: z.enum(["true", "false"]).default("true") }).strict();

export const retentionRunSchema = z.object({
  dry_run: z.boolean(),
  at: timestamp,
  policies: z.array(z.object({ id: z.string(), count: z.number().int().describe("Messages deleted (or that would be)") })),
  total: z.number().int(),
});
export type RetentionRun = Response<typeof retentionRunSchema>;

export const privacySettingsSchema = z.object({
  redact_emails: z.boolean(),
  redact_phones: z.boolean(),
  redact_cards: z.boolean(),
});
export const privacySettingsPatchSchema = privacySettingsSchema.partial().strict();
export type PrivacySettings = z.output<typeof privacySettingsSchema>;
