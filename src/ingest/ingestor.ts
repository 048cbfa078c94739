import type { Db } from "../store/db";
import type { IngestOptions } from "./batch";
import type { Notifier } from "./notify";
import type { IngestOutcome } from "./outcomes";
import { ingestBatch } from "./pipeline";

type Pending = {
  workspaceId: string;
  options: IngestOptions;
  items: unknown[];
  resolve: (o: IngestOutcome[]) => void;
  reject: (e: unknown) => void;
};

/**
 * The ingest queue: callers submit items and get their outcomes once the batch
 * holding them has committed (that is the acknowledgement). Submissions for the
 * same workspace and channel are merged into batches; a full queue makes
 * submitters wait (backpressure) instead of growing without bound.
 */
export class Ingestor {
  private queue: Pending[] = [];
  private queued = 0;
  private running = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly limits = { maxBatch: 1000, maxQueued: 20_000 },
  ) {}

  async submit(workspaceId: string, items: unknown[], options: IngestOptions = {}): Promise<IngestOutcome[]> {
    while (this.queued > 0 && this.queued + items.length > this.limits.maxQueued) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const done = new Promise<IngestOutcome[]>((resolve, reject) => {
      this.queue.push({ workspaceId, options, items, resolve, reject });
    });
    this.queued += items.length;
    void this.drain();
    return done;
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0] as Pending;
        const group: Pending[] = [];
        let size = 0;
        for (const p of this.queue) {
          if (p.workspaceId !== head.workspaceId || p.options.channel?.id !== head.options.channel?.id) continue;
          if (group.length > 0 && size + p.items.length > this.limits.maxBatch) break;
          group.push(p);
          size += p.items.length;
        }
        this.queue = this.queue.filter((p) => !group.includes(p));
        try {
          const { outcomes, events } = await ingestBatch(
            this.db,
            head.workspaceId,
            group.flatMap((p) => p.items),
            head.options,
          );
          let offset = 0;
          for (const p of group) {
            p.resolve(outcomes.slice(offset, offset + p.items.length));
            offset += p.items.length;
          }
          // notify: after commit, so that nobody hears of a message that was rolled back
          this.notifier.publish(events);
        } catch (err) {
          for (const p of group) p.reject(err);
        }
        this.queued -= size;
        const waiting = this.waiters;
        this.waiters = [];
        for (const w of waiting) w();
      }
    } finally {
      this.running = false;
    }
  }
}
