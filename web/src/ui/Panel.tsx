import { Paper, type PaperProps, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A bordered block of a record page with its heading ("Details", "Custom fields"). */
export function Panel({
  title,
  titleSize = "h4",
  children,
  ...paperProps
}: PaperProps & { title: ReactNode; titleSize?: "h4" | "h5"; "aria-label"?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" {...paperProps}>
      <Title order={2} size={titleSize} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
