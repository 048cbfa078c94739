// The product report: headline figures, ideas by status with their votes, votes over time by source
// (posts on social networks, the community portal, staff), where the votes came from and the ideas
// that gathered most in the range. Charts are recharts (this file loads on demand).
import { Anchor, Group, SimpleGrid, Stack, Table } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Legend, XAxis, YAxis } from "recharts";
import type { ProductReport } from "../../../../../src/contracts/reports";
import { DataTable } from "../../../ui/DataTable";
import { networkLabel } from "../../../ui/NetworkIcon";
import { CountBars, GroupBy } from "./Charts";
import { ChartBox, Panel } from "./Panel";
import { StatCard } from "./StatCard";

const SOURCE_COLORS = {
  social: "var(--mantine-color-indigo-6)",
  community: "var(--mantine-color-teal-6)",
  staff: "var(--mantine-color-orange-5)",
} as const;
const SOURCE_NAMES = { social: "Social posts", community: "Community portal", staff: "Staff" } as const;
type Origin = "source" | "network" | "channel";

const statusName = (s: string) => s.replace(/_/g, " ");

export function ProductView({ report }: { report: ProductReport }) {
  const [origin, setOrigin] = useState<Origin>("source");
  const origins = report.origins
    .filter((o) => o.dimension === origin)
    .map((o) => ({ ...o, label: origin === "network" && o.key !== "none" ? networkLabel(o.name) : o.name }));
  return (
    <Stack gap="lg">
      <Group gap="sm">
        <StatCard label="Ideas" value={report.totals.ideas} hint="open and closed, merged ones excluded" />
        <StatCard label="New ideas" value={report.totals.ideas_created} hint="created in the range" />
        <StatCard label="Votes" value={report.totals.votes_in_range} hint="cast in the range" />
      </Group>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Votes over time">
          <CountBars
            label="Votes over time by source"
            data={report.votes}
            bars={(["social", "community", "staff"] as const).map((k) => ({
              key: k,
              stack: "v",
              fill: SOURCE_COLORS[k],
              name: SOURCE_NAMES[k],
            }))}
          />
        </Panel>
        <Panel title="Ideas by status">
          <ChartBox label="Ideas and votes by status" height={240}>
            <BarChart
              data={report.by_status.map((s) => ({ ...s, label: statusName(s.status) }))}
              margin={{ top: 5, right: 10, left: -20, bottom: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} />
              <ChartTooltip />
              <Legend />
              <Bar dataKey="ideas" fill="var(--mantine-color-grape-6)" />
              <Bar dataKey="votes_in_range" name="votes in range" fill="var(--mantine-color-indigo-5)" />
            </BarChart>
          </ChartBox>
        </Panel>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel
          title="Where votes came from"
          actions={
            <GroupBy
              value={origin}
              onChange={setOrigin}
              options={
                [
                  ["source", "Source"],
                  ["network", "Network"],
                  ["channel", "Channel"],
                ] as const
              }
              label="Votes by"
            />
          }
        >
          <DataTable
            label="Where votes came from"
            rows={origins}
            rowKey={(o) => o.key}
            empty="No votes in this range."
            columns={[
              { key: "from", header: "From", cell: (o) => o.label },
              { key: "votes", header: "Votes", cell: (o) => o.votes, td: { ta: "right" } },
            ]}
          />
        </Panel>
        <Panel title="Status and votes">
          <DataTable
            label="Ideas by status"
            rows={report.by_status}
            rowKey={(s) => s.status}
            columns={[
              { key: "status", header: "Status", cell: (s) => statusName(s.status) },
              { key: "ideas", header: "Ideas", cell: (s) => s.ideas, td: { ta: "right" } },
              { key: "votes", header: "Votes", cell: (s) => s.votes, td: { ta: "right" } },
              { key: "created", header: "New in range", cell: (s) => s.created, td: { ta: "right" } },
              { key: "range", header: "Votes in range", cell: (s) => s.votes_in_range, td: { ta: "right" } },
            ]}
          />
        </Panel>
      </SimpleGrid>

      <Panel title="Top ideas in the range">
        <Table.ScrollContainer minWidth={600}>
          <DataTable
            label="Top ideas"
            rows={report.top_ideas}
            rowKey={(i) => i.idea_id}
            empty="No idea was voted on in this range."
            columns={[
              {
                key: "title",
                header: "Idea",
                cell: (i) => (
                  <Anchor component={Link} to={`/ideas/${i.idea_id}`} size="sm">
                    {i.title}
                  </Anchor>
                ),
              },
              { key: "status", header: "Status", cell: (i) => statusName(i.status) },
              { key: "range", header: "Votes in range", cell: (i) => i.votes_in_range, td: { ta: "right" } },
              { key: "votes", header: "All votes", cell: (i) => i.votes, td: { ta: "right" } },
            ]}
          />
        </Table.ScrollContainer>
      </Panel>
    </Stack>
  );
}
