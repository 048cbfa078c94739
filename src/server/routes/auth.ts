import type { FastifyRequest } from "fastify";
import * as accounts from "../../accounts";
import * as c from "../../contracts";
import { requestOrigin, SESSION_COOKIE, sessionToken } from "../auth";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

function presentSession(s: {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  ends_at: Date;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}) {
  return {
    id: s.id,
    created_at: s.created_at,
    last_seen_at: s.last_seen_at,
    ends_at: s.ends_at,
    ip: s.ip,
    user_agent: s.user_agent,
    current: s.current,
  };
}

export function authRoutes(app: App, { db, secureCookies, openSignup, signInThrottle, now }: ServerContext) {
  // A new session: its cookie goes on the reply, and the answer is who is now signed in. An account
  // with a second factor gets the code step's challenge instead, and no cookie yet.
  type CookieReply = { setCookie: (n: string, v: string, o: object) => unknown };
  const withSession = async (reply: CookieReply, session: { token: string; expiresAt: Date }) => {
    const { token, expiresAt: expires } = session;
    reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure: secureCookies, expires });
    const actor = await accounts.actorFromSession(db, token, now());
    return actor ? accounts.currentUser(db, actor) : null;
  };
  const signedIn = async (reply: CookieReply, result: accounts.SignInResult) =>
    "challenge" in result
      ? { two_factor_required: true as const, challenge: result.challenge, expires_at: result.expiresAt }
      : withSession(reply, result);
  // A password attempt: where it comes from (throttle and audit) and the throttle's clock and policy.
  const attempt = (request: FastifyRequest) => ({ ...requestOrigin(request), now: now(), throttle: signInThrottle });
  const proofAttempt = (actor: accounts.Actor) => ({ origin: actor.origin, now: now(), throttle: signInThrottle });

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
      const session = await accounts.startSession(db, userId, workspaceId, { origin: requestOrigin(request), now: now() });
      return reply.status(201).send(await withSession(reply, session));
    },
  );

  app.post(
    "/auth/signin",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary:
          "Sign in with email and password. Repeated failures lock the account (and the client address) for a while: 429 with Retry-After. " +
          "An account with two-factor sign-in answers with a challenge instead: send it with a code to /auth/signin/two-factor",
        body: c.credentialsSchema,
        response: { 200: c.signInAnswerSchema },
      },
    },
    async (request, reply) => {
      return signedIn(reply, await accounts.signIn(db, request.body.email, request.body.password, attempt(request)));
    },
  );

  app.post(
    "/auth/signin/two-factor",
    {
      config: { access: "public" },
      schema: {
        tags: ["auth"],
        summary:
          "The second step of sign-in: the challenge and a code from the authenticator app (or a single-use recovery code). Throttled like passwords",
        body: c.secondFactorSchema,
        response: { 200: c.signInAnswerSchema },
      },
    },
    async (request, reply) => {
      return signedIn(reply, await accounts.completeSignIn(db, request.body.challenge, request.body.code, attempt(request)));
    },
  );

  app.post(
    "/auth/signout",
    { config: { access: "public" }, schema: { tags: ["auth"], summary: "End this browser session", response: { 204: c.noContent } } },
    async (request, reply) => {
      const token = sessionToken(request);
      if (token) await accounts.signOut(db, token, requestOrigin(request), now());
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send();
    },
  );

  const me = routeGroup(app, ["auth"]);
  me.get("/auth/me", {
    access: "authenticated",
    summary: "Who is calling, in which workspace, with which role",
    response: c.meSchema,
    run: (actor) => accounts.currentUser(db, actor),
  });

  // One's own account security: the second factor and the sessions (people only, never API keys).
  const security = routeGroup(app, ["account security"]);
  security.get("/auth/two-factor", {
    access: "authenticated",
    summary: "Whether two-factor sign-in is on for me, how many recovery codes are left, and whether the workspace requires it",
    response: c.twoFactorStatusSchema,
    run: (actor) => accounts.twoFactorStatus(db, actor),
  });
  security.post("/auth/two-factor/enrol", {
    access: "authenticated",
    summary: "Start setting up an authenticator app: a new secret (and its otpauth:// URI for the QR code), active once confirmed",
    response: c.twoFactorEnrolmentSchema,
    run: (actor) => accounts.startEnrolment(db, actor),
  });
  security.post("/auth/two-factor/confirm", {
    access: "authenticated",
    summary: "Confirm the set-up with the app's current code: two-factor sign-in is on; the answer holds ten recovery codes, shown once",
    body: c.twoFactorCodeSchema,
    response: c.recoveryCodesSchema,
    run: (actor, { body }) => accounts.confirmEnrolment(db, actor, body.code, now()),
  });
  security.post("/auth/two-factor/disable", {
    access: "authenticated",
    summary: "Turn two-factor sign-in off, with the password or a current code (throttled like sign-in)",
    body: c.identityProofSchema,
    status: 204,
    run: (actor, { body }) => accounts.disableTwoFactor(db, actor, body, proofAttempt(actor)),
  });
  security.post("/auth/two-factor/recovery-codes", {
    access: "authenticated",
    summary: "Replace all recovery codes with ten new ones (password or current code required); shown once",
    body: c.identityProofSchema,
    response: c.recoveryCodesSchema,
    run: (actor, { body }) => accounts.regenerateRecoveryCodes(db, actor, body, proofAttempt(actor)),
  });
  security.get("/auth/sessions", {
    access: "authenticated",
    summary: "My sessions in this workspace: when they started, were last seen and end, from which address and browser",
    response: c.sessionListSchema,
    run: async (actor) => ({ data: (await accounts.listMySessions(db, actor, now())).map(presentSession) }),
  });
  security.delete("/auth/sessions/:id", {
    access: "authenticated",
    summary: "End one of my sessions (signs that browser out)",
    status: 204,
    run: (actor, { id }) => accounts.revokeSession(db, actor, id),
  });
  security.post("/auth/sessions/revoke-others", {
    access: "authenticated",
    summary: "End all my other sessions in this workspace, keeping this one",
    response: c.revokedSessionsSchema,
    run: (actor) => accounts.revokeOtherSessions(db, actor),
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
        response: { 200: c.signInAnswerSchema },
      },
    },
    async (request, reply) => {
      return signedIn(reply, await accounts.acceptInvitation(db, request.params.token, request.body, attempt(request)));
    },
  );
}
