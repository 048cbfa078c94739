import type { DbOrTx } from "../store/db";
import type { ChannelRow } from "../store/schema";
import type { NormalizedMessage } from "./message";
import type { IngestOutcome } from "./outcomes";

// The shapes a batch takes on its way through the stages (see pipeline.ts).

/** What a listening query sees of a message. */
export type ListenedItem = { text: string; authorHandle?: string | null; language?: string | null };

export type IngestOptions = {
  channel?: ChannelRow | null;
  /** The channel's listening queries (compiled in listen/): messages none of them accept are filtered. Default: all. */
  accepts?: (item: ListenedItem) => boolean;
};

/** A message that passed normalize: its place in the batch, the parsed message, its plain text. */
export type Normalized = { index: number; msg: NormalizedMessage; text: string };

/** A message left after the batch's own duplicates: with its content hash (null: never called a copy). */
export type Candidate = Normalized & { hash: string | null };

/** A message that will be stored, with its new id. */
export type Storable = Candidate & { id: string };

/** One network's part of a batch, inside the batch's transaction: what each stage works on. */
export type NetworkBatch = {
  tx: DbOrTx;
  workspaceId: string;
  network: string;
  channel: ChannelRow | null;
  /** By the message's index in the batch; each stage writes the outcomes it decides. */
  outcomes: IngestOutcome[];
};

/** (network, id) as one map key: external ids, author ids and handles are unique per network only. */
export const networkKey = (network: string, id: string) => `${network}\u0000${id}`;
