import { Skeleton, Stack, Text } from "@mantine/core";
import { IconTimelineEvent } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { errorMessage } from "../api";

/** A timeline's loading skeleton, load error or empty message; the entries (`children`) once there are some. */
export function TimelineGate({
  query,
  count,
  emptyTitle,
  emptyHint,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown };
  count: number;
  emptyTitle: ReactNode;
  emptyHint: string;
  children: ReactNode;
}) {
  if (query.isPending) {
    return (
      <Stack>
        <Skeleton h={40} />
        <Skeleton h={40} />
      </Stack>
    );
  }
  if (query.isError) {
    return (
      <Text c="red" size="sm" role="alert">
        Could not load the timeline: {errorMessage(query.error)}
      </Text>
    );
  }
  if (count === 0) {
    return (
      <Stack align="center" gap={4} py="lg">
        <IconTimelineEvent size={32} color="var(--mantine-color-gray-5)" aria-hidden />
        <Text fw={500}>{emptyTitle}</Text>
        <Text size="sm" c="dimmed">
          {emptyHint}
        </Text>
      </Stack>
    );
  }
  return children;
}
