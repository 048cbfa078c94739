import { Button, Group, Text } from "@mantine/core";
import { IconChevronLeft, IconChevronRight } from "@tabler/icons-react";
import { useCallback, useState } from "react";

/**
 * Forward-only cursor pagination with a stack of the cursors already seen, so
 * "Previous" can go back. Any change of `resetKey` (filters, sort) starts over.
 */
export function useCursorStack(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: Array<string | null> }>({ key: resetKey, stack: [null] });
  const stack = state.key === resetKey ? state.stack : [null];
  const cursor = stack[stack.length - 1] ?? null;
  const next = useCallback(
    (nextCursor: string) => setState((s) => ({ key: resetKey, stack: [...(s.key === resetKey ? s.stack : [null]), nextCursor] })),
    [resetKey],
  );
  const previous = useCallback(
    () =>
      setState((s) => {
        const current = s.key === resetKey ? s.stack : [null];
        return { key: resetKey, stack: current.length > 1 ? current.slice(0, -1) : current };
      }),
    [resetKey],
  );
  return { cursor, pageIndex: stack.length - 1, next, previous };
}

export function CursorPager({
  pageIndex,
  pageSize,
  count,
  total,
  nextCursor,
  onNext,
  onPrevious,
  noun,
  loading = false,
}: {
  pageIndex: number;
  pageSize: number;
  count: number;
  total: number | null | undefined;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  noun: string;
  /** The rows shown are the previous page's while the next one loads. */
  loading?: boolean;
}) {
  const from = count === 0 ? 0 : pageIndex * pageSize + 1;
  const to = pageIndex * pageSize + count;
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {count === 0 ? `No ${noun}` : typeof total === "number" ? `${from}–${to} of ${total} ${noun}` : `${from}–${to} ${noun}`}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} />} disabled={pageIndex === 0} onClick={onPrevious}>
          Previous
        </Button>
        <Button
          variant="default"
          size="xs"
          rightSection={<IconChevronRight size={14} />}
          disabled={!nextCursor || loading}
          onClick={() => nextCursor && onNext(nextCursor)}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
}
