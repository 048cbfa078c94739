#!/usr/bin/env node
// Builds what a user runs, once, at install (npm's `prepare`) instead of on every start:
//  - dist/bin/parley.mjs: the CLI and server as one ES module (npm packages stay imports), so
//    `parley …` loads plain JavaScript instead of compiling TypeScript through tsx on each run;
//  - web/dist: the browser app (vite), so the first `npm start` does not build it;
//  - node_modules/.cache/parley/store-*.tar.gz: a store with every migration applied, so a new data
//    dir (and each test's in-memory store) is loaded from it instead of running initdb and every
//    migration (src/store/template.ts, which also makes it when it is missing or stale).
// bin/parley.js runs the bundle only while it is newer than every file under src/; after an edit
// it runs the sources through tsx, so a stale bundle is never used. `--check` prints what is stale.
// The bundle sits two folders below the root like the sources (src/<area>/x.ts), so the code's
// `resolve(import.meta.dirname, "../..")` still names the repository root.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE = join(ROOT, "dist/bin/parley.mjs");

/** The newest modification time (ms) of any file under dir, 0 when there is none. */
export function newestUnder(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const mtime = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const stale = (output, ...inputs) => inputs.some((input) => newestUnder(input) >= mtime(output));

async function buildCli() {
  const { build } = await import("esbuild");
  const dir = dirname(BUNDLE);
  // Built beside and swapped into place: a `parley` started meanwhile sees the old files or the new ones.
  const partial = `${dir}.${process.pid}.tmp`;
  const old = `${dir}.${process.pid}.old`;
  rmSync(partial, { recursive: true, force: true });
  await build({
    entryPoints: { parley: join(ROOT, "src/cli/main.ts") },
    outdir: partial,
    // Each command's module is its own chunk (src/cli/commands.ts imports them on demand), so
    // `parley --help` or `parley classify` load only what they use.
    splitting: true,
    chunkNames: "[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    legalComments: "none",
  });
  mkdirSync(dirname(dir), { recursive: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(partial, dir);
  rmSync(old, { recursive: true, force: true });
}

async function buildWeb() {
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
}

/** src/store/template.ts, through tsx (a dependency: bin/parley.js runs the sources with it too). */
async function templateModule() {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(pathToFileURL(join(ROOT, "src/store/template.ts")).href, import.meta.url);
}

async function buildStoreTemplate() {
  const { makeStoreTemplate } = await templateModule();
  try {
    await makeStoreTemplate();
  } catch (err) {
    // Not worth failing an install for: the first new store makes it, or is created as before.
    console.warn(`could not make the store template (${err instanceof Error ? err.message : err}); new stores will make it`);
  }
}

async function main() {
  const check = process.argv.includes("--check");
  const force = process.argv.includes("--force");
  const jobs = [
    { name: "CLI and server bundle (dist/bin/parley.mjs)", stale: stale(BUNDLE, join(ROOT, "src")), run: buildCli },
    {
      name: "web app (web/dist)",
      stale: stale(join(ROOT, "web/dist/index.html"), join(ROOT, "web/src"), join(ROOT, "src/contracts")),
      run: buildWeb,
    },
    {
      name: "pre-migrated store template (node_modules/.cache/parley)",
      // Asked only when its turn comes: the key is PGlite's version and the migrations' digest.
      stale: async () => (await templateModule()).findStoreTemplate().path === null,
      run: buildStoreTemplate,
    },
  ];
  for (const job of jobs) {
    if (typeof job.stale === "function") job.stale = await job.stale();
    if (check) {
      console.log(`${job.stale ? "stale" : "fresh"}: ${job.name}`);
      continue;
    }
    if (!job.stale && !force) {
      console.log(`up to date: ${job.name}`);
      continue;
    }
    const started = Date.now();
    process.stdout.write(`building ${job.name}… `);
    await job.run();
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
