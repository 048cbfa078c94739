import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import helmet from "helmet";
import { DEFAULT_THROTTLE, type ThrottlePolicy } from "../accounts";
import { Ingestor, Notifier } from "../ingest";
import type { Db } from "../store/db";
import { wire } from "../wiring";
import { authHook, settleCachedReads } from "./auth";
import { guardRequestInput } from "./edge";
import { handleError, sendError } from "./errors";
import { PortalHosts } from "./portal/hosts";
import { accountRoutes } from "./routes/accounts";
import { authRoutes } from "./routes/auth";
import { communityRoutes } from "./routes/community";
import { connectorRoutes } from "./routes/connectors";
import { crmRoutes } from "./routes/crm";
import { homeRoutes } from "./routes/home";
import { hookRoutes } from "./routes/hooks";
import { ideaReplyRoutes } from "./routes/idea-replies";
import { identityRoutes } from "./routes/identity";
import { influenceRoutes } from "./routes/influence";
import { issueRoutes } from "./routes/issues";
import { knowledgeRoutes } from "./routes/knowledge";
import { listeningRoutes } from "./routes/listening";
import { type PortalLimits, portalRoutes } from "./routes/portal";
import { privacyRoutes } from "./routes/privacy";
import { replyRoutes } from "./routes/replies";
import { reportRoutes } from "./routes/reports";
import { ruleRoutes } from "./routes/rules";
import { teamRoutes } from "./routes/team";
import { transferRoutes } from "./routes/transfer";
import { understandRoutes } from "./routes/understand";
import { workRoutes } from "./routes/work";
import { securityHeaders } from "./security-headers";
import type { App } from "./types";

export const API_PREFIX = "/api/v1";
export const JSON_BODY_LIMIT = 1024 * 1024;
export const IMPORT_BODY_LIMIT = 200 * 1024 * 1024;

const NOT_FOUND_PAGE = "<!doctype html><title>Not found</title><h1>Not found</h1><p>There is no page here.</p>";

export type RouteInfo = { method: string; url: string; access: string | undefined };

export type BuildOptions = {
  db: Db;
  logger?: FastifyBaseLogger;
  /** Folder of the built web app; served at / when it exists. */
  webDir?: string;
  secureCookies?: boolean;
  notifier?: Notifier;
  /** Let anyone create a workspace, not only the first visitor (PARLEY_OPEN_SIGNUP=1). */
  openSignup?: boolean;
  signInThrottle?: ThrottlePolicy;
  now?: () => Date;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (sign-in throttling, audit):
   * none by default, so a caller cannot pick its own address (PARLEY_TRUST_PROXY).
   */
  trustProxy?: boolean | string;
  /** The running server's per-run token for the CLI on this machine (see server/auth.ts). */
  localToken?: string;
  /** Dumps the embedded store for POST /admin/backup (absent on PostgreSQL). */
  dumpStore?: () => Promise<Blob>;
  /** Writes per client address on the community portal (default 60 in 10 minutes). */
  portalLimits?: PortalLimits;
};

