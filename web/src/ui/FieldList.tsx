import { DataList, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** Label/value pairs of a record; empty values show a dash. */
export function FieldList({ items }: { items: Array<{ label: string; value: ReactNode }> }) {
  return (
    <DataList size="sm" labelWidth={130} gap="xs">
      {items.map(({ label, value }) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue style={{ minWidth: 0, overflowWrap: "anywhere" }}>
            {value === null || value === undefined || value === "" ? (
              <Text span size="sm" c="dimmed">
                —
              </Text>
            ) : (
              value
            )}
          </DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}
