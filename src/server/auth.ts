import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import {
  type Actor,
  actorFromApiKey,
  actorFromSession,
  type Permission,
  type RequestOrigin,
  requirePermission,
  requireScope,
} from "../accounts";
import { AppError } from "../shared/errors";
import type { Db } from "../store/db";
import { chooseWorkspace } from "../store/workspaces";
import { writeWatchOf } from "../store/write-watch";

export const SESSION_COOKIE = "parley_session";

/** Every route says who may call it: the public, any signed-in actor, or a permission. */
export type Access = "public" | "authenticated" | Permission;

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE];
}

/**
 * The running server's per-run local token (written to server.json in the data
 * dir, mode 0600) lets the CLI on this machine act as the owner of a workspace,
 * chosen by X-Parley-Workspace (id or name; default: the only one).
 */
export const LOCAL_TOKEN_PREFIX = "parley_local_";
export const LOCAL_WORKSPACE_HEADER = "x-parley-workspace";
/** Answered to local-token requests: the workspace the request acted on. */
export const LOCAL_WORKSPACE_ID_HEADER = "x-parley-workspace-id";

const digest = (value: string) => createHash("sha256").update(value).digest();

function isLocalConnection(request: FastifyRequest): boolean {
  // The socket's own addresses: X-Forwarded-For (trustProxy) must not make a remote caller local.
  const socket = request.raw.socket;
  const remote = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  return remote === "::1" || remote.startsWith("127.") || (remote !== "" && remote === (socket.localAddress ?? "").replace(/^::ffff:/, ""));
}

// The CLI percent-encodes the workspace name (headers are Latin-1); a malformed one is taken as written.
function decodeHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function localActor(db: Db, request: FastifyRequest, token: string, localToken: string | undefined): Promise<Actor> {
  if (!localToken || !timingSafeEqual(digest(token), digest(localToken)))
    throw new AppError("unauthorized", "This local token is not the running server's");
  if (!isLocalConnection(request)) throw new AppError("unauthorized", "The local token is accepted only from this machine");
  const wanted = request.headers[LOCAL_WORKSPACE_HEADER];
  const workspaceId = await chooseWorkspace(db, typeof wanted === "string" && wanted ? decodeHeader(wanted) : undefined);
  return { workspaceId, role: "owner", kind: "user", userId: null, label: "cli" };
}

type Clock = () => Date;

async function identify(db: Db, request: FastifyRequest, localToken: string | undefined, now: Clock): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError("unauthorized", "Authorization must be 'Bearer <api key>'");
    if (match[1].startsWith(LOCAL_TOKEN_PREFIX)) return localActor(db, request, match[1], localToken);
    const actor = await actorFromApiKey(db, match[1], now());
    if (!actor) throw new AppError("unauthorized", "This API key is unknown, revoked or expired");
    return actor;
  }
  const token = sessionToken(request);
  if (!token) return null;
  // Idle and absolute expiry are checked here, on every request (src/accounts/sessions.ts).
  const actor = await actorFromSession(db, token, now());
  if (actor && !["GET", "HEAD", "OPTIONS"].includes(request.method)) checkSameOrigin(request);
  return actor;
}

// Cookie-authenticated writes must come from our own pages.
function checkSameOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  if (!origin) return;
  const host = request.headers["x-forwarded-host"] ?? request.headers.host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", "Cross-site request refused");
  }
  if (originHost !== host) throw new AppError("forbidden", "Cross-site request refused");
}

/** Where a request came from, as the audit log records it. */
export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const agent = request.headers["user-agent"];
  return { ip: request.ip, ...(typeof agent === "string" ? { userAgent: agent } : {}) };
}

async function identifyWithOrigin(db: Db, request: FastifyRequest, localToken: string | undefined, now: Clock): Promise<Actor | null> {
  const actor = await identify(db, request, localToken, now);
  return actor ? { ...actor, origin: requestOrigin(request) } : null;
}

export function authHook(db: Db, localToken?: string, now: Clock = () => new Date()) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (!access) throw new AppError("internal", `route ${request.routeOptions.url} declares no access rule`);
    request.actor = null;
    if (access === "public") {
      // Public routes still know who is signed in, when someone is.
      request.actor = await identifyWithOrigin(db, request, localToken, now).catch(() => null);
      return;
    }
    const actor = await identifyWithOrigin(db, request, localToken, now);
    if (!actor) throw new AppError("unauthorized", "Sign in or send 'Authorization: Bearer <api key>'");
    request.actor = actor;
    if (request.headers.authorization?.includes(LOCAL_TOKEN_PREFIX)) reply.header(LOCAL_WORKSPACE_ID_HEADER, actor.workspaceId);
    if (access !== "authenticated") requirePermission(actor, access);
    requireScope(actor, access, request.method);
    // Until they set up a second factor, members of a workspace that requires one reach only their own account's routes.
    if (actor.twoFactorSetupRequired && access !== "authenticated") {
      throw new AppError("forbidden", "This workspace requires two-factor sign-in: set it up under Settings → Security first");
    }
  };
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError("unauthorized", "Sign in first");
  return request.actor;
}

const writeMarks = new WeakMap<FastifyRequest, number>();

/**
 * The server's side of the brief caches of src/store/write-watch.ts: when a request that may
 * write has answered (its transaction committed), what was cached from the tables it wrote is
 * forgotten once more, so no other request can keep a row it read before the commit.
 */
export function settleCachedReads(db: Db) {
  const watch = writeWatchOf(db);
  return {
    onRequest: async (request: FastifyRequest) => {
      if (watch && request.method !== "GET" && request.method !== "HEAD") writeMarks.set(request, watch.mark());
    },
    onResponse: async (request: FastifyRequest) => {
      const mark = writeMarks.get(request);
      if (watch && mark !== undefined) watch.settle(mark);
    },
  };
}
