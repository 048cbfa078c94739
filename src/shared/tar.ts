// A minimal POSIX tar (ustar) writer and reader for a handful of regular files held
// in memory: Parley's backup file is a plain tar, so `tar -tf backup.parley` lists it.

const BLOCK = 512;

export type TarEntry = { name: string; data: Uint8Array };

function writeString(header: Uint8Array, offset: number, length: number, value: string) {
  header.set(new TextEncoder().encode(value).subarray(0, length), offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number) {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function entryHeader(name: string, size: number, mtime: number): Uint8Array {
  if (new TextEncoder().encode(name).length > 100) throw new Error(`tar: name too long: ${name}`);
  const header = new Uint8Array(BLOCK);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, Math.floor(mtime / 1000));
  header.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  header[156] = 0x30; // regular file
  writeString(header, 257, 6, "ustar\0");
  writeString(header, 263, 2, "00");
  const sum = header.reduce((a, b) => a + b, 0);
  writeString(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The tar file's parts in order (headers, contents, padding, end blocks), to write one after another. */
export function tarParts(entries: TarEntry[], mtime = Date.now()): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(entryHeader(e.name, e.data.length, mtime), e.data);
    const pad = padding(e.data.length);
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return parts;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end === -1 ? slice : slice.subarray(0, end));
}

/**
 * The regular files of a tar, or null when the bytes are not a tar (wrong checksum,
 * truncated). Entries are views into `bytes`, not copies.
 */
export function readTar(bytes: Uint8Array): TarEntry[] | null {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    const stored = Number.parseInt(readString(header, 148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    if (stored !== sum) return null;
    const size = Number.parseInt(readString(header, 124, 12).trim() || "0", 8);
    const start = offset + BLOCK;
    if (!Number.isFinite(size) || start + size > bytes.length) return null;
    const type = header[156];
    if (type === 0x30 || type === 0) entries.push({ name: readString(header, 0, 100), data: bytes.subarray(start, start + size) });
    offset = start + size + padding(size);
  }
  return entries.length ? entries : null;
}
