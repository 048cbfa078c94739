// Privacy (issue 13): the consent ledger, erasure's suppression list, retention policies and
// the redaction setting. Table types are merged into Database in schema.ts.
import type { ColumnType, Selectable } from "kysely";
import type { ConsentPurpose, ConsentStatus, RetentionScope, SuppressionKind } from "../contracts/privacy";
import type { Defaulted, NullableTimestamp, Timestamp } from "./schema-columns";

export type ConsentEventTable = {
  workspace_id: string;
  id: string;
  seq: ColumnType<string, never, never>;
  contact_id: string;
  purpose: ConsentPurpose;
  status: ConsentStatus;
  source: string;
  note: string | null;
  recorded_by: string;
  recorded_by_name: string | null;
  recorded_at: Timestamp;
};

/** A view: each contact's newest ledger entry per purpose. */
export type ContactConsentStateView = {
  workspace_id: ColumnType<string, never, never>;
  contact_id: ColumnType<string, never, never>;
  purpose: ColumnType<ConsentPurpose, never, never>;
  status: ColumnType<ConsentStatus, never, never>;
  source: ColumnType<string, never, never>;
  recorded_by: ColumnType<string, never, never>;
  recorded_by_name: ColumnType<string | null, never, never>;
  recorded_at: ColumnType<Date, never, never>;
};

export type PrivacySuppressionTable = {
  workspace_id: string;
  kind: SuppressionKind;
  hash: string;
  erased_at: Timestamp;
};

export type RetentionPolicyTable = {
  workspace_id: string;
  id: string;
  channel_id: string | null;
  scope: RetentionScope;
  days: number;
  enabled: Defaulted<boolean>;
  last_run_at: NullableTimestamp;
  last_deleted: number | null;
  created_at: Timestamp;
};

export type PrivacySettingsTable = {
  workspace_id: string;
  redact_emails: Defaulted<boolean>;
  redact_phones: Defaulted<boolean>;
  redact_cards: Defaulted<boolean>;
  updated_at: Timestamp;
};

export type PrivacyTables = {
  consent_events: ConsentEventTable;
  contact_consent_state: ContactConsentStateView;
  privacy_suppressions: PrivacySuppressionTable;
  retention_policies: RetentionPolicyTable;
  privacy_settings: PrivacySettingsTable;
};

export type ConsentEventRow = Selectable<ConsentEventTable>;
export type RetentionPolicyRow = Selectable<RetentionPolicyTable>;
export type PrivacySettingsRow = Selectable<PrivacySettingsTable>;
