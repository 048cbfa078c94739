import { TextInput, type TextInputProps } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";

/**
 * A text input that reports its value after the user pauses typing (or at
 * once on Enter), and follows `value` when it is changed from outside.
 */
export function DebouncedTextInput({
  value,
  onCommit,
  delay = 300,
  ...props
}: Omit<TextInputProps, "value" | "onChange"> & { value: string; onCommit: (value: string) => void; delay?: number }) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  const commit = useDebouncedCallback((next: string) => {
    committed.current = next;
    onCommit(next);
  }, delay);

  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);

  return (
    <TextInput
      {...props}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          commit.cancel();
          if (committed.current !== text) {
            committed.current = text;
            onCommit(text);
          }
        }
        props.onKeyDown?.(e);
      }}
    />
  );
}
