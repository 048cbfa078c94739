import { Stack, type StackProps } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A form laid out as a Stack. Submitting (button or Enter) calls `onSubmit`
 * instead of reloading the page; the browser's own validation is off, the
 * server's messages show on the fields.
 */
export function StackForm({ onSubmit, children, ...stackProps }: StackProps & { onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      noValidate
    >
      <Stack {...stackProps}>{children}</Stack>
    </form>
  );
}
