import { defineConfig } from "vitest/config";

// The browser suite: the built web app, the real server, headless Chromium.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One server and one browser at a time keeps the machine calm.
    fileParallelism: false,
  },
});
