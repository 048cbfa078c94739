// The frame every report section shares: a bordered panel with its title (and controls beside
// it), and a chart area that screen readers announce by its label.
import { Group, Paper, Title } from "@mantine/core";
import type { ReactElement, ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

export function Panel({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

export function ChartBox({ label, height, children }: { label: string; height: number; children: ReactElement }) {
  return (
    <div role="img" aria-label={label} style={{ width: "100%", height }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}
