import { Paper, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** One headline figure of a report, with its name (tests and screen readers find it by that name). */
export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md" miw={150} role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`stat-${label}`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** Minutes as people read them: 45 min, 2 h 5 min, 3 d 4 h; a dash when there is nothing to measure. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return "–";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${Math.round(minutes - hours * 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export const formatShare = (share: number | null) => (share === null ? "–" : `${Math.round(share * 1000) / 10}%`);
