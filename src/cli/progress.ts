import cliProgress from "cli-progress";

// Long commands (imports, ingest, backups, re-analysis, duplicate scans) show their progress the same
// way: a bar on stderr when it is a terminal, nothing under --json or when stderr is piped.

/** A progress bar with this cli-progress format, or null when nobody is watching a terminal. */
export function progressBar(format: string, opts: { json?: boolean } = {}): cliProgress.SingleBar | null {
  if (opts.json || !process.stderr.isTTY) return null;
  return new cliProgress.SingleBar({ format, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
}