export async function buildApp(options: BuildOptions) {
  // subscribers to domain events and the work the rules use (src/wiring.ts)
  wire();
  // a request on a workspace's custom domain is for its portal only (src/server/portal/hosts.ts)
  const portalHosts = new PortalHosts(options.db);
  await portalHosts.refresh();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    rewriteUrl: (req) => portalHosts.rewrite(req),
  }).withTypeProvider<ZodTypeProvider>() as App;
  portalHosts.start((err) => app.log.warn({ err }, "custom domains could not be read"));
  app.addHook("onClose", async () => portalHosts.stop());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.decorateRequest("actor", null);
  // Brief caches of who owns a key or session forget again after each write commits (src/store/write-watch.ts).
  const settle = settleCachedReads(options.db);
  app.addHook("onRequest", settle.onRequest);
  app.addHook("onResponse", settle.onResponse);

  // Every route is recorded so tests can walk the whole API (tenancy, roles).
  const routes: RouteInfo[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD") continue;
      routes.push({ method, url: route.url, access: (route.config as { access?: string } | undefined)?.access });
    }
  });

  await app.register(fastifyCookie);
  // Security headers and the Content-Security-Policy on every answer (src/server/security-headers.ts).
  const applySecurityHeaders = helmet(securityHeaders({ https: options.secureCookies ?? false }));
  app.addHook("onRequest", (request, reply, done) =>
    applySecurityHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined)),
  );
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Parley API",
        version: "1",
        description:
          "Parley's REST API. Authenticate with `Authorization: Bearer <api key>` (Settings → API keys) or the web session cookie. " +
          "Lists use cursor pagination (`next_cursor`); errors are `{ error: { code, message, details? } }`.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () => app.swagger());
  app.get("/api/health", { config: { access: "public" }, schema: { hide: true } }, async () => ({ ok: true }));

  const notifier = options.notifier ?? new Notifier();
  const ingestor = new Ingestor(options.db, notifier);
  const context = {
    db: options.db,
    secureCookies: options.secureCookies ?? false,
    ingestor,
    notifier,
    openSignup: options.openSignup ?? false,
    signInThrottle: options.signInThrottle ?? DEFAULT_THROTTLE,
    now: options.now ?? (() => new Date()),
    dumpStore: options.dumpStore,
    portalHosts,
  };
  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>() as App;
      // Raw bodies for imports; JSON everywhere else.
      typed.addContentTypeParser(
        ["text/csv", "text/vcard", "text/x-vcard", "text/directory", "text/plain", "application/octet-stream"],
        { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
        (_req, body, done) => done(null, body),
      );
      typed.addHook("onRequest", authHook(options.db, options.localToken, context.now));
      // NUL characters, lone surrogates and deep nesting get a 400 naming the field (src/server/edge.ts)
      typed.addHook("preValidation", guardRequestInput);
      authRoutes(typed, context);
      accountRoutes(typed, context);
      crmRoutes(typed, context);
      transferRoutes(typed, context);
      understandRoutes(typed, context);
      identityRoutes(typed, context);
      listeningRoutes(typed, context);
      replyRoutes(typed, context);
      ideaReplyRoutes(typed, context);
      teamRoutes(typed, context);
      knowledgeRoutes(typed, context);
      ruleRoutes(typed, context);
      connectorRoutes(typed, context);
      workRoutes(typed, context);
      privacyRoutes(typed, context);
      reportRoutes(typed, context);
      communityRoutes(typed, context);
      issueRoutes(typed, context);
      influenceRoutes(typed, context);
      homeRoutes(typed, context);
    },
    { prefix: API_PREFIX },
  );
  await app.register(async (hooks) => {
    const typed = hooks.withTypeProvider<ZodTypeProvider>() as App;
    hookRoutes(typed, context);
  });
  // the public community portal at /c/<slug>: server-rendered pages with their own form parsing and CSRF check
  await app.register(async (portal) => portalRoutes(portal.withTypeProvider<ZodTypeProvider>() as App, context, options.portalLimits));

  const webDir = options.webDir ?? resolve(import.meta.dirname, "../../web/dist");
  const hasWeb = existsSync(resolve(webDir, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    // on a custom domain nothing but the portal answers
    if (portalHosts.slugOf(request.raw)) return reply.status(404).type("text/html; charset=utf-8").send(NOT_FOUND_PAGE);
    // A missing asset (a file name with an extension) is a real 404, never the app shell.
    if (path.startsWith("/api") || path.startsWith("/hooks") || request.method !== "GET" || !hasWeb || /\.[a-z0-9]+$/i.test(path)) {
      return sendError(reply, "not_found", `No route ${request.method} ${path}`);
    }
    // The web app routes in the browser: any other page gets its shell.
    return reply.type("text/html").sendFile("index.html");
  });

  return { app, routes, ingestor, notifier };
}
