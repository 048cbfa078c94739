import type { FastifyRequest } from "fastify";
import * as accounts from "../../accounts";
import * as c from "../../contracts";
import { requestOrigin, SESSION_COOKIE, sessionToken } from "../auth";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

export function authRoutes(app: App, { db, secureCookies, openSignup, signInThrottle, now }: ServerContext) {
  // A new session: its cookie goes on the reply, and the answer is who is now signed in.
  const signedIn = async (
    reply: { setCookie: (n: string, v: string, o: object) => unknown },
    session: { token: string; expiresAt: Date },
  ) => {
    const { token, expiresAt: expires } = session;
    reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure: secureCookies, expires });
    const actor = await accounts.actorFromSession(db, token);
    return actor ? accounts.currentUser(db, actor) : null;
  };
  // A password attempt: where it comes from (throttle and audit) and the throttle's clock and policy.
  const attempt = (request: FastifyRequest) => ({ ...requestOrigin(request), now: now(), throttle: signInThrottle });

  app.get(
    "/auth/setup",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Whether the first owner still has to sign up, and whether anyone may sign up",
        response: { 200: c.setupStateSchema },
      },
    },
    async () => ({
      needs_setup: await accounts.needsSetup(db),
      signup_open: await accounts.signupOpen(db, openSignup),
    }),
  );

  app.post(
    "/auth/signup",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary:
          "Create a workspace and its owner account. Open to the first visitor; after that only when the server or the first workspace's owner allows it (403 otherwise: ask for an invitation)",
        body: c.signUpSchema,
        response: { 201: c.meSchema.nullable() },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { userId, workspaceId } = await accounts.signUp(
        db,
        { email: b.email, name: b.name, password: b.password, workspaceName: b.workspace_name },
        { serverOpen: openSignup },
      );
      return reply.status(201).send(await signedIn(reply, await accounts.startSession(db, userId, workspaceId)));
    },
  );

  app.post(
    "/auth/signin",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary:
          "Sign in with email and password. Repeated failures lock the account (and the client address) for a while: 429 with Retry-After",
        body: c.credentialsSchema,
        response: { 200: c.meSchema.nullable() },
      },
    },
    async (request, reply) => {
      return signedIn(reply, await accounts.signIn(db, request.body.email, request.body.password, attempt(request)));
    },
  );

  app.post(
    "/auth/signout",
    { config: { access: "public" }, schema: { tags: ["auth"], summary: "End this browser session", response: { 204: c.noContent } } },
    async (request, reply) => {
      const token = sessionToken(request);
      if (token) await accounts.signOut(db, token, requestOrigin(request));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send();
    },
  );

  routeGroup(app, ["auth"]).get("/auth/me", {
    access: "authenticated",
    summary: "Who is calling, in which workspace, with which role",
    response: c.meSchema,
    run: (actor) => accounts.currentUser(db, actor),
  });

  app.get(
    "/auth/invitations/:token",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Describe an invitation",
        params: c.invitationTokenParams,
        response: { 200: c.invitationPreviewSchema },
      },
    },
    async (request) => {
      const inv = await accounts.describeInvitation(db, request.params.token);
      return { email: inv.email, role: inv.role, workspace_name: inv.workspaceName };
    },
  );

  app.post(
    "/auth/invitations/:token/accept",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary: "Accept an invitation: creates the account (or joins with an existing one) and signs in",
        params: c.invitationTokenParams,
        body: c.acceptInvitationSchema,
        response: { 200: c.meSchema.nullable() },
      },
    },
    async (request, reply) => {
      return signedIn(reply, await accounts.acceptInvitation(db, request.params.token, request.body, attempt(request)));
    },
  );
}
