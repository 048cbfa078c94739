// A job `parley start` runs in the background at a fixed interval (and once at start): one run at a
// time (a slow run is not stacked on), failures logged and the next round tried, and stop() waits
// for the run in flight so the store is closed after it.

export type PeriodicOptions = { everyMs?: number; logger?: { warn: (o: object, m: string) => void } };

export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly options: PeriodicOptions = {},
  ) {}

  start() {
    const tick = () => {
      if (!this.running)
        this.running = this.run()
          .catch((err) => this.options.logger?.warn({ err }, this.name))
          .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.options.everyMs ?? 3_600_000);
    this.timer.unref?.();
    tick();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
