// The layering of Parley's code, checked in CI (`npm run check:layers`).
// docs/architecture.md explains each layer; this file is the rule book.
//
// LAYERS lists src/ folders from the bottom up: a folder may import from its own
// folder and from folders BELOW it, never from one above. A total order also means
// no cycle between folders can exist. A new folder must be placed here.
const LAYERS = [
  "contracts", // Zod schemas, enums, inferred types: shared with the web app; imports nothing of ours
  "shared", // errors, ids, JSON guard, SSRF-safe fetch, signing, pagination: no domain knowledge
  "understand", // language, sentiment, intents: pure functions over text
  "store", // SQL only (Kysely): the one place that talks to the database
  "events", // typed domain events published inside the writer's transaction
  "accounts", // workspaces, users, sessions, API keys, permissions
  "crm", // contacts, organizations, activities, custom fields, lists, segments
  "identity", // profiles on networks, matching, merge/unmerge, duplicates
  "transfer", // CSV/vCard import and export
  "ingest", // the pipeline: normalize, dedupe, understand, resolve, thread, persist, notify
  "listen", // channels, connectors, the poller (they feed ingest)
  "inbox", // conversations and messages: read, update, present, search
  "rules", // rule definitions, the engine, actions, the delivery worker
  "work", // cases, deals, ideas, SLAs
  "audit", // the audit log's reader, backups of the store, subject access exports (audit writes are accounts' audit())
  "knowledge", // the help centre: articles, categories, full-text search, suggestions, helpful votes and deflections
  "engage", // replies: outbound messages delivered through the outbox by the channel's connector
  "community", // the public portal: members, Q&A, the ideas board, the case portal, moderation (posts enter through ingest)
  "team", // working as a team: notes, notifications, presence, canned responses, saved views, bulk
  "reports", // insight: listening and service reports (read-only figures over the modules below)
  "insight", // emerging issues: messages grouped by content as they arrive, bursts, issue cards
  "wiring.ts", // the composition root: subscribes rules to events, provides work to rules
  "server", // HTTP: routes, auth, edge guards
  "cli", // the parley command
];

const folder = (name) => (name.endsWith(".ts") ? `^src/${name.replace(/\./g, "\\.")}$` : `^src/${name}/`);

const upward = LAYERS.slice(0, -1).map((name, i) => ({
  name: `layer-${name.replace(/\.ts$/, "")}`,
  comment: `src/${name} sits below ${LAYERS.slice(i + 1).join(", ")}: it must not import from them`,
  severity: "error",
  from: { path: folder(name) },
  to: { path: LAYERS.slice(i + 1).map(folder) },
}));

// Domain modules are entered through their index.ts (store, shared and contracts are
// libraries of independent files and are imported file by file).
const ENTERED_BY_INDEX = [
  "understand",
  "events",
  "accounts",
  "crm",
  "identity",
  "transfer",
  "ingest",
  "listen",
  "inbox",
  "rules",
  "work",
  "knowledge",
  "engage",
  "community",
  "team",
  "audit",
  "reports",
  "insight",
];
const throughIndex = ENTERED_BY_INDEX.map((name) => ({
  name: `enter-${name}-by-index`,
  comment: `import src/${name} through src/${name}/index.ts from outside the folder`,
  severity: "error",
  // Dev tooling (scripts/, the bench commands) may reach inside a module.
  from: { path: "^(src|bin)/", pathNot: [`^src/${name}/`, "^src/cli/bench"] },
  to: { path: `^src/${name}/`, pathNot: `^src/${name}/index\\.ts$` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycles between files",
      severity: "error",
      from: { path: "^(src|web/src)/" },
      to: { circular: true },
    },
    {
      name: "routes-not-store",
      comment: "HTTP routes call domain modules; only domain modules talk to the store",
      severity: "error",
      from: { path: "^src/server/routes/" },
      to: { path: "^src/store/" },
    },
    {
      name: "ingest-not-rules",
      comment: "the pipeline publishes events; rules subscribe to them",
      severity: "error",
      from: { path: "^src/(ingest|listen|inbox)/" },
      to: { path: "^src/rules/" },
    },
    {
      name: "rules-and-work-apart",
      comment: "rules act on work through the interface work provides at start-up (src/wiring.ts)",
      severity: "error",
      from: { path: "^src/(rules|work)/" },
      to: { path: "^src/(rules|work)/", pathNot: "^src/$1/" },
    },
    {
      name: "web-only-contracts",
      comment: "the web app shares the API's contracts, nothing else of the server",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: "^src/", pathNot: "^src/contracts/" },
    },
    ...upward,
    ...throughIndex,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/|\\.test\\.tsx?$|^test/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
  },
};
