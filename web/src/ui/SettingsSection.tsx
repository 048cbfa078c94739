import { Group, Paper, Text, Title } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { LoadError } from "./LoadError";

/** A bordered settings section: a heading, an optional line under it, and actions on the right. */
export function SettingsSection({
  title,
  description,
  actions,
  label,
  children,
}: {
  title: ReactNode;
  /** Makes the section a landmark with this name. */
  label?: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="lg" radius="md" {...(label ? { component: "section", "aria-label": label } : {})}>
      <Group justify="space-between" mb="md" wrap="nowrap" align="flex-start">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/**
 * The body of a section that lists records: the load error, "Loading…", the
 * empty message (a string is shown as dimmed text), or the table.
 */
export function QueryState<T>({
  query,
  items,
  empty,
  children,
}: {
  query: Pick<UseQueryResult, "isError" | "error" | "isPending" | "refetch">;
  items: T[];
  empty: ReactNode;
  children: ReactNode;
}) {
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  if (items.length > 0) return children;
  if (query.isPending || typeof empty === "string") {
    return (
      <Text size="sm" c="dimmed">
        {query.isPending ? "Loading…" : empty}
      </Text>
    );
  }
  return empty;
}
