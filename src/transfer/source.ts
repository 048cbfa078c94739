import { AppError } from "../shared/errors";

// Where an import reads from: a string (an API body), a Buffer, or a stream of
// chunks (a file, stdin). Readers pull chunks one at a time, so a large file is
// never held in memory whole.

export type ImportSource = string | Buffer | AsyncIterable<string | Buffer | Uint8Array>;

export type ByteCounter = { bytes: number };

/** The source as Buffer chunks, counting the bytes read so far (for progress). */
export async function* chunksOf(source: ImportSource, counter: ByteCounter): AsyncGenerator<Buffer> {
  if (typeof source === "string" || Buffer.isBuffer(source)) {
    const buf = typeof source === "string" ? Buffer.from(source, "utf8") : source;
    // Slices keep progress moving on large bodies without copying them.
    const step = 1 << 20;
    for (let i = 0; i < buf.length; i += step) {
      const chunk = buf.subarray(i, i + step);
      counter.bytes += chunk.length;
      yield chunk;
    }
    return;
  }
  for await (const chunk of source) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    counter.bytes += buf.length;
    yield buf;
  }
}

/** A problem with the file as a whole: nothing is imported. */
export function fileError(row: number | null, message: string): AppError {
  return new AppError("validation_error", message, [{ ...(row !== null ? { row } : {}), message }]);
}

/** Cells written by Parley's export start with ' when they would otherwise be read as a formula. */
export function unguardCell(value: string): string {
  return value.length > 1 && value[0] === "'" && "=+-@\t\r".includes(value[1] as string) ? value.slice(1) : value;
}
