// The sales report: leads and deals that came from social and their value, and the revenue won in the
// range traced to the first post, over time and by the network or channel of that post. Charts are
// recharts (this file loads on demand).
import { Group, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Legend, XAxis, YAxis } from "recharts";
import type { SalesReport, SalesRow } from "../../../../../src/contracts/reports";
import { DataTable } from "../../../ui/DataTable";
import { networkLabel } from "../../../ui/NetworkIcon";
import { CountBars, GroupBy } from "./Charts";
import { ChartBox, Panel } from "./Panel";
import { StatCard } from "./StatCard";

type Dimension = "network" | "channel";

const money = (value: number, currencies: string[]) =>
  `${value.toLocaleString(undefined, { maximumFractionDigits: 2 })}${currencies.length === 1 ? ` ${currencies[0]}` : ""}`;

export function SalesView({ report }: { report: SalesReport }) {
  const [dimension, setDimension] = useState<Dimension>("network");
  const all = report.rows.find((r) => r.dimension === "all");
  const rows = report.rows
    .filter((r) => r.dimension === dimension)
    .map((r) => ({ ...r, label: dimension === "network" && r.key !== "none" ? networkLabel(r.name) : r.name }));
  const c = report.currencies;
  return (
    <Stack gap="lg">
      {all && (
        <Group gap="sm">
          <StatCard label="Leads" value={all.leads} hint="new contacts who wrote to us first" />
          <StatCard label="Deals from social" value={all.deals_created} hint={`worth ${money(all.deals_value, c)}`} />
          <StatCard label="Won revenue" value={money(all.won_value, c)} hint={`${all.won_deals} deals won in the range`} />
        </Group>
      )}
      {c.length > 1 && (
        <Text size="sm" c="dimmed">
          Deals in {c.join(", ")}: values are added as they are, without conversion.
        </Text>
      )}

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Leads and deals over time">
          <CountBars
            label="Leads and deals over time"
            data={report.series}
            bars={[
              { key: "leads", fill: "var(--mantine-color-teal-6)" },
              { key: "deals_created", name: "deals", fill: "var(--mantine-color-indigo-6)" },
            ]}
          />
        </Panel>
        <Panel title="Revenue over time">
          <ChartBox label="Deal value and won revenue over time" height={240}>
            <BarChart data={report.series} margin={{ top: 5, right: 10, left: 0, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" fontSize={11} />
              <YAxis fontSize={11} />
              <ChartTooltip formatter={(v) => money(Number(v), c)} />
              <Legend />
              <Bar dataKey="deals_value" name="new deal value" fill="var(--mantine-color-indigo-4)" />
              <Bar dataKey="won_value" name="won revenue" fill="var(--mantine-color-green-7)" />
            </BarChart>
          </ChartBox>
        </Panel>
      </SimpleGrid>

      <Panel
        title={`By the first post's ${dimension}`}
        actions={
          <GroupBy
            value={dimension}
            onChange={setDimension}
            options={
              [
                ["network", "Network"],
                ["channel", "Channel"],
              ] as const
            }
          />
        }
      >
        <Table.ScrollContainer minWidth={700}>
          <DataTable<SalesRow & { label: string }>
            label={`Sales by ${dimension}`}
            rows={rows}
            rowKey={(r) => r.key}
            empty="No leads, deals or revenue in this range."
            columns={[
              { key: "name", header: dimension === "network" ? "Network" : "Channel", cell: (r) => r.label },
              { key: "leads", header: "Leads", cell: (r) => r.leads, td: { ta: "right" } },
              { key: "deals", header: "Deals", cell: (r) => r.deals_created, td: { ta: "right" } },
              { key: "value", header: "Deal value", cell: (r) => money(r.deals_value, c), td: { ta: "right" } },
              { key: "won", header: "Won", cell: (r) => r.won_deals, td: { ta: "right" } },
              { key: "revenue", header: "Won revenue", cell: (r) => money(r.won_value, c), td: { ta: "right" } },
            ]}
          />
        </Table.ScrollContainer>
      </Panel>
    </Stack>
  );
}
