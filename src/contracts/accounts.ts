import { z } from "zod";
import { type Response, timestamp } from "./common";
import { KEY_ROLES, KEY_SCOPES, ROLES } from "./enums";

// Sign-up and sign-in, the workspace, its users, invitations, teams and API keys.

const role = z.enum(ROLES);
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be an email address" }));

// ---------- Requests

export const credentialsSchema = z.object({ email, password: z.string().min(1, { message: "is required" }).max(200) }).strict();
export const signUpSchema = z
  .object({
    email,
    password: z.string().min(8, { message: "must be at least 8 characters" }).max(200),
    name: z.string().trim().min(1).max(150),
    workspace_name: z.string().trim().min(1).max(150),
  })
  .strict();
export const invitationTokenParams = z.object({ token: z.string().min(10).max(200) });
export const acceptInvitationSchema = z.object({ name: z.string().trim().min(1).max(150), password: z.string().min(8).max(200) }).strict();
export const workspacePatchSchema = z
  .object({ name: z.string().trim().min(1).max(150).optional(), open_signup: z.boolean().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.open_signup !== undefined, { message: "give name or open_signup" });
export const roleChangeSchema = z.object({ role }).strict();
export const invitationInputSchema = z.object({ email, role, team_ids: z.array(z.uuid()).max(50).optional() }).strict();
export const teamInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    member_ids: z.array(z.uuid()).max(500).optional(),
  })
  .strict();
export const teamPatchSchema = teamInputSchema.partial().strict();
export const apiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(KEY_ROLES),
    /** read: GET only; write: no admin settings; admin: all the role allows (the default). */
    scope: z.enum(KEY_SCOPES).optional(),
    expires_at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 time" }).nullable().optional(),
  })
  .strict();

// Account security: the sign-in's second step, two-factor set-up, sessions, workspace settings.
const code = z.string().trim().min(6, { message: "must be a 6-digit code or a recovery code" }).max(40);
export const secondFactorSchema = z.object({ challenge: z.string().min(10).max(200), code }).strict();
export const twoFactorCodeSchema = z.object({ code }).strict();
/** Proof before a change to one's own security: the password or a current code. */
export const identityProofSchema = z
  .object({ password: z.string().min(1).max(200).optional(), code: code.optional() })
  .strict()
  .refine((b) => b.password !== undefined || b.code !== undefined, { message: "give password or code", path: ["password"] });
export const securitySettingsPatchSchema = z
  .object({
    require_two_factor: z.boolean().optional(),
    session_idle_minutes: z.number().int().optional(),
    session_max_days: z.number().int().optional(),
  })
  .strict();

// ---------- Responses

export const setupStateSchema = z.object({ needs_setup: z.boolean(), signup_open: z.boolean() });
export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  open_signup: z.boolean(),
  /** This is the server's first workspace, whose owner decides whether strangers may sign up. */
  controls_signup: z.boolean(),
});
export const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  workspace: workspaceSchema.nullable(),
  role,
  kind: z.enum(["user", "api_key"]),
  two_factor: z.object({
    enabled: z.boolean(),
    /** The workspace requires two-factor sign-in and this person has not set it up: the app sends them there. */
    setup_required: z.boolean(),
  }),
});
/** The password was right and the account has a second factor: send the challenge back with a code. */
export const twoFactorChallengeSchema = z.object({
  two_factor_required: z.literal(true),
  challenge: z.string(),
  expires_at: timestamp,
});
/** What sign-in (and accepting an invitation) answers: who is signed in now, or the code step's challenge. */
export const signInAnswerSchema = z.union([meSchema, twoFactorChallengeSchema]).nullable();
export const invitationPreviewSchema = z.object({ email: z.string(), role, workspace_name: z.string() });

export const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  team_ids: z.array(z.string()),
  /** Signs in with a second factor. */
  two_factor: z.boolean(),
  created_at: timestamp,
});
export const memberListSchema = z.object({ data: z.array(memberSchema) });
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role,
  team_ids: z.array(z.string()),
  expires_at: timestamp,
  created_at: timestamp,
});
export const invitationListSchema = z.object({ data: z.array(invitationSchema) });
/** The one answer that holds the invitation's token (for the invite link). */
export const invitationCreatedSchema = z.object({ id: z.string(), token: z.string(), email: z.string(), role });

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  member_ids: z.array(z.string()),
  created_at: timestamp,
});
export const teamListSchema = z.object({ data: z.array(teamSchema) });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role,
  scope: z.enum(KEY_SCOPES),
  expires_at: timestamp.nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});
export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema) });
/** The one answer that holds the key's secret. */
export const apiKeyCreatedSchema = apiKeySchema.partial().extend({ secret: z.string() });

export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabled_at: timestamp.nullable(),
  recovery_codes_left: z.number().int(),
  /** The workspace requires it of every member. */
  required: z.boolean(),
});
/** A secret waiting for its first code: the QR code holds the URI; the secret is for typing in by hand. */
export const twoFactorEnrolmentSchema = z.object({ secret: z.string(), uri: z.string() });
/** Shown once: each code signs in once when the phone is not at hand. */
export const recoveryCodesSchema = z.object({ recovery_codes: z.array(z.string()) });
export const sessionSchema = z.object({
  id: z.string(),
  created_at: timestamp,
  last_seen_at: timestamp,
  /** When it ends if not used again (idle or absolute limit, whichever comes first). */
  ends_at: timestamp,
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  /** The session this request came through. */
  current: z.boolean(),
});
export const sessionListSchema = z.object({ data: z.array(sessionSchema) });
export const revokedSessionsSchema = z.object({ revoked: z.number().int() });
export const securitySettingsSchema = z.object({
  require_two_factor: z.boolean(),
  session_idle_minutes: z.number().int(),
  session_max_days: z.number().int(),
});

export type SetupState = Response<typeof setupStateSchema>;
export type InvitationPreview = Response<typeof invitationPreviewSchema>;
export type Me = Response<typeof meSchema>;
export type Workspace = Response<typeof workspaceSchema>;
export type Member = Response<typeof memberSchema>;
export type Invitation = Response<typeof invitationSchema>;
export type Team = Response<typeof teamSchema>;
export type ApiKey = Response<typeof apiKeySchema>;
export type TwoFactorChallenge = Response<typeof twoFactorChallengeSchema>;
export type TwoFactorStatus = Response<typeof twoFactorStatusSchema>;
export type TwoFactorEnrolment = Response<typeof twoFactorEnrolmentSchema>;
export type SessionInfo = Response<typeof sessionSchema>;
export type SecuritySettings = Response<typeof securitySettingsSchema>;
