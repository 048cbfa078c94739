#!/usr/bin/env node
// Parley's command line. Runs the bundle `npm install` built (scripts/build.mjs) while it is newer
// than every source file; otherwise — a fresh edit, a pull, no build yet, or PARLEY_FROM_SOURCE=1 —
// it runs the TypeScript sources through tsx, so a checkout never needs a build step to work.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUNDLE, newestUnder } from "../scripts/build.mjs";

const fresh =
  process.env.PARLEY_FROM_SOURCE !== "1" &&
  existsSync(BUNDLE) &&
  statSync(BUNDLE).mtimeMs > newestUnder(join(import.meta.dirname, "../src"));

if (fresh) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
