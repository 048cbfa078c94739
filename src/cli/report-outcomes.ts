import type { EngagementReport, ProductReport, SalesReport } from "../contracts";

// Human output of `parley report product|sales|engagement` (the same figures as --json).

/** Columns padded to their widest cell. */
export function table(header: string[], rows: Array<Array<string | number | null>>): string {
  const cells = [header, ...rows.map((r) => r.map((v) => (v === null ? "-" : String(v))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return `${cells.map((r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ")).join("\n")}\n`;
}

export function printProduct(r: ProductReport) {
  const out = process.stdout;
  out.write(`Product ${r.range.from} – ${r.range.to} (${r.range.time_zone})\n`);
  out.write(`${r.totals.ideas} ideas (${r.totals.ideas_created} new in the range), ${r.totals.votes_in_range} votes in the range\n\n`);
  out.write(
    table(
      ["status", "ideas", "votes", "created", "votes in range"],
      r.by_status.map((s) => [s.status, s.ideas, s.votes, s.created, s.votes_in_range]),
    ),
  );
  out.write("\nWhere votes came from\n");
  out.write(
    table(
      ["by", "from", "votes"],
      r.origins.map((o) => [o.dimension, o.name, o.votes]),
    ),
  );
  if (r.top_ideas.length > 0) {
    out.write("\nTop ideas in the range\n");
    out.write(
      table(
        ["idea", "status", "votes in range", "votes"],
        r.top_ideas.map((i) => [i.title, i.status, i.votes_in_range, i.votes]),
      ),
    );
  }
}

export function printSales(r: SalesReport) {
  const out = process.stdout;
  out.write(
    `Sales ${r.range.from} – ${r.range.to} (${r.range.time_zone})${r.currencies.length ? `; values in ${r.currencies.join(", ")}` : ""}\n\n`,
  );
  out.write(
    table(
      ["by", "first post", "leads", "deals", "deal value", "won", "won revenue"],
      r.rows.map((row) => [row.dimension, row.name, row.leads, row.deals_created, row.deals_value, row.won_deals, row.won_value]),
    ),
  );
}

export function printEngagement(r: EngagementReport) {
  const out = process.stdout;
  out.write(
    `Engagement ${r.range.from} – ${r.range.to} (${r.range.time_zone}); sentiment ${r.window_days} days before and after our first reply\n\n`,
  );
  out.write(
    table(
      ["by", "name", "people", "neg before", "neg after", "share before", "share after", "recovered", "rate", "worsened"],
      r.rows.map((row) => [
        row.dimension,
        row.name,
        row.people,
        row.negative_before,
        row.negative_after,
        row.negative_share_before,
        row.negative_share_after,
        row.recovered,
        row.recovery_rate,
        row.worsened,
      ]),
    ),
  );
}
