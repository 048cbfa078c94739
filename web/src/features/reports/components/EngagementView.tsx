// The engagement outcome: for people we replied to, the share negative before and after our first
// reply, detractors recovered over time, and the same by agent, team, the rule that answered and how long they had waited.
// Charts are recharts (this file loads on demand).
import { Group, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Legend, XAxis, YAxis } from "recharts";
import type { EngagementReport, EngagementRow } from "../../../../../src/contracts/reports";
import { DataTable } from "../../../ui/DataTable";
import { CountBars, GroupBy } from "./Charts";
import { ChartBox, Panel } from "./Panel";
import { formatShare, StatCard } from "./StatCard";

type Dimension = "agent" | "team" | "rule" | "reply_time";
const DIMENSION_NAMES = { agent: "agent", team: "team", rule: "rule", reply_time: "reply time" } as const;
const COLUMN_NAMES = { agent: "Agent", team: "Team", rule: "Rule", reply_time: "Reply time" } as const;

export function EngagementView({ report }: { report: EngagementReport }) {
  const [dimension, setDimension] = useState<Dimension>("agent");
  const all = report.rows.find((r) => r.dimension === "all");
  const rows = report.rows.filter((r) => r.dimension === dimension);
  const shares = rows.map((r) => ({
    name: r.name,
    before: r.negative_share_before === null ? null : Math.round(r.negative_share_before * 1000) / 10,
    after: r.negative_share_after === null ? null : Math.round(r.negative_share_after * 1000) / 10,
  }));
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        People we replied to in the range, at our first reply: their last analyzed message in the {report.window_days} days before it and in
        the {report.window_days} days after it.
      </Text>
      {all && (
        <Group gap="sm">
          <StatCard label="People replied to" value={all.people} />
          <StatCard
            label="Negative before"
            value={formatShare(all.negative_share_before)}
            hint={`${all.negative_before} of ${all.with_before} with a message before`}
          />
          <StatCard
            label="Negative after"
            value={formatShare(all.negative_share_after)}
            hint={`${all.negative_after} of ${all.with_after} with a message after`}
          />
          <StatCard
            label="Detractors recovered"
            value={all.recovered}
            hint={`${formatShare(all.recovery_rate)} of detractors who wrote again · ${all.worsened} turned negative`}
          />
          <StatCard
            label="Churn risk"
            value={`${all.churn_risk_before} → ${all.churn_risk_after}`}
            hint="people with a churn-risk message, before → after"
          />
        </Group>
      )}

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Detractors over time">
          <CountBars
            label="Detractors and recovered over time"
            data={report.series}
            bars={[
              { key: "people", name: "replied to", fill: "var(--mantine-color-gray-5)" },
              { key: "detractors", fill: "var(--mantine-color-red-6)" },
              { key: "recovered", fill: "var(--mantine-color-teal-6)" },
            ]}
          />
        </Panel>
        <Panel title={`Negative share by ${DIMENSION_NAMES[dimension]}`}>
          <ChartBox label={`Negative share before and after by ${DIMENSION_NAMES[dimension]}`} height={240}>
            <BarChart data={shares} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" fontSize={11} />
              <YAxis fontSize={11} unit="%" domain={[0, 100]} />
              <ChartTooltip formatter={(v) => `${v}%`} />
              <Legend />
              <Bar dataKey="before" name="negative before" fill="var(--mantine-color-red-4)" />
              <Bar dataKey="after" name="negative after" fill="var(--mantine-color-red-8)" />
            </BarChart>
          </ChartBox>
        </Panel>
      </SimpleGrid>

      <Panel
        title={`By ${DIMENSION_NAMES[dimension]}`}
        actions={
          <GroupBy
            value={dimension}
            onChange={setDimension}
            options={
              [
                ["agent", "Agent"],
                ["team", "Team"],
                ["rule", "Rule"],
                ["reply_time", "Reply time"],
              ] as const
            }
          />
        }
      >
        <Table.ScrollContainer minWidth={800}>
          <DataTable<EngagementRow>
            label={`Engagement by ${DIMENSION_NAMES[dimension]}`}
            rows={rows}
            rowKey={(r) => r.key}
            empty="Nobody was replied to in this range."
            columns={[
              {
                key: "name",
                header: COLUMN_NAMES[dimension],
                cell: (r) => r.name,
              },
              { key: "people", header: "People", cell: (r) => r.people, td: { ta: "right" } },
              {
                key: "before",
                header: "Negative before",
                cell: (r) => `${formatShare(r.negative_share_before)} (${r.negative_before})`,
                td: { ta: "right" },
              },
              {
                key: "after",
                header: "Negative after",
                cell: (r) => `${formatShare(r.negative_share_after)} (${r.negative_after})`,
                td: { ta: "right" },
              },
              {
                key: "recovered",
                header: "Recovered",
                cell: (r) => `${r.recovered} (${formatShare(r.recovery_rate)})`,
                td: { ta: "right" },
              },
              { key: "worsened", header: "Turned negative", cell: (r) => r.worsened, td: { ta: "right" } },
              { key: "churn", header: "Churn risk", cell: (r) => `${r.churn_risk_before} → ${r.churn_risk_after}`, td: { ta: "right" } },
            ]}
          />
        </Table.ScrollContainer>
      </Panel>
    </Stack>
  );
}
