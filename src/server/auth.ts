import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, actorFromApiKey, actorFromSession, type Permission, requirePermission } from "../accounts";
import { AppError } from "../shared/errors";
import type { Db } from "../store/db";

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

async function identify(db: Db, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError("unauthorized", "Authorization must be 'Bearer <api key>'");
    const actor = await actorFromApiKey(db, match[1]);
    if (!actor) throw new AppError("unauthorized", "This API key is unknown or revoked");
    return actor;
  }
  const token = sessionToken(request);
  if (!token) return null;
  const actor = await actorFromSession(db, token);
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

export function authHook(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (!access) throw new AppError("internal", `route ${request.routeOptions.url} declares no access rule`);
    request.actor = null;
    if (access === "public") {
      // Public routes still know who is signed in, when someone is.
      request.actor = await identify(db, request).catch(() => null);
      return;
    }
    const actor = await identify(db, request);
    if (!actor) throw new AppError("unauthorized", "Sign in or send 'Authorization: Bearer <api key>'");
    request.actor = actor;
    if (access !== "authenticated") requirePermission(actor, access);
  };
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError("unauthorized", "Sign in first");
  return request.actor;
}
