import { unzipSync, type Zippable, zipSync } from "fflate";

// ZIP archives of a handful of files held in memory (a subject access export), written and
// read with fflate.

export type ZipEntry = { name: string; data: Uint8Array };

/** The files as one ZIP archive (deflated; UTF-8 names). */
export function zip(entries: ZipEntry[], now = new Date()): Buffer {
  const files: Zippable = {};
  for (const e of entries) files[e.name] = [e.data, { mtime: now }];
  return Buffer.from(zipSync(files, { level: 6 }));
}

/** The files of a ZIP archive, in the archive's order. */
export function unzip(archive: Uint8Array): ZipEntry[] {
  return Object.entries(unzipSync(archive)).map(([name, data]) => ({ name, data }));
}
