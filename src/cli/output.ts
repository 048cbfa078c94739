// What every command prints the same way. Kept apart from context.ts (which opens the store) so
// that `parley --help` loads nothing heavy.

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints the error (as {"error": {"message"}} under --json) and exits 1. */
export function fail(message: string, json = false): never {
  if (json) process.stdout.write(`${JSON.stringify({ error: { message } })}\n`);
  else process.stderr.write(`parley: ${message}\n`);
  process.exit(1);
}
