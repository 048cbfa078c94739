import { type Actor, audit, requirePermission } from "../accounts";
import type { IngestOptions, IngestOutcome } from "../ingest";
import { AppError, invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/community";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import { findChannel, insertChannel } from "../store/listening";
import type { CommunityPortalRow } from "../store/schema-community";
import { RateLimiter } from "./trust";

// A workspace's portal: its slug (the address /c/<slug>), theme (title, logo, colour), the
// community channel its members' posts arrive through, and what the portal pages need to
// act (the database, the ingest queue, the clock and the per-address limiter).

/** Where member posts are handed to the ingest pipeline (the server's Ingestor). */
export type PostSink = { submit(workspaceId: string, items: unknown[], options?: IngestOptions): Promise<IngestOutcome[]> };

export type CommunityDeps = {
  db: Db;
  sink: PostSink;
  now: () => Date;
  /** Writes (posts, sign-ups, sign-ins) per client address. */
  ipLimiter: RateLimiter;
};

export function communityDeps(db: Db, sink: PostSink, options: { now?: () => Date; ipLimit?: { max: number; windowMs: number } } = {}) {
  const now = options.now ?? (() => new Date());
  const limit = options.ipLimit ?? { max: 60, windowMs: 10 * 60 * 1000 };
  return { db, sink, now, ipLimiter: new RateLimiter(limit.max, limit.windowMs, () => now().getTime()) } satisfies CommunityDeps;
}

export type Portal = {
  workspaceId: string;
  slug: string;
  title: string;
  logoUrl: string | null;
  color: string;
  customDomain: string | null;
  channelId: string | null;
};

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");

async function freeSlug(db: DbOrTx, name: string): Promise<string> {
  let base = slugify(name);
  if (base.length < 2) base = "community";
  const taken = await store.slugsLike(db, base);
  if (!taken.has(base)) return base;
  for (let i = 2; i < 10_000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${newId().slice(0, 8)}`;
}

/** The workspace's portal, made on first use with a slug from the workspace's name. */
export async function ensurePortal(db: DbOrTx, workspaceId: string): Promise<CommunityPortalRow> {
  const existing = await store.portalOfWorkspace(db, workspaceId);
  if (existing) return existing;
  const name = (await store.workspaceName(db, workspaceId)) ?? "community";
  const slug = await freeSlug(db, name);
  // a workspace of the same name made at the same moment may take the slug: then a random suffix
  const row =
    (await store.insertPortal(db, { workspace_id: workspaceId, slug })) ??
    (await store.portalOfWorkspace(db, workspaceId)) ??
    (await store.insertPortal(db, { workspace_id: workspaceId, slug: `${slug.slice(0, 40)}-${newId().slice(0, 8)}` }));
  if (!row) throw new AppError("internal", "The community portal could not be made");
  return row;
}

async function present(db: DbOrTx, row: CommunityPortalRow): Promise<Portal> {
  return {
    workspaceId: row.workspace_id,
    slug: row.slug,
    title: row.title ?? (await store.workspaceName(db, row.workspace_id)) ?? row.slug,
    logoUrl: row.logo_url,
    color: row.color,
    customDomain: row.custom_domain,
    channelId: row.channel_id,
  };
}

/** The portal at /c/<slug>; an unknown slug is not found (it never names another workspace's data). */
export async function portalBySlug(db: DbOrTx, slug: string): Promise<Portal> {
  const row = /^[a-z0-9][a-z0-9-]{1,62}$/.test(slug) ? await store.portalBySlug(db, slug) : undefined;
  if (!row) throw notFound("Community");
  return present(db, row);
}

/** The workspace's portal (made on first use). */
export async function portalOfWorkspace(db: DbOrTx, workspaceId: string): Promise<Portal> {
  return present(db, await ensurePortal(db, workspaceId));
}

/**
 * A portal page's full address, for links that leave the site (emails): on its custom domain
 * when it has one, else under PARLEY_PUBLIC_URL (this server's public address) at /c/<slug>.
 */
export function portalLink(portal: Portal, path: string): string {
  if (portal.customDomain) return `https://${portal.customDomain}${path}`;
  const origin = process.env.PARLEY_PUBLIC_URL?.replace(/\/+$/, "") ?? `http://localhost:${process.env.PORT ?? 4000}`;
  return `${origin}/c/${portal.slug}${path}`;
}

// ---------- custom domains

/**
 * A custom domain as stored: a lower-case host name with a dot, not an IP address, not localhost
 * (or a name under it) and not a name that only resolves on a local network.
 */
export function checkCustomDomain(value: string): string {
  const host = value.trim().toLowerCase().replace(/\.$/, "");
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  const labels = host.split(".");
  const tld = labels.at(-1) ?? "";
  if (
    host.length < 4 ||
    host.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => label.test(l)) ||
    !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(tld)
  )
    throw invalid("custom_domain", "must be a host name like community.example.com (no IP address, port or path)");
  if (["localhost", "local", "internal", "localdomain", "home", "lan", "invalid", "test", "example"].includes(tld))
    throw invalid("custom_domain", `must be a public host name (not .${tld})`);
  // the staff app's own address would disappear behind the portal
  if (ownHost() === host)
    throw invalid("custom_domain", "is this server's own address (PARLEY_PUBLIC_URL): use another name for the portal");
  return host;
}

function ownHost(): string | undefined {
  try {
    return process.env.PARLEY_PUBLIC_URL ? new URL(process.env.PARLEY_PUBLIC_URL).hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The portal a request for this Host header is for, when it is a workspace's custom domain. */
export async function portalByDomain(db: DbOrTx, host: string): Promise<Portal | null> {
  const row = await store.portalByDomain(db, host.toLowerCase());
  return row ? present(db, row) : null;
}

/** Every custom domain and its portal's slug (the server's host table; a few rows per workspace at most). */
export const customDomains = (db: DbOrTx) => store.customDomains(db);

/** The community channel posts arrive through: made with the portal's first post. */
export async function communityChannel(db: DbOrTx, portal: Portal) {
  if (portal.channelId) {
    const channel = await findChannel(db, portal.workspaceId, portal.channelId);
    if (channel) return channel;
  }
  const id = newId();
  await insertChannel(db, {
    workspace_id: portal.workspaceId,
    id,
    name: "Community portal",
    network: "community",
    // marks the portal's own channel: staff replies on it are shown in the portal thread (src/engage)
    config: { portal: true },
    credentials: null,
    webhook_secret: null,
    state: {},
  });
  await store.updatePortal(db, portal.workspaceId, { channel_id: id });
  portal.channelId = id;
  const channel = await findChannel(db, portal.workspaceId, id);
  if (!channel) throw new AppError("internal", "The community channel could not be made");
  return channel;
}

// ---------- staff: the portal's settings

export type PortalSettings = {
  slug: string;
  title: string | null;
  logo_url: string | null;
  color: string;
  custom_domain: string | null;
  url: string;
};

const presentSettings = (row: CommunityPortalRow): PortalSettings => ({
  slug: row.slug,
  title: row.title,
  logo_url: row.logo_url,
  color: row.color,
  custom_domain: row.custom_domain,
  url: `/c/${row.slug}`,
});

export async function getPortalSettings(db: Db, actor: Actor): Promise<PortalSettings> {
  requirePermission(actor, "crm:read");
  return presentSettings(await ensurePortal(db, actor.workspaceId));
}

export async function updatePortalSettings(
  db: Db,
  actor: Actor,
  patch: { slug?: string; title?: string | null; logo_url?: string | null; color?: string; custom_domain?: string | null },
): Promise<PortalSettings> {
  requirePermission(actor, "workspace:manage");
  return db.transaction().execute(async (tx) => {
    const current = await ensurePortal(tx, actor.workspaceId);
    if (patch.slug && patch.slug !== current.slug && (await store.slugTaken(tx, patch.slug)))
      throw invalid("slug", "is taken by another community");
    const domain = patch.custom_domain ? checkCustomDomain(patch.custom_domain) : patch.custom_domain;
    if (domain) {
      const holder = await store.portalByDomain(tx, domain);
      if (holder && holder.workspace_id !== actor.workspaceId)
        throw new AppError("conflict", "custom_domain: is used by another community", [
          { field: "custom_domain", message: "is used by another community" },
        ]);
    }
    const changes = domain === undefined ? patch : { ...patch, custom_domain: domain };
    const row = await onDuplicate(store.updatePortal(tx, actor.workspaceId, changes), "custom_domain", "is used by another community");
    await audit(
      tx,
      actor,
      "community.settings_changed",
      { type: "community" },
      `Community portal settings changed (/c/${row.slug})`,
      changes,
    );
    return presentSettings(row);
  });
}
