import { Anchor, Table } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useNavigate } from "react-router-dom";

/** A table row that opens `to` on click or Enter; its first cell should hold a RowLink for keyboard and screen readers. */
export function LinkRow({ to, children }: { to: string; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Table.Tr
      className="clickable-row"
      tabIndex={0}
      onClick={() => navigate(to)}
      onKeyDown={(e) => {
        if (e.key === "Enter" && e.target === e.currentTarget) navigate(to);
      }}
    >
      {children}
    </Table.Tr>
  );
}

/** The link in a LinkRow's first cell (the row handles the click). */
export function RowLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
      {children}
    </Anchor>
  );
}
