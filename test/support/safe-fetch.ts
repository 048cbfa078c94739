import { afterEach } from "vitest";
import { SafeFetchError, safeFetch } from "../../src/shared/safe-fetch";

/** Restores PARLEY_ALLOW_PRIVATE_URLS after each test of the calling file. */
export function restoreAllowPrivateUrlsAfterEach() {
  const saved = process.env.PARLEY_ALLOW_PRIVATE_URLS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    else process.env.PARLEY_ALLOW_PRIVATE_URLS = saved;
  });
}

/** The SafeFetchError a fetch of `url` is refused with; fails if the fetch went through. */
export async function refusal(url: string): Promise<SafeFetchError> {
  try {
    await safeFetch(url, { timeoutMs: 2000 });
  } catch (err) {
    if (err instanceof SafeFetchError) return err;
    throw err;
  }
  throw new Error(`${url} was fetched`);
}
