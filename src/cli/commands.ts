import type { Command } from "commander";

// The top-level commands, and the module that defines each. `parley <command>` loads only that
// command's module (and the domain it needs), so `parley --help` or `parley classify` do not
// load the server, the store and every connector first. The names and descriptions here are what
// the top-level help lists; test/cli-commands.test.ts checks they match what the modules register.
// A new command: a register function in its own module, and its entry here.

type Register = (program: Command) => void;
export type CommandEntry = {
  name: string;
  description: string;
  load: () => Promise<Register[]>;
  /** False for commands that never touch the store (their run needs no event subscribers). */
  wired?: false;
};

const admin = async () => [(await import("./admin")).registerAdminCommands];
const transfer = async () => [(await import("./transfer")).registerTransferCommands];
const identity = async () => [(await import("./identity")).registerIdentityCommands];
const backup = async () => [(await import("./backup")).registerBackupCommands];

export const COMMANDS: CommandEntry[] = [
  { name: "start", description: "Run Parley: web app and API (embedded store in ./.parley unless DATABASE_URL is set)", load: admin },
  { name: "migrate", description: "Apply pending database migrations", load: admin },
  { name: "user", description: "Manage users", load: admin },
  { name: "apikey", description: "Manage API keys", load: admin },
  {
    name: "bench",
    description: "Measure Parley's speed (prints figures; asserts nothing)",
    load: async () => [(await import("./bench")).registerBenchCommands, (await import("./understand")).registerUnderstandCommands],
  },
  {
    name: "import",
    description: "Import contacts or organizations from a CSV or vCard file (FILE - reads standard input)",
    load: transfer,
  },
  {
    name: "export",
    description: "Export contacts or organizations as CSV or vCard 4.0 (to standard output unless --out)",
    load: transfer,
  },
  {
    name: "duplicates",
    description: "Find likely duplicate contacts (and refresh the review queue); --json prints one JSON line per pair",
    load: identity,
  },
  {
    name: "merge",
    description: "Merge contact B into contact A (ids or external ids); emails, phones, tags are unioned, everything of B moves to A",
    load: identity,
  },
  {
    name: "unmerge",
    description: "Undo a merge: both contacts and every moved record come back exactly as before",
    load: identity,
  },
  {
    name: "classify",
    description: 'Analyze JSON lines {"id", "text"} from stdin; writes one JSON line per input, in order',
    load: async () => [(await import("./understand")).registerUnderstandCommands],
    wired: false,
  },
  {
    name: "ingest",
    description: "Ingest messages from a file: JSONL (normalized), CSV, the Customer Support on Twitter CSV (twcs), or ActivityStreams 2.0",
    load: async () => [(await import("./listen")).registerListenCommands],
  },
  {
    name: "reanalyze",
    description: "Re-analyze stored messages with the current model (those analyzed by another model version, or all with --force)",
    load: async () => [(await import("./reanalyze")).registerReanalyzeCommand],
  },
  {
    name: "rules",
    description: "Automation rules: export and import as JSON",
    load: async () => [(await import("./rules")).registerRulesCommands],
  },
  {
    name: "report",
    description:
      "Print a report (listening, service, product, sales or engagement) for a date range: a table, --json for every figure, --csv for the main table",
    load: async () => [(await import("./report")).registerReportCommands],
  },
  {
    name: "backup",
    description: "Back up the embedded store (every workspace) to FILE; through the running server when one owns the data dir",
    load: backup,
  },
  {
    name: "restore",
    description: "Restore the embedded store from a backup FILE into the data dir ($PARLEY_DATA_DIR or ./.parley)",
    load: backup,
  },
  {
    name: "kb",
    description: "The help centre: import articles from a folder of Markdown files (parley kb import DIR)",
    load: async () => [(await import("./knowledge")).registerKnowledgeCommands],
  },
  {
    name: "privacy",
    description: "Privacy requests: export or erase everything held about a person",
    load: async () => [(await import("./privacy")).registerPrivacyCommands],
  },
];

/** The command `argv` asks for (`parley help X` asks about X), when it is one of COMMANDS. */
export function requestedCommand(argv: string[]): CommandEntry | undefined {
  const [first, second] = argv.slice(2);
  const name = first === "help" ? second : first;
  return COMMANDS.find((c) => c.name === name);
}

/** Registers every command for real (the test that checks this table, and shell completion if ever). */
export async function registerAll(program: Command) {
  const seen = new Set<Register>();
  for (const entry of COMMANDS) {
    for (const register of await entry.load()) {
      if (seen.has(register)) continue;
      seen.add(register);
      register(program);
    }
  }
}
