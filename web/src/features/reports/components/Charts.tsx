// The shapes the report views repeat: counts over time as (stacked) bars, and the control that picks
// what a table or chart is grouped by. Loaded with the views, on demand (recharts is large).
import { SegmentedControl } from "@mantine/core";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Legend, XAxis, YAxis } from "recharts";
import { ChartBox } from "./Panel";

export type BarSeries = { key: string; name?: string; fill: string; stack?: string };

/** Whole-number counts per bucket as bars, side by side or stacked, with a legend. */
export function CountBars<Row extends object>({
  label,
  data,
  bars,
  x = "bucket",
  height = 240,
}: {
  label: string;
  data: Row[];
  bars: BarSeries[];
  x?: string;
  height?: number;
}) {
  return (
    <ChartBox label={label} height={height}>
      <BarChart data={data} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} />
        <ChartTooltip />
        <Legend />
        {bars.map((b) => (
          <Bar key={b.key} dataKey={b.key} name={b.name ?? b.key} stackId={b.stack} fill={b.fill} />
        ))}
      </BarChart>
    </ChartBox>
  );
}

/** A small segmented control choosing one way to group a report section. */
export function GroupBy<T extends string>({
  value,
  onChange,
  options,
  label = "Group by",
}: {
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<readonly [T, string]>;
  label?: string;
}) {
  return (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(v) => onChange(v as T)}
      data={options.map(([v, l]) => ({ value: v, label: l }))}
      aria-label={label}
    />
  );
}
