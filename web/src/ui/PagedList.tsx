import { LoadingOverlay, Paper } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Page } from "../types";
import { CursorPager } from "./CursorPager";
import { LoadError } from "./LoadError";

/**
 * A list page's body: the rows of the current page in a bordered panel (or the
 * load error), then the pager. The pager hides on an empty first page when
 * `pagerWhenEmpty` is false.
 */
export function PagedList<T>({
  query,
  pager,
  pageSize,
  noun,
  errorTitle,
  pagerWhenEmpty = true,
  showTotal = false,
  refetchOverlay = false,
  children,
}: {
  query: UseQueryResult<Page<T>>;
  pager: { pageIndex: number; next: (cursor: string) => void; previous: () => void };
  pageSize: number;
  /** Plural, as the pager says it: "cases". */
  noun: string;
  errorTitle: string;
  pagerWhenEmpty?: boolean;
  /** Whether the pager says "of N" (the list was asked for its total). */
  showTotal?: boolean;
  /** Dims the rows shown while a new search or sort loads. */
  refetchOverlay?: boolean;
  children: ReactNode;
}) {
  const count = query.data?.data.length ?? 0;
  return (
    <>
      {query.isError ? (
        <LoadError error={query.error} onRetry={() => query.refetch()} title={errorTitle} />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          {refetchOverlay && (
            <LoadingOverlay
              visible={query.isFetching && !query.isPending}
              overlayProps={{ blur: 0, backgroundOpacity: 0.3 }}
              loaderProps={{ size: "sm" }}
            />
          )}
          {children}
        </Paper>
      )}
      {(pagerWhenEmpty || count > 0 || pager.pageIndex > 0) && (
        <CursorPager
          noun={noun}
          pageIndex={pager.pageIndex}
          pageSize={pageSize}
          count={count}
          total={showTotal ? query.data?.total : null}
          nextCursor={query.data?.next_cursor}
          onNext={pager.next}
          onPrevious={pager.previous}
          loading={query.isPlaceholderData}
        />
      )}
    </>
  );
}
