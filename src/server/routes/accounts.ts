import * as accounts from "../../accounts";
import * as c from "../../contracts";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

function presentMember(m: {
  id: string;
  email: string;
  name: string;
  role: c.Role;
  team_ids: string[];
  two_factor: boolean;
  created_at: Date;
}) {
  return { id: m.id, email: m.email, name: m.name, role: m.role, team_ids: m.team_ids, two_factor: m.two_factor, created_at: m.created_at };
}

function presentInvitation(i: { id: string; email: string; role: c.Role; team_ids: string[]; expires_at: Date; created_at: Date }) {
  return { id: i.id, email: i.email, role: i.role, team_ids: i.team_ids, expires_at: i.expires_at, created_at: i.created_at };
}

function presentTeam(t: { id: string; name: string; description: string | null; member_ids: string[]; created_at: Date }) {
  return { id: t.id, name: t.name, description: t.description, member_ids: t.member_ids, created_at: t.created_at };
}

function presentApiKey(k: {
  id: string;
  name: string;
  prefix: string;
  role: c.KeyRole;
  scope: c.KeyScope;
  expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    scope: k.scope,
    expires_at: k.expires_at,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    revoked_at: k.revoked_at,
  };
}

export function accountRoutes(app: App, { db, now }: ServerContext) {
  routeGroup(app, ["workspace"]).patch("/workspace", {
    access: "workspace:manage",
    summary: "Rename the workspace; the owner of the server's first workspace also opens or closes sign-up",
    body: c.workspacePatchSchema,
    response: c.workspaceSchema.nullable(),
    run: async (actor, { body }) => {
      if (body.open_signup !== undefined) await accounts.setOpenSignup(db, actor, body.open_signup);
      if (body.name !== undefined) await accounts.renameWorkspace(db, actor, body.name);
      return (await accounts.currentUser(db, actor)).workspace;
    },
  });

  const security = routeGroup(app, ["workspace"]);
  security.get("/workspace/security", {
    access: "users:manage",
    summary: "The workspace's security settings: whether every member must use two-factor sign-in, and when sessions expire",
    response: c.securitySettingsSchema,
    run: (actor) => accounts.getSecuritySettings(db, actor),
  });
  security.patch("/workspace/security", {
    access: "users:manage",
    summary: "Require two-factor sign-in of every member (set up your own first) and set idle and absolute session expiry",
    body: c.securitySettingsPatchSchema,
    response: c.securitySettingsSchema,
    run: (actor, { body }) => accounts.updateSecuritySettings(db, actor, body),
  });
  routeGroup(app, ["users"]).post("/users/:id/two-factor/reset", {
    access: "users:manage",
    summary:
      "Remove a member's second factor (lost phone and recovery codes) and end their sessions; only for members of this workspace alone",
    status: 204,
    run: async (actor, { id }) => {
      await accounts.resetTwoFactor(db, actor, id);
    },
  });

  // Users (members of this workspace)
  crudRoutes(app, {
    path: "/users",
    tags: ["users"],
    write: "users:manage",
    list: {
      summary: "List the workspace's users",
      response: c.memberListSchema,
      run: async (actor) => ({ data: (await accounts.listMembers(db, actor.workspaceId)).map(presentMember) }),
    },
    patch: {
      summary: "Change a user's role",
      body: c.roleChangeSchema,
      response: c.memberSchema.omit({ created_at: true }).nullable(),
      run: async (actor, id, body) => {
        await accounts.changeRole(db, actor, id, body.role);
        const member = (await accounts.listMembers(db, actor.workspaceId)).find((m) => m.id === id);
        return member
          ? {
              id: member.id,
              email: member.email,
              name: member.name,
              role: member.role,
              team_ids: member.team_ids,
              two_factor: member.two_factor,
            }
          : null;
      },
    },
    remove: { summary: "Remove a user from the workspace", run: (actor, id) => accounts.removeMember(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/invitations",
    tags: ["users"],
    read: "users:manage",
    write: "users:manage",
    list: {
      summary: "Pending invitations",
      response: c.invitationListSchema,
      run: async (actor) => ({ data: (await accounts.listInvitations(db, actor)).map(presentInvitation) }),
    },
    create: {
      summary: "Invite someone by email; the response holds the one-time token for the invite link",
      body: c.invitationInputSchema,
      response: c.invitationCreatedSchema,
      run: async (actor, b) => {
        const inv = await accounts.invite(db, actor, { email: b.email, role: b.role, teamIds: b.team_ids ?? [] });
        return { id: inv.id, token: inv.token, email: b.email, role: b.role };
      },
    },
    remove: { summary: "Cancel an invitation", run: (actor, id) => accounts.cancelInvitation(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/teams",
    tags: ["teams"],
    write: "teams:manage",
    list: {
      summary: "List teams",
      response: c.teamListSchema,
      run: async (actor) => ({ data: (await accounts.listTeams(db, actor.workspaceId)).map(presentTeam) }),
    },
    create: {
      summary: "Create a team",
      body: c.teamInputSchema,
      response: c.teamSchema,
      run: async (actor, b) =>
        presentTeam(await accounts.createTeam(db, actor, { name: b.name, description: b.description, memberIds: b.member_ids })),
    },
    get: {
      summary: "One team",
      response: c.teamSchema,
      run: async (actor, id) => presentTeam(await accounts.getTeam(db, actor.workspaceId, id)),
    },
    patch: {
      summary: "Change a team",
      body: c.teamPatchSchema,
      response: c.teamSchema,
      run: async (actor, id, b) =>
        presentTeam(await accounts.updateTeam(db, actor, id, { name: b.name, description: b.description, memberIds: b.member_ids })),
    },
    remove: { summary: "Delete a team", run: (actor, id) => accounts.deleteTeam(db, actor, id) },
  });

  crudRoutes(app, {
    path: "/api-keys",
    tags: ["api keys"],
    read: "keys:manage",
    write: "keys:manage",
    list: {
      summary: "List API keys (never their secrets)",
      response: c.apiKeyListSchema,
      run: async (actor) => ({ data: (await accounts.listApiKeys(db, actor)).map(presentApiKey) }),
    },
    create: {
      summary: "Create an API key; its secret is in this response only",
      body: c.apiKeyInputSchema,
      response: c.apiKeyCreatedSchema,
      run: async (actor, body) => {
        const key = await accounts.createApiKey(
          db,
          actor,
          {
            workspaceId: actor.workspaceId,
            name: body.name,
            role: body.role,
            scope: body.scope,
            expiresAt: body.expires_at ? new Date(body.expires_at) : null,
          },
          now(),
        );
        const row = (await accounts.listApiKeys(db, actor)).find((k) => k.id === key.id);
        return { ...(row ? presentApiKey(row) : {}), secret: key.secret };
      },
    },
    remove: { summary: "Revoke an API key", run: (actor, id) => accounts.revokeApiKey(db, actor, id) },
  });
}
