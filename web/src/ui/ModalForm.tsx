import { Modal, type ModalProps, Stack } from "@mantine/core";
import type { ReactNode } from "react";

/** A modal whose body is one form; submitting (button or Enter) calls `onSubmit`. */
export function ModalForm({
  opened,
  onClose,
  title,
  size,
  onSubmit,
  noValidate,
  children,
}: Pick<ModalProps, "opened" | "onClose" | "title" | "size"> & {
  onSubmit: () => void;
  noValidate?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate={noValidate}
      >
        <Stack>{children}</Stack>
      </form>
    </Modal>
  );
}
