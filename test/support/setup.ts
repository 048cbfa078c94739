import { beforeAll } from "vitest";

// Tests call domain functions directly, not only through the app: attach the event
// subscribers and the work provider as every entry point does (src/wiring.ts).
// Imported in a hook, after the test file's own imports: a static import here would
// load the whole module graph before the test file's vi.mock() calls apply (the
// IMAP test mocks node:dns/promises, which shared/safe-fetch imports).
beforeAll(async () => {
  const { wire } = await import("../../src/wiring");
  wire();
});
