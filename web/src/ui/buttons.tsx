import { Button, type ButtonProps } from "@mantine/core";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import type { ReactNode } from "react";

/** The "New …" button of a page or section header. */
export function NewButton({ children, onClick, ...props }: ButtonProps & { children: ReactNode; onClick: () => void }) {
  return (
    <Button leftSection={<IconPlus size={16} />} onClick={onClick} {...props}>
      {children}
    </Button>
  );
}

/** A record page's Edit and Delete header buttons. */
export function EditDeleteButtons({ onEdit, onDelete }: { onEdit: () => void; onDelete: () => void }) {
  return (
    <>
      <Button variant="default" leftSection={<IconPencil size={16} />} onClick={onEdit}>
        Edit
      </Button>
      <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
        Delete
      </Button>
    </>
  );
}
