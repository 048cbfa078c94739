// Sentiment per week and messages per network, drawn with recharts (loaded on demand).
import { Text } from "@mantine/core";
import dayjs from "dayjs";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { ContactInsights } from "../../../types";
import { networkLabel } from "../../../ui/NetworkIcon";

export function InsightCharts({ insights: data }: { insights: ContactInsights }) {
  return (
    <>
      {data.sentiment_series.length > 0 ? (
        <div aria-label="Sentiment by week" role="img" style={{ width: "100%", height: 160 }} data-testid="sentiment-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data.sentiment_series} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" tickFormatter={(v: string) => dayjs(v).format("MMM D")} fontSize={11} />
              <YAxis domain={[-1, 1]} fontSize={11} />
              <ChartTooltip formatter={(v) => [Number(v).toFixed(2), "average sentiment"]} />
              <Line type="linear" dataKey="average" stroke="var(--mantine-color-indigo-6)" dot />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <Text size="sm" c="dimmed">
          No analyzed messages yet.
        </Text>
      )}
      {data.networks.length > 0 && (
        <div aria-label="Messages by network" role="img" style={{ width: "100%", height: 40 + data.networks.length * 28 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.networks.map((n) => ({ ...n, label: networkLabel(n.network) }))} layout="vertical" margin={{ left: 10 }}>
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="label" width={90} fontSize={11} />
              <ChartTooltip />
              <Bar dataKey="count" fill="var(--mantine-color-teal-6)" name="messages" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </>
  );
}
