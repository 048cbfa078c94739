import { useCallback } from "react";
import { useSearchParams } from "react-router-dom";

/**
 * The URL's query as a page's filter state: `setParam("q", "jo")` sets one key
 * (an empty value removes it) without adding a history entry.
 */
export function useSearchParam() {
  const [params, setParams] = useSearchParams();
  const setParam = useCallback(
    (key: string, value: string | null | undefined) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { params, setParams, setParam };
}
