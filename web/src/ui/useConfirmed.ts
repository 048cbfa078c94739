import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

/**
 * A destructive action behind a ConfirmDialog: `ask(item)` opens the dialog,
 * confirming runs `action(item)`, success closes it. Spread `dialog` on the
 * ConfirmDialog.
 */
export function useConfirmed<T>(action: (item: T) => Promise<unknown>, onDone?: (item: T) => void) {
  const [target, setTarget] = useState<T | null>(null);
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: (_, item) => {
      setTarget(null);
      onDone?.(item);
    },
  });
  return {
    target,
    ask: setTarget,
    mutation,
    dialog: {
      opened: target !== null,
      onClose: () => {
        setTarget(null);
        mutation.reset();
      },
      onConfirm: () => {
        if (target !== null) mutation.mutate(target);
      },
      loading: mutation.isPending,
      error: mutation.error,
    },
  };
}
