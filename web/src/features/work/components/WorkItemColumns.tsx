import { Grid, Stack } from "@mantine/core";
import type { ReactNode } from "react";

/** A case's, deal's or idea's page body: the story on the left, the fields to change on the right (stacked on phones). */
export function WorkItemColumns({ main, side }: { main: ReactNode; side: ReactNode }) {
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>{main}</Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack>{side}</Stack>
      </Grid.Col>
    </Grid>
  );
}
