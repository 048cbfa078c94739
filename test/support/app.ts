import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { createApiKey, createUser } from "../../src/accounts";
import { type BuildOptions, buildApp, type RouteInfo } from "../../src/server/app";
import type { Role } from "../../src/store/schema";
import { openTestStore } from "./store";

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * The real app, in-process, on a real migrated database. Sign-up is open by default
 * so each test can make its own workspaces (`newWorkspace`); pass `{ openSignup: false }`
 * to test the server's real default.
 */
export async function startTestApp(options: Omit<BuildOptions, "db"> = {}) {
  const store = await openTestStore();
  const { app, routes } = await buildApp({ openSignup: true, ...options, db: store.db });
  await app.ready();
  return {
    app,
    db: store.db,
    routes: routes as RouteInfo[],
    kind: store.kind,
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}

export type Caller = {
  workspaceId: string;
  userId: string;
  request: (method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
};

function callerFrom(t: TestApp, workspaceId: string, userId: string, auth: Record<string, string>): Caller {
  return {
    workspaceId,
    userId,
    request: (method, url, body, headers = {}) =>
      t.app.inject({
        method: method as "GET",
        url,
        headers: {
          ...auth,
          ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      }),
  };
}

/** Signs up a fresh workspace through the API; returns its owner as a caller. */
export async function newWorkspace(t: TestApp, name = "Acme"): Promise<Caller> {
  const email = `owner-${randomBytes(5).toString("hex")}@example.com`;
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/signup",
    payload: { email, name: "Olivia Owner", password: "correct horse", workspace_name: name },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "parley_session");
  if (!cookie) throw new Error("no session cookie");
  const me = res.json() as { user: { id: string }; workspace: { id: string } };
  return callerFrom(t, me.workspace.id, me.user.id, { cookie: `parley_session=${cookie.value}` });
}

/** A user with `role` in the owner's workspace, signed in through the API. */
export async function memberWithRole(t: TestApp, owner: Caller, role: Role): Promise<Caller> {
  const email = `${role}-${randomBytes(5).toString("hex")}@example.com`;
  const user = await createUser(t.db, null, {
    workspaceId: owner.workspaceId,
    email,
    name: `${role} user`,
    password: "correct horse",
    role,
  });
  const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: "correct horse" } });
  const cookie = res.cookies.find((c) => c.name === "parley_session");
  if (!cookie) throw new Error(`signin failed: ${res.body}`);
  return callerFrom(t, owner.workspaceId, user.id, { cookie: `parley_session=${cookie.value}` });
}

/** An API key caller of the given role in the owner's workspace. */
export async function apiKeyCaller(t: TestApp, owner: Caller, role: "admin" | "manager" | "agent" | "viewer"): Promise<Caller> {
  const key = await createApiKey(t.db, null, { workspaceId: owner.workspaceId, name: `${role} key`, role });
  return callerFrom(t, owner.workspaceId, owner.userId, { authorization: `Bearer ${key.secret}` });
}

/**
 * A registered route pattern made concrete: `:id` and `:<name>_id` (optionally with a regex,
 * e.g. `:id(^[^:/]+)`) replaced by `id`, and Fastify's `::` escape turned into the literal colon.
 */
export function concreteUrl(pattern: string, id: string): string {
  return pattern.replace(/:(?:[a-z]+_)?id(?![a-z_])(\([^)]*\))?/g, id).replaceAll("::", ":");
}
