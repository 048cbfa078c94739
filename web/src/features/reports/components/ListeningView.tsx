// The listening report: headline figures, volume by sentiment and by network, channel or label,
// mean sentiment, share of voice and top authors. Charts are recharts (this file loads on demand).
import { Group, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { CartesianGrid, Tooltip as ChartTooltip, Line, LineChart, XAxis, YAxis } from "recharts";
import type { ListeningReport } from "../../../../../src/contracts/reports";
import { DataTable } from "../../../ui/DataTable";
import { networkLabel } from "../../../ui/NetworkIcon";
import { CountBars, GroupBy } from "./Charts";
import { ChartBox, Panel } from "./Panel";
import { formatShare, StatCard } from "./StatCard";

const SENTIMENT_COLORS = {
  positive: "var(--mantine-color-teal-6)",
  neutral: "var(--mantine-color-gray-5)",
  negative: "var(--mantine-color-red-6)",
  unanalyzed: "var(--mantine-color-gray-3)",
};
const PALETTE = ["indigo", "teal", "orange", "grape", "cyan", "lime", "pink", "yellow", "blue", "red"].map(
  (c) => `var(--mantine-color-${c}-6)`,
);
type Split = "label" | "network" | "channel";

/** volume_by pivoted for a stacked chart: one row per bucket, one column per key of the chosen split. */
function pivot(report: ListeningReport, split: Split) {
  const names = new Map<string, string>();
  const byBucket = new Map<string, Record<string, number | string>>(report.volume.map((v) => [v.bucket, { bucket: v.bucket }]));
  for (const s of report.volume_by) {
    if (s.dimension !== split) continue;
    names.set(s.key, split === "network" ? networkLabel(s.name) : s.name);
    const row = byBucket.get(s.bucket);
    if (row) row[s.key] = s.messages;
  }
  return { rows: [...byBucket.values()], keys: [...names.entries()] };
}

export function ListeningView({ report }: { report: ListeningReport }) {
  const [split, setSplit] = useState<Split>("label");
  const pivoted = pivot(report, split);
  const mean = report.totals.mean_sentiment;
  return (
    <Stack gap="lg">
      <Group gap="sm">
        <StatCard label="Messages" value={report.totals.messages} hint="inbound, in the range" />
        <StatCard label="Authors" value={report.totals.authors} />
        <StatCard label="Mean sentiment" value={mean === null ? "–" : mean.toFixed(2)} hint="-1 negative … 1 positive" />
      </Group>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Volume by sentiment">
          <CountBars
            label="Volume by sentiment"
            data={report.volume}
            bars={(["negative", "neutral", "positive", "unanalyzed"] as const).map((k) => ({
              key: k,
              stack: "s",
              fill: SENTIMENT_COLORS[k],
            }))}
          />
        </Panel>
        <Panel title="Mean sentiment">
          <ChartBox label="Mean sentiment over time" height={240}>
            <LineChart data={report.volume} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" fontSize={11} />
              <YAxis domain={[-1, 1]} fontSize={11} />
              <ChartTooltip formatter={(v) => [Number(v).toFixed(2), "mean sentiment"]} />
              <Line type="linear" dataKey="mean_sentiment" stroke="var(--mantine-color-indigo-6)" connectNulls dot />
            </LineChart>
          </ChartBox>
        </Panel>
      </SimpleGrid>

      <Panel
        title={`Volume by ${split}`}
        actions={
          <GroupBy
            value={split}
            onChange={setSplit}
            options={
              [
                ["label", "Label"],
                ["network", "Network"],
                ["channel", "Channel"],
              ] as const
            }
            label="Split volume by"
          />
        }
      >
        {pivoted.keys.length === 0 && (
          <Text size="sm" c="dimmed">
            No {split === "label" ? "labelled " : ""}messages in this range.
          </Text>
        )}
        <CountBars
          label={`Volume by ${split}`}
          height={260}
          data={pivoted.rows}
          bars={pivoted.keys.map(([key, name], i) => ({ key, name, stack: "v", fill: PALETTE[i % PALETTE.length] as string }))}
        />
      </Panel>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Panel title="Share of voice">
          <Table.ScrollContainer minWidth={360}>
            <DataTable
              label="Share of voice"
              rows={report.share_of_voice}
              rowKey={(t) => t.term_id}
              empty="No brand or product terms yet: add them under Settings → Channels."
              columns={[
                { key: "name", header: "Term", cell: (t) => t.name },
                { key: "kind", header: "Kind", cell: (t) => t.kind },
                { key: "mentions", header: "Mentions", cell: (t) => t.mentions, td: { ta: "right" } },
                { key: "share", header: "Share", cell: (t) => formatShare(t.share), td: { ta: "right" } },
              ]}
            />
          </Table.ScrollContainer>
        </Panel>
        <Panel title="Top authors by reach">
          <Table.ScrollContainer minWidth={360}>
            <DataTable
              label="Top authors"
              rows={report.top_authors}
              rowKey={(a) => a.profile_id}
              empty="No one wrote in this range."
              columns={[
                {
                  key: "who",
                  header: "Author",
                  cell: (a) => (
                    <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                      {a.display_name || a.handle || "Unknown"}
                      {a.handle && a.display_name ? ` (@${a.handle})` : ""}
                    </Text>
                  ),
                },
                { key: "network", header: "Network", cell: (a) => networkLabel(a.network) },
                { key: "followers", header: "Followers", cell: (a) => a.followers?.toLocaleString() ?? "–", td: { ta: "right" } },
                { key: "messages", header: "Messages", cell: (a) => a.messages, td: { ta: "right" } },
              ]}
            />
          </Table.ScrollContainer>
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}
