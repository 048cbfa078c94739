import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { RetentionWorker } from "../audit";
import { DigestWorker, InfluenceWorker } from "../insight";
import { Poller } from "../listen";
import { AlertWorker, RulesWorker } from "../rules";
import { buildApp } from "../server/app";
import { LOCAL_TOKEN_PREFIX } from "../server/auth";
import { openMigratedStore } from "./context";

const ROOT = resolve(import.meta.dirname, "../..");
export const WEB_DIST = resolve(ROOT, "web/dist");

/** Builds the web app once if this checkout has never built it. */
export async function ensureWebBuilt(log: (msg: string) => void) {
  if (existsSync(resolve(WEB_DIST, "index.html")) || process.env.PARLEY_SKIP_WEB_BUILD === "1") return;
  if (!existsSync(resolve(ROOT, "web/index.html"))) return;
  log("Building the web app (first start only)…");
  try {
    const { build } = await import("vite");
    await build({ configFile: resolve(ROOT, "vite.config.ts"), logLevel: "error" });
  } catch (err) {
    // The API still serves; the page explains how to build the app.
    log(`The web app could not be built (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); serving the API only`);
  }
}

/**
 * The server's logger: readable lines (time, level, message) on a terminal, one JSON object a
 * line when the output goes to a file or a log collector, or when PARLEY_LOG_FORMAT=json.
 */
export async function serverLogger(stdout: NodeJS.WriteStream = process.stdout) {
  const level = process.env.LOG_LEVEL ?? "info";
  const format = process.env.PARLEY_LOG_FORMAT ?? (stdout.isTTY ? "pretty" : "json");
  if (format !== "pretty") return pino({ level }, stdout);
  const { default: pretty } = await import("pino-pretty");
  return pino(
    { level },
    pretty({ destination: stdout, colorize: stdout.isTTY === true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" }),
  );
}

export async function startServer(opts: { port: number; host: string }) {
  const logger = await serverLogger();
  await ensureWebBuilt((msg) => logger.info(msg));
  const store = await openMigratedStore("start");
  // On the embedded store the CLI works through this server (it holds the data dir's lock):
  // a token for this run only, written to server.json (0600) once listening.
  const localToken = store.lock ? `${LOCAL_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}` : undefined;
  const { app, ingestor } = await buildApp({
    db: store.db,
    logger,
    webDir: WEB_DIST,
    localToken,
    dumpStore: store.dump,
    secureCookies: process.env.PARLEY_SECURE_COOKIES === "1",
    openSignup: process.env.PARLEY_OPEN_SIGNUP === "1",
    trustProxy: parseTrustProxy(process.env.PARLEY_TRUST_PROXY),
  });
  const poller = new Poller(store.db, ingestor, { logger });
  // outbox deliveries (webhooks, email), schedule and SLA rules
  const lease = Number(process.env.PARLEY_OUTBOX_LEASE_SECONDS);
  const rulesWorker = new RulesWorker(store.db, { logger, ...(lease > 0 ? { leaseSeconds: lease } : {}) });
  // retention policies (issue 13), hourly
  const retention = new RetentionWorker(store.db, { logger });
  // people and influence (issue 16), hourly
  const influence = new InfluenceWorker(store.db, { logger });
  // daily and weekly digests (issue 16), due after 08:00 in the workspace's time zone
  const digests = new DigestWorker(store.db, { logger });
  // threshold alert rules (issue 16), measured every minute
  const alerts = new AlertWorker(store.db, { logger });
  const shutdown = async () => {
    await poller.stop();
    await rulesWorker.stop();
    await retention.stop();
    await influence.stop();
    await digests.stop();
    await alerts.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  if (store.lock && localToken) store.lock.announceServer({ port, host: opts.host, token: localToken });
  logger.info(`Parley is running at http://localhost:${port} (${store.describe})`);
  // the background work starts once the server answers: on the embedded store every query shares this
  // thread, and their first rounds (polls, influence, digests, alerts) would hold up the first page
  for (const worker of [poller, rulesWorker, retention, influence, digests, alerts]) worker.start();
}

/** PARLEY_TRUST_PROXY: unset = trust no proxy; "true" = any; else addresses/CIDRs (or "loopback"). */
export function parseTrustProxy(value: string | undefined): boolean | string {
  if (!value || value === "0" || value === "false") return false;
  if (value === "true") return true;
  return value;
}
