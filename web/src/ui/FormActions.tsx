import { Button, Group, type MantineSpacing } from "@mantine/core";
import type { ReactNode } from "react";

/** Cancel and submit at the foot of a form. */
export function FormActions({
  onCancel,
  submitLabel,
  loading,
  disabled,
  leftSection,
  mt,
}: {
  onCancel?: () => void;
  submitLabel: ReactNode;
  loading?: boolean;
  disabled?: boolean;
  leftSection?: ReactNode;
  mt?: MantineSpacing;
}) {
  return (
    <Group justify="flex-end" mt={mt}>
      {onCancel && (
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      )}
      <Button type="submit" loading={loading} disabled={disabled} leftSection={leftSection}>
        {submitLabel}
      </Button>
    </Group>
  );
}
