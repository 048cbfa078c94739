import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ThrottlePolicy } from "../accounts";
import type { Ingestor, Notifier } from "../ingest";
import type { Db } from "../store/db";
import type { PortalHosts } from "./portal/hosts";

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type ServerContext = {
  db: Db;
  secureCookies: boolean;
  ingestor: Ingestor;
  notifier: Notifier;
  /** Anyone may create a workspace (PARLEY_OPEN_SIGNUP=1), not only the first visitor. */
  openSignup: boolean;
  signInThrottle: ThrottlePolicy;
  /** The time, injectable so tests can let a lock expire. */
  now: () => Date;
  /** Dumps the embedded store's data dir for a backup (absent on PostgreSQL). */
  dumpStore?: () => Promise<Blob>;
  /** Which Host headers are workspaces' custom domains (their portals); refreshed after a settings change. */
  portalHosts: PortalHosts;
};
