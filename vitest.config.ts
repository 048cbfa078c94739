import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    // the composition root (src/wiring.ts), as the server and the CLI run it
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are heavy; two workers match the two cores here.
    maxWorkers: 2,
  },
});
