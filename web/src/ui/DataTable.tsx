import { Table, type TableProps, type TableTdProps, type TableThProps, type TableTrProps, Text } from "@mantine/core";
import type { ReactNode } from "react";

/** One column of a DataTable: its header, how a row fills its cell, and the cell's props. */
export type DataColumn<T> = {
  key: string;
  /** Empty for a column of row actions. */
  header?: ReactNode;
  th?: TableThProps;
  td?: TableTdProps;
  cell: (row: T, index: number) => ReactNode;
};

type RowProps = TableTrProps & { "data-testid"?: string };

/**
 * The table every list and settings section draws: a header row from the
 * columns, one row per item, and an optional full-width row when there are none.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  ...tableProps
}: Omit<TableProps, "children"> & {
  /** The table's accessible name. */
  label: string;
  columns: Array<DataColumn<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => RowProps;
  /** Shown in one full-width row when `rows` is empty; nothing when left out. */
  empty?: ReactNode;
}) {
  return (
    <Table aria-label={label} {...tableProps}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.key} {...column.th}>
              {column.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => (
          <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) => (
              <Table.Td key={column.key} {...column.td}>
                {column.cell(row, index)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
        {rows.length === 0 && empty !== undefined && (
          <Table.Tr>
            <Table.Td colSpan={columns.length}>
              <Text ta="center" c="dimmed" py="lg" size="sm">
                {empty}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}
