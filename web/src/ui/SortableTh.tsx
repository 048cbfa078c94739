import { Table, UnstyledButton } from "@mantine/core";
import { IconArrowDown, IconArrowsSort, IconArrowUp } from "@tabler/icons-react";

/**
 * A column header that sorts by `sortKey` ("name"; "-name" is descending) and
 * says so with aria-sort. Without a sortKey it is a plain header.
 */
export function SortableTh({ label, sortKey, sort, onSort }: { label: string; sortKey?: string; sort: string; onSort: () => void }) {
  if (!sortKey) return <Table.Th style={{ whiteSpace: "nowrap" }}>{label}</Table.Th>;
  const direction = sort === sortKey ? "ascending" : sort === `-${sortKey}` ? "descending" : "none";
  const Icon = direction === "ascending" ? IconArrowUp : direction === "descending" ? IconArrowDown : IconArrowsSort;
  return (
    <Table.Th aria-sort={direction} style={{ whiteSpace: "nowrap" }}>
      <UnstyledButton onClick={onSort} className="sort-header" aria-label={`Sort by ${label}`}>
        {label}
        <Icon size={14} stroke={1.6} color={direction === "none" ? "var(--mantine-color-gray-5)" : undefined} />
      </UnstyledButton>
    </Table.Th>
  );
}

/** The next sort when a header is clicked: ascending first, then descending. */
export function toggledSort(sort: string, sortKey: string): string {
  return sort === sortKey ? `-${sortKey}` : sortKey;
}
