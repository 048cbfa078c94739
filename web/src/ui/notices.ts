import { notifications } from "@mantine/notifications";

/** A handler that runs `then` (close the form) and confirms with a green notice: `onSaved={doneWithNotice(close, "Contact saved")}`. */
export function doneWithNotice(then: () => void, message: string) {
  return () => {
    then();
    notifications.show({ color: "green", message });
  };
}
