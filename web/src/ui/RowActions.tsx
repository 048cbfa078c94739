import { ActionIcon, Group } from "@mantine/core";
import { IconPencil, IconTrash } from "@tabler/icons-react";
import type { ReactNode } from "react";

/** The edit and delete buttons at the end of a settings row; their labels name the row ("Edit team Sales"). */
export function RowActions({
  editLabel,
  onEdit,
  deleteLabel,
  onDelete,
  children,
}: {
  editLabel?: string;
  onEdit?: () => void;
  deleteLabel?: string;
  onDelete?: () => void;
  /** Extra buttons, before edit and delete. */
  children?: ReactNode;
}) {
  return (
    <Group gap={2} wrap="nowrap" justify="flex-end">
      {children}
      {onEdit && (
        <ActionIcon variant="subtle" color="gray" aria-label={editLabel} onClick={onEdit}>
          <IconPencil size={16} />
        </ActionIcon>
      )}
      {onDelete && (
        <ActionIcon variant="subtle" color="red" aria-label={deleteLabel} onClick={onDelete}>
          <IconTrash size={16} />
        </ActionIcon>
      )}
    </Group>
  );
}
