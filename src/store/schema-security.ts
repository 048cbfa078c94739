import type { Timestamp } from "./schema-columns";

// Tables of account security (migration 018): a user's single-use recovery codes (hashed) and
// the short-lived challenge between a right password and the second factor.

export type RecoveryCodeTable = {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Timestamp;
};

export type SignInChallengeTable = {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  expires_at: Date;
  created_at: Timestamp;
};

export type SecurityTables = {
  recovery_codes: RecoveryCodeTable;
  sign_in_challenges: SignInChallengeTable;
};
