import { describe, expect, it } from "vitest";
import { PeriodicJob } from "../src/shared/periodic";

// The background jobs of `parley start` (retention, influence): one run at a time, a failure is
// logged and the next round still runs, and stop() waits for the run in flight.

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("periodic jobs", () => {
  it("runs at start and then each interval, never two at once, and logs a failure without stopping", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const warnings: string[] = [];
    const job = new PeriodicJob(
      "test job",
      async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await tick(30); // longer than the interval: rounds that come due meanwhile are skipped
        active--;
        if (runs === 2) throw new Error("the second run fails");
      },
      { everyMs: 10, logger: { warn: (_o, m) => warnings.push(m) } },
    );
    job.start();
    expect(runs).toBe(1);
    await expect.poll(() => runs, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    await job.stop();
    const after = runs;
    expect(active).toBe(0); // stop waited for the run in flight
    await tick(50);
    expect(runs).toBe(after);
    expect(most).toBe(1);
    expect(warnings).toEqual(["test job"]);
  });
});
