import { createTar, parseTar } from "nanotar";

// Tar archives of a handful of regular files held in memory (a backup file is a plain tar, so
// `tar -tf backup.parley` lists it), written and read with nanotar.

export type TarEntry = { name: string; data: Uint8Array };

const BLOCK = 512;

/** The tar file's parts in order, to write one after another. */
export function tarParts(entries: TarEntry[], mtime = Date.now()): Uint8Array[] {
  return [createTar(entries.map((e) => ({ name: e.name, data: e.data, attrs: { mtime, mode: "644", uid: 0, gid: 0 } })))];
}

/** Whether a 512-byte tar header's checksum holds (the sum of its bytes, the checksum field read as spaces). */
function headerChecksumHolds(header: Uint8Array): boolean {
  const field = new TextDecoder()
    .decode(header.subarray(148, 156))
    .replace(/[\0 ]+$/g, "")
    .trim();
  const stored = Number.parseInt(field, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return stored === sum;
}

/**
 * The regular files of a tar, or null when the bytes are not a tar (the first header's
 * checksum is wrong) or it is cut short.
 */
export function readTar(bytes: Uint8Array): TarEntry[] | null {
  if (bytes.length < BLOCK || !headerChecksumHolds(bytes.subarray(0, BLOCK))) return null;
  try {
    const files = parseTar(bytes);
    const entries: TarEntry[] = [];
    for (const f of files) {
      if (f.type !== "file") continue;
      // a file cut short: the archive promised more bytes than it holds
      if (!f.data || f.data.length !== f.size) return null;
      entries.push({ name: f.name, data: f.data });
    }
    return entries.length ? entries : null;
  } catch {
    return null;
  }
}
