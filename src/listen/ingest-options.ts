import type { IngestOptions } from "../ingest";
import type { DbOrTx } from "../store/db";
import * as store from "../store/listening";
import type { ChannelRow } from "../store/schema";
import { compileQueries, type Dictionary } from "./query";

// What every source (poller, stream, webhook, batch API, file) hands the ingest
// pipeline along with a channel's messages.

export async function loadDictionary(db: DbOrTx, workspaceId: string): Promise<Dictionary> {
  const terms = await store.listDictionary(db, workspaceId);
  return new Map(terms.map((t) => [t.name.toLowerCase(), [t.name.toLowerCase(), ...t.aliases.map((a) => a.toLowerCase())]]));
}

/** What the pipeline needs of a channel: the channel, and its listening queries compiled with the workspace's dictionary. */
export async function ingestOptions(db: DbOrTx, workspaceId: string, channel: ChannelRow | null | undefined): Promise<IngestOptions> {
  const queries = channel?.queries ?? [];
  return {
    channel: channel ?? null,
    accepts: compileQueries(queries, queries.length > 0 ? await loadDictionary(db, workspaceId) : undefined),
  };
}
