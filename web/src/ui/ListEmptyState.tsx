import { Button, EmptyState } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import type { ReactNode } from "react";

/** An empty list because of the search or filters: says so and offers to clear them. */
export function NoMatches({
  title,
  description,
  clearLabel,
  onClear,
}: {
  title: string;
  description: string;
  clearLabel: string;
  onClear: () => void;
}) {
  return (
    <EmptyState py={48} icon={<IconSearch size={28} />} withIndicatorBackground title={title} description={description}>
      <EmptyState.Actions>
        <Button variant="default" onClick={onClear}>
          {clearLabel}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

/** An empty list with nothing filtered out: what goes here, and the buttons that add the first one. */
export function NothingYet({
  icon,
  title,
  description,
  actions,
}: {
  icon: ReactNode;
  title: string;
  description: string;
  actions?: ReactNode;
}) {
  return (
    <EmptyState py={48} icon={icon} variant="light" title={title} description={description}>
      {actions && <EmptyState.Actions>{actions}</EmptyState.Actions>}
    </EmptyState>
  );
}
