#!/usr/bin/env node
// Parley's command line. Runs the TypeScript sources directly through tsx, so
// a fresh clone needs no build step before `npm start`.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
