import { z } from "zod";
import { type Response, timestamp } from "./common";
import { KEY_ROLES, ROLES } from "./enums";

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
export const apiKeyInputSchema = z.object({ name: z.string().trim().min(1).max(100), role: z.enum(KEY_ROLES) }).strict();

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
});
export const invitationPreviewSchema = z.object({ email: z.string(), role, workspace_name: z.string() });

export const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  team_ids: z.array(z.string()),
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
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});
export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema) });
/** The one answer that holds the key's secret. */
export const apiKeyCreatedSchema = apiKeySchema.partial().extend({ secret: z.string() });

export type SetupState = Response<typeof setupStateSchema>;
export type InvitationPreview = Response<typeof invitationPreviewSchema>;
export type Me = Response<typeof meSchema>;
export type Workspace = Response<typeof workspaceSchema>;
export type Member = Response<typeof memberSchema>;
export type Invitation = Response<typeof invitationSchema>;
export type Team = Response<typeof teamSchema>;
export type ApiKey = Response<typeof apiKeySchema>;
