import { Alert, List } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { ApiError, errorMessage } from "../api";

/**
 * The server's message for a failed form submission. Details that name a field
 * the form shows inline are left to that field; the rest are listed here.
 */
export function FormError({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  const others = error instanceof ApiError ? error.details.filter((d) => !d.field || !shownFields.includes(d.field)) : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert" title={errorMessage(error)}>
      {others.length > 0 && (
        <List size="sm" spacing={2}>
          {others.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: details have no identity of their own
            <List.Item key={i}>
              {d.field ? `${d.field}: ` : ""}
              {d.row !== undefined ? `row ${d.row}${d.column ? `, ${d.column}` : ""}: ` : ""}
              {d.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
