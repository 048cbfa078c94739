import type { Kysely, KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId } from "kysely";

// Reads that every request repeats (who owns this API key or session, a workspace's custom field
// definitions) are kept briefly in memory, and a write to a table they come from forgets them at
// once. A Kysely plugin sees every statement this process sends (built or raw, inside transactions
// too) and counts writes per table after they return, so a cache holds no list of the functions
// that change its tables: a revoked key, a changed role or a sign-out is seen by the very next
// request. Writes by another process (a second server on PostgreSQL) are seen when the entry ages
// out (TableCache's ttlMs).

/** Columns that only record use (kept to the minute); writing them changes no cached answer. */
const BOOKKEEPING_COLUMNS = new Set(["last_used_at", "last_seen_at"]);

type Node = OperationNode & Record<string, unknown>;

const nameOfTable = (node: unknown): string | undefined => {
  const n = node as Node | undefined;
  if (!n) return undefined;
  if (n.kind === "AliasNode") return nameOfTable(n.node);
  if (n.kind !== "TableNode") return undefined;
  return ((n.table as Node).identifier as { name?: string }).name;
};

const columnName = (node: unknown): string | undefined => ((node as Node | undefined)?.column as { name?: string } | undefined)?.name;

// Raw statements (sql`…`) are matched by their text.
const RAW_WRITE = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

/** The tables a statement writes (empty for reads). */
export function tablesWritten(root: OperationNode): string[] {
  const node = root as Node;
  const out: string[] = [];
  const withNode = node.with as { expressions?: { expression: OperationNode }[] } | undefined;
  for (const cte of withNode?.expressions ?? []) out.push(...tablesWritten(cte.expression));
  switch (node.kind) {
    case "InsertQueryNode": {
      const t = nameOfTable(node.into);
      if (t) out.push(t);
      break;
    }
    case "UpdateQueryNode": {
      const updates = (node.updates as { column: unknown }[] | undefined) ?? [];
      const bookkeeping = updates.length > 0 && updates.every((u) => BOOKKEEPING_COLUMNS.has(columnName(u.column) ?? ""));
      const t = nameOfTable(node.table);
      if (t && !bookkeeping) out.push(t);
      break;
    }
    case "DeleteQueryNode": {
      for (const from of (node.from as { froms: unknown[] }).froms) {
        const t = nameOfTable(from);
        if (t) out.push(t);
      }
      break;
    }
    case "RawNode": {
      const text = (node.sqlFragments as string[]).join(" ");
      for (const m of text.matchAll(RAW_WRITE)) if (m[1]) out.push(m[1].toLowerCase());
      break;
    }
  }
  return out;
}

/** Tables some TableCache reads from: settle() re-counts only these. */
export const CACHED_TABLES = new Set<string>();

export class WriteWatch implements KyselyPlugin {
  private readonly versions = new Map<string, number>();
  private readonly pending = new WeakMap<QueryId, string[]>();
  /** Writes to tables some TableCache reads from, for the server's end-of-request check (settle). */
  private cachedWrites = 0;

  transformQuery(args: PluginTransformQueryArgs) {
    const tables = tablesWritten(args.node);
    if (tables.length > 0) this.pending.set(args.queryId, tables);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    const tables = this.pending.get(args.queryId);
    if (tables) {
      this.pending.delete(args.queryId);
      this.bump(tables);
    }
    return args.result;
  }

  private bump(tables: Iterable<string>) {
    let cached = false;
    for (const t of tables) {
      this.versions.set(t, (this.versions.get(t) ?? 0) + 1);
      cached ||= CACHED_TABLES.has(t);
    }
    if (cached) this.cachedWrites++;
  }

  /** A number that changes whenever one of these tables is written. */
  version(tables: readonly string[]): number {
    let v = 0;
    for (const t of tables) v += this.versions.get(t) ?? 0;
    return v;
  }

  /** A mark to pass to settle() later. */
  mark(): number {
    return this.cachedWrites;
  }

  /**
   * Forgets again everything cached when a cached table was written since mark(). A write inside
   * a transaction is counted before its commit; on PostgreSQL another connection may read (and
   * cache) the old row in between. The server calls this when a request has answered, after its
   * transaction committed.
   */
  settle(mark: number): void {
    if (this.cachedWrites !== mark) this.bump(CACHED_TABLES);
  }
}

const watches = new WeakMap<object, WriteWatch>();

/** The database handle with its writes counted (openStore does this for every store). */
export function watchWrites<DB>(db: Kysely<DB>): Kysely<DB> {
  const watch = new WriteWatch();
  const watched = db.withPlugin(watch);
  watches.set(watched, watch);
  return watched;
}

export function writeWatchOf(db: object): WriteWatch | undefined {
  return watches.get(db);
}

type Entry<T> = { value: T; version: number; at: number };

/**
 * A small read-through cache of one kind of row, valid while none of `tables` is written in this
 * process and for at most ttlMs. Misses (undefined) are not kept, so unknown keys cost memory nothing.
 * A transaction handle has no watch of its own: reads through it are never cached.
 */
export class TableCache<T> {
  private readonly entries = new WeakMap<WriteWatch, Map<string, Entry<T>>>();

  constructor(
    private readonly tables: readonly string[],
    private readonly options: { ttlMs: number; maxEntries: number },
  ) {
    for (const t of tables) CACHED_TABLES.add(t);
  }

  async read(db: object, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const watch = writeWatchOf(db);
    if (!watch) return load();
    let map = this.entries.get(watch);
    if (!map) {
      map = new Map();
      this.entries.set(watch, map);
    }
    // The version before the read: a write that lands while it runs makes this entry stale at once.
    const version = watch.version(this.tables);
    const hit = map.get(key);
    if (hit && hit.version === version && performance.now() - hit.at < this.options.ttlMs) return hit.value;
    if (hit) map.delete(key);
    const value = await load();
    if (value === undefined) return value;
    if (map.size >= this.options.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    map.set(key, { value, version, at: performance.now() });
    return value;
  }
}
