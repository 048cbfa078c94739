// The service report: headline times (the 'all' row), a chart and table per team, agent, channel or
// priority, and the backlog by age. Charts are recharts (this file loads on demand).
import { Group, SimpleGrid, Stack, Table } from "@mantine/core";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Legend, XAxis, YAxis } from "recharts";
import type { ServiceReport, ServiceRow } from "../../../../../src/contracts/reports";
import { DataTable } from "../../../ui/DataTable";
import { GroupBy } from "./Charts";
import { ChartBox, Panel } from "./Panel";
import { formatMinutes, formatShare, StatCard } from "./StatCard";

type Dimension = "team" | "agent" | "channel" | "priority";
const AGE_LABELS = { under_1d: "under 1 day", "1d_3d": "1–3 days", "3d_7d": "3–7 days", over_7d: "over 7 days" } as const;

export function ServiceView({ report }: { report: ServiceReport }) {
  const [dimension, setDimension] = useState<Dimension>("team");
  const all = report.rows.find((r) => r.dimension === "all");
  const rows = report.rows.filter((r) => r.dimension === dimension);
  return (
    <Stack gap="lg">
      {all && (
        <Group gap="sm">
          <StatCard
            label="First reply (median)"
            value={formatMinutes(all.conversation_first_reply_p50)}
            hint={`p90 ${formatMinutes(all.conversation_first_reply_p90)} · ${all.conversations} conversations`}
          />
          <StatCard
            label="Case first response (median)"
            value={formatMinutes(all.first_response_p50)}
            hint={`p90 ${formatMinutes(all.first_response_p90)} · ${all.cases} cases`}
          />
          <StatCard
            label="Resolution (median)"
            value={formatMinutes(all.resolution_p50)}
            hint={`p90 ${formatMinutes(all.resolution_p90)}`}
          />
          <StatCard
            label="SLA attainment"
            value={formatShare(all.first_response_attainment)}
            hint={`first response · resolution ${formatShare(all.resolution_attainment)}`}
          />
          <StatCard
            label="CSAT"
            value={all.csat_mean === null ? "–" : `${all.csat_mean.toFixed(1)} / 5`}
            hint={`${all.csat_responses} ratings · ${formatShare(all.csat_satisfied)} satisfied`}
          />
          <StatCard
            label="Backlog"
            value={report.backlog.open_conversations + report.backlog.open_cases}
            hint={`${report.backlog.open_conversations} conversations · ${report.backlog.open_cases} cases open now`}
          />
        </Group>
      )}

      <Panel
        title={`By ${dimension}`}
        actions={
          <GroupBy
            value={dimension}
            onChange={setDimension}
            options={
              [
                ["team", "Team"],
                ["agent", "Agent"],
                ["channel", "Channel"],
                ["priority", "Priority"],
              ] as const
            }
          />
        }
      >
        <ChartBox label={`Response times by ${dimension}`} height={240}>
          <BarChart data={rows} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" fontSize={11} />
            <YAxis fontSize={11} unit=" m" />
            <ChartTooltip formatter={(v) => formatMinutes(Number(v))} />
            <Legend />
            <Bar dataKey="conversation_first_reply_p50" name="first reply p50" fill="var(--mantine-color-orange-4)" />
            <Bar dataKey="conversation_first_reply_p90" name="first reply p90" fill="var(--mantine-color-orange-8)" />
            <Bar dataKey="first_response_p50" name="first response p50" fill="var(--mantine-color-indigo-4)" />
            <Bar dataKey="first_response_p90" name="first response p90" fill="var(--mantine-color-indigo-8)" />
            <Bar dataKey="resolution_p50" name="resolution p50" fill="var(--mantine-color-teal-4)" />
            <Bar dataKey="resolution_p90" name="resolution p90" fill="var(--mantine-color-teal-8)" />
          </BarChart>
        </ChartBox>
        <Table.ScrollContainer minWidth={900}>
          <DataTable<ServiceRow>
            label={`Service by ${dimension}`}
            rows={rows}
            rowKey={(r) => r.key}
            empty="Nothing in this range."
            columns={[
              { key: "name", header: dimension[0]?.toUpperCase() + dimension.slice(1), cell: (r) => r.name },
              { key: "conv", header: "Conversations", cell: (r) => r.conversations, td: { ta: "right" } },
              {
                key: "reply",
                header: "First reply p50 / p90",
                cell: (r) => `${formatMinutes(r.conversation_first_reply_p50)} / ${formatMinutes(r.conversation_first_reply_p90)}`,
              },
              { key: "cases", header: "Cases", cell: (r) => r.cases, td: { ta: "right" } },
              {
                key: "resp",
                header: "First response p50 / p90",
                cell: (r) => `${formatMinutes(r.first_response_p50)} / ${formatMinutes(r.first_response_p90)}`,
              },
              {
                key: "resol",
                header: "Resolution p50 / p90",
                cell: (r) => `${formatMinutes(r.resolution_p50)} / ${formatMinutes(r.resolution_p90)}`,
              },
              {
                key: "sla",
                header: "SLA met",
                cell: (r) => `${formatShare(r.first_response_attainment)} · ${formatShare(r.resolution_attainment)}`,
              },
              {
                key: "csat",
                header: "CSAT",
                cell: (r) => (r.csat_mean === null ? "–" : `${r.csat_mean.toFixed(1)} (${r.csat_responses})`),
              },
            ]}
          />
        </Table.ScrollContainer>
      </Panel>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Backlog by age">
          <ChartBox label="Backlog by age" height={220}>
            <BarChart
              data={report.backlog.ages.map((a) => ({ ...a, label: AGE_LABELS[a.age] }))}
              margin={{ top: 5, right: 10, left: -20, bottom: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <ChartTooltip />
              <Legend />
              <Bar dataKey="conversations" fill="var(--mantine-color-orange-5)" />
              <Bar dataKey="cases" fill="var(--mantine-color-grape-6)" />
            </BarChart>
          </ChartBox>
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}
