import * as accounts from "../../accounts";
import * as c from "../../contracts";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

const { idParams } = c;

function presentTeam(t: { id: string; name: string; description: string | null; member_ids: string[]; created_at: Date }) {
  return { id: t.id, name: t.name, description: t.description, member_ids: t.member_ids, created_at: t.created_at };
}

function presentApiKey(k: {
  id: string;
  name: string;
  prefix: string;
  role: c.KeyRole;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    revoked_at: k.revoked_at,
  };
}

export function accountRoutes(app: App, { db }: ServerContext) {
  app.patch(
    "/workspace",
    {
      config: { access: "workspace:manage" },
      schema: {
        tags: ["workspace"],
        summary: "Rename the workspace; the owner of the server's first workspace also opens or closes sign-up",
        body: c.workspacePatchSchema,
        response: { 200: c.workspaceSchema.nullable() },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (request.body.open_signup !== undefined) await accounts.setOpenSignup(db, actor, request.body.open_signup);
      if (request.body.name !== undefined) await accounts.renameWorkspace(db, actor, request.body.name);
      return (await accounts.currentUser(db, actor)).workspace;
    },
  );

  // Users (members of this workspace)
  app.get(
    "/users",
    {
      config: { access: "crm:read" },
      schema: { tags: ["users"], summary: "List the workspace's users", response: { 200: c.memberListSchema } },
    },
    async (request) => {
      const rows = await accounts.listMembers(db, actorOf(request).workspaceId);
      return {
        data: rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, team_ids: r.team_ids, created_at: r.created_at })),
      };
    },
  );

  app.patch(
    "/users/:id",
    {
      config: { access: "users:manage" },
      schema: {
        tags: ["users"],
        summary: "Change a user's role",
        params: idParams,
        body: c.roleChangeSchema,
        response: { 200: c.memberSchema.omit({ created_at: true }).nullable() },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await accounts.changeRole(db, actor, request.params.id, request.body.role);
      const member = (await accounts.listMembers(db, actor.workspaceId)).find((m) => m.id === request.params.id);
      return member ? { id: member.id, email: member.email, name: member.name, role: member.role, team_ids: member.team_ids } : null;
    },
  );

  app.delete(
    "/users/:id",
    {
      config: { access: "users:manage" },
      schema: { tags: ["users"], summary: "Remove a user from the workspace", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await accounts.removeMember(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Invitations
  app.get(
    "/invitations",
    {
      config: { access: "users:manage" },
      schema: { tags: ["users"], summary: "Pending invitations", response: { 200: c.invitationListSchema } },
    },
    async (request) => {
      const rows = await accounts.listInvitations(db, actorOf(request));
      return {
        data: rows.map((r) => ({
          id: r.id,
          email: r.email,
          role: r.role,
          team_ids: r.team_ids,
          expires_at: r.expires_at,
          created_at: r.created_at,
        })),
      };
    },
  );

  app.post(
    "/invitations",
    {
      config: { access: "users:manage" },
      schema: {
        tags: ["users"],
        summary: "Invite someone by email; the response holds the one-time token for the invite link",
        body: c.invitationInputSchema,
        response: { 201: c.invitationCreatedSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const inv = await accounts.invite(db, actorOf(request), { email: b.email, role: b.role, teamIds: b.team_ids ?? [] });
      return reply.status(201).send({ id: inv.id, token: inv.token, email: b.email, role: b.role });
    },
  );

  app.delete(
    "/invitations/:id",
    {
      config: { access: "users:manage" },
      schema: { tags: ["users"], summary: "Cancel an invitation", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await accounts.cancelInvitation(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // Teams

  app.get(
    "/teams",
    { config: { access: "crm:read" }, schema: { tags: ["teams"], summary: "List teams", response: { 200: c.teamListSchema } } },
    async (request) => ({
      data: (await accounts.listTeams(db, actorOf(request).workspaceId)).map(presentTeam),
    }),
  );

  app.get(
    "/teams/:id",
    { config: { access: "crm:read" }, schema: { tags: ["teams"], summary: "One team", params: idParams, response: { 200: c.teamSchema } } },
    async (request) => presentTeam(await accounts.getTeam(db, actorOf(request).workspaceId, request.params.id)),
  );

  app.post(
    "/teams",
    {
      config: { access: "teams:manage" },
      schema: { tags: ["teams"], summary: "Create a team", body: c.teamInputSchema, response: { 201: c.teamSchema } },
    },
    async (request, reply) => {
      const b = request.body;
      const team = await accounts.createTeam(db, actorOf(request), { name: b.name, description: b.description, memberIds: b.member_ids });
      return reply.status(201).send(presentTeam(team));
    },
  );

  app.patch(
    "/teams/:id",
    {
      config: { access: "teams:manage" },
      schema: { tags: ["teams"], summary: "Change a team", params: idParams, body: c.teamPatchSchema, response: { 200: c.teamSchema } },
    },
    async (request) => {
      const b = request.body;
      const team = await accounts.updateTeam(db, actorOf(request), request.params.id, {
        name: b.name,
        description: b.description,
        memberIds: b.member_ids,
      });
      return presentTeam(team);
    },
  );

  app.delete(
    "/teams/:id",
    {
      config: { access: "teams:manage" },
      schema: { tags: ["teams"], summary: "Delete a team", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await accounts.deleteTeam(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  // API keys
  app.get(
    "/api-keys",
    {
      config: { access: "keys:manage" },
      schema: { tags: ["api keys"], summary: "List API keys (never their secrets)", response: { 200: c.apiKeyListSchema } },
    },
    async (request) => ({
      data: (await accounts.listApiKeys(db, actorOf(request))).map(presentApiKey),
    }),
  );

  app.post(
    "/api-keys",
    {
      config: { access: "keys:manage" },
      schema: {
        tags: ["api keys"],
        summary: "Create an API key; its secret is in this response only",
        body: c.apiKeyInputSchema,
        response: { 201: c.apiKeyCreatedSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const key = await accounts.createApiKey(db, actor, { workspaceId: actor.workspaceId, ...request.body });
      const row = (await accounts.listApiKeys(db, actor)).find((k) => k.id === key.id);
      return reply.status(201).send({ ...(row ? presentApiKey(row) : {}), secret: key.secret });
    },
  );

  app.delete(
    "/api-keys/:id",
    {
      config: { access: "keys:manage" },
      schema: { tags: ["api keys"], summary: "Revoke an API key", params: idParams, response: { 204: c.noContent } },
    },
    async (request, reply) => {
      await accounts.revokeApiKey(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
