import type { IncomingMessage } from "node:http";
import { customDomains } from "../../community";
import type { Db } from "../../store/db";

// Custom domains: a request whose Host is a workspace's custom domain is for that workspace's
// portal and nothing else. Fastify routes before any hook runs, so the server's rewriteUrl asks
// this table (synchronously) and maps "/ideas" on community.example.com to "/c/<slug>/ideas";
// every other path on that host becomes a portal path too, so the API, the webhooks and the
// staff app are out of reach there (they answer 404). The table is read from the database at
// start, after each settings change in this process, and every REFRESH_MS for other processes.

export const REFRESH_MS = 10_000;

/** The host name of a Host header: lower case, without the port. */
export function hostName(header: string | undefined): string {
  const h = (header ?? "").trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.replace(/:\d+$/, "").replace(/\.$/, "");
}

export class PortalHosts {
  private slugs = new Map<string, string>();
  private requests = new WeakMap<IncomingMessage, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  /** Reads the custom domains again. */
  async refresh(): Promise<void> {
    const rows = await customDomains(this.db);
    this.slugs = new Map(rows.map((r) => [r.custom_domain, r.slug]));
  }

  /** Keeps the table fresh for domains set by another process (a second server, the CLI). */
  start(onError: (err: unknown) => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh().catch(onError), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The portal slug this request's Host serves, when it came in on a custom domain. */
  slugOf(req: IncomingMessage): string | undefined {
    return this.requests.get(req);
  }

  /** Fastify's rewriteUrl: on a custom domain, every path is a path of that portal. */
  rewrite(req: IncomingMessage): string {
    const url = req.url ?? "/";
    if (this.slugs.size === 0) return url;
    const slug = this.slugs.get(hostName(req.headers.host));
    if (!slug) return url;
    this.requests.set(req, slug);
    const base = `/c/${slug}`;
    // the portal's own script, and links already under the portal's path, stay as they are
    if (url.startsWith("/c/assets/") || url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return url;
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? "" : url.slice(q);
    return `${base}${path === "/" ? "" : path}${query}`;
  }

  /**
   * Links in a page (or a redirect) served on a custom domain lose their /c/<slug> prefix, so the
   * address bar shows community.example.com/ideas; elsewhere the text is unchanged.
   */
  localize(req: IncomingMessage, text: string): string {
    const slug = this.slugOf(req);
    if (!slug) return text;
    const base = `/c/${slug}`;
    if (text.startsWith("/")) {
      // a path: a redirect's Location or a hint's url
      const rest = text.startsWith(base) ? text.slice(base.length) : null;
      if (rest === null || (rest !== "" && !/^[/?#]/.test(rest))) return text;
      return rest.startsWith("/") ? rest : `/${rest}`;
    }
    return text.replaceAll(`"${base}/`, `"/`).replaceAll(`"${base}"`, `"/"`).replaceAll(`"${base}?`, `"/?`).replaceAll(`"${base}#`, `"/#`);
  }
}
