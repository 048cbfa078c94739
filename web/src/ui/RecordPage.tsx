import { Anchor, Center, Group, Loader, Stack } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../api";
import { LoadError } from "./LoadError";

/** "← Contacts": back to the list a record page was opened from. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Anchor component={Link} to={to} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {label}
      </Group>
    </Anchor>
  );
}

/**
 * One record's page while it loads: a loader, then "not found" (404) or the
 * load error under a back link, then the record itself.
 */
export function RecordLoader<T>({
  query,
  noun,
  back,
  notFoundExtra,
  children,
}: {
  query: UseQueryResult<T>;
  /** "contact": "Loading contact", "Contact not found", "Could not load this contact". */
  noun: string;
  back: { to: string; label: string };
  /** Shown under a 404, e.g. where a merged record went. */
  notFoundExtra?: ReactNode;
  children: (record: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={`Loading ${noun}`} />
      </Center>
    );
  }
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack align="flex-start">
        <BackLink {...back} />
        <LoadError
          error={query.error}
          title={missing ? `${noun[0].toUpperCase()}${noun.slice(1)} not found` : `Could not load this ${noun}`}
          onRetry={missing ? undefined : () => query.refetch()}
        />
        {missing && notFoundExtra}
      </Stack>
    );
  }
  return children(query.data);
}
