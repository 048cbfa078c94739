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

/** Text written by people or strangers, made one terminal line: control characters and line breaks become spaces. */
export function terminalLine(text: string, max = Number.POSITIVE_INFINITY): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").slice(0, max);
}
