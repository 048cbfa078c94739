import { Button, EmptyState } from "@mantine/core";
import { IconMapQuestion } from "@tabler/icons-react";
import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <EmptyState
      py={64}
      icon={<IconMapQuestion size={28} />}
      variant="light"
      title="Page not found"
      description="The page you opened does not exist."
    >
      <EmptyState.Actions>
        <Button component={Link} to="/contacts">
          Go to contacts
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
