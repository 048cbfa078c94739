import { Readable } from "node:stream";
import { type Options, parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { type ByteCounter, chunksOf, fileError, type ImportSource, unguardCell } from "./source";

// CSV in (RFC 4180, as spreadsheets write it) and the cell-level helpers of CSV out.

export type CsvRecord = {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: string[];
};

export type CsvTable = { header: string[]; rows: AsyncGenerator<CsvRecord> };

/** A value larger than this is a runaway quote, not a cell. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;

const looksLikeData = (cell: string) =>
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(cell) || /^[+-]?[\d\s().,/-]{4,}$/.test(cell) || /^\d{4}-\d{2}-\d{2}/.test(cell);

/**
 * The delimiter of the header line: the comma, or the semicolon and tab that
 * spreadsheets in many locales write instead. Quoted text does not count.
 */
export function sniffDelimiter(firstLine: string): string {
  const counts = new Map([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** The source's first chunk (to sniff the delimiter), and a stream of all of it. */
async function peek(source: ImportSource, counter: ByteCounter): Promise<{ head: string; stream: Readable }> {
  const chunks = chunksOf(source, counter);
  const first = await chunks.next();
  const head = first.done ? "" : first.value.subarray(0, 64 * 1024).toString("utf8");
  async function* all() {
    if (!first.done) yield first.value;
    yield* chunks;
  }
  return { head, stream: Readable.from(all(), { objectMode: false }) };
}

/**
 * Reads a CSV file: a header row, then records. Structural problems (a quote
 * never closed, a row with more cells than the header, no header) throw a
 * whole-file validation error naming the row and line. Rows with fewer cells
 * than the header are read with the missing cells empty, as spreadsheets do.
 */
export async function readCsv(source: ImportSource, counter: ByteCounter): Promise<CsvTable> {
  let lastLine = 0;
  const { head, stream } = await peek(source, counter);
  const delimiter = sniffDelimiter(head.split(/\r?\n/, 1)[0] ?? "");
  const options: Options<unknown, string[]> = {
    bom: true,
    delimiter,
    relax_quotes: true,
    relax_column_count_less: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record, ctx) => {
      const startLine = lastLine + 1;
      lastLine = ctx.lines;
      return { row: ctx.records, line: startLine, cells: record as string[] };
    },
  };
  const parser = stream.pipe(parse(options as Options));
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord & { line: number }>;

  const translate = (err: unknown): unknown => {
    const e = err as { code?: string; records?: number; lines?: number; message?: string };
    if (!e || typeof e.code !== "string" || !e.code.startsWith("CSV_")) return err;
    const row = (e.records ?? 0) + 1;
    const line = lastLine + 1;
    switch (e.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return fileError(row, `row ${row} (line ${line}): a quoted value is never closed; the file ends inside "quotes"`);
      case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
        const m = /expect (\d+), got (\d+)/.exec(e.message ?? "");
        const counts = m ? `${m[2]} cells but the header has ${m[1]} columns` : "more cells than the header has columns";
        return fileError(
          row,
          `row ${row} (line ${line}): the row has ${counts}; a value containing a ${delimiterName(delimiter)} must be in "quotes"`,
        );
      }
      case "CSV_MAX_RECORD_SIZE":
        return fileError(row, `row ${row} (line ${line}): a value is larger than 8 MB; probably a quote that is never closed`);
      default:
        return fileError(row, `row ${row} (line ${line}): the file is not valid CSV: ${e.message}`);
    }
  };

  let first: IteratorResult<CsvRecord & { line: number }>;
  try {
    first = await iterator.next();
  } catch (err) {
    throw translate(err);
  }
  if (first.done) throw fileError(1, "the file is empty: a CSV file needs a header row naming its columns");
  const header = first.value.cells.map((c, i) => c.trim() || `column ${i + 1}`);
  if (first.value.cells.every((c) => !c.trim())) throw fileError(1, "row 1 (line 1): the header row is empty");
  const dataLike = first.value.cells.find((c) => looksLikeData(c.trim()));
  if (dataLike) {
    throw fileError(
      1,
      `row 1 (line 1): the first row must be a header naming the columns (like "Name,Email"), but "${dataLike.trim()}" looks like a value`,
    );
  }
  const width = header.length;

  async function* rows(): AsyncGenerator<CsvRecord> {
    for (;;) {
      let next: IteratorResult<CsvRecord & { line: number }>;
      try {
        next = await iterator.next();
      } catch (err) {
        throw translate(err);
      }
      if (next.done) return;
      const cells = next.value.cells;
      if (cells.length > width) {
        throw fileError(
          next.value.row,
          `row ${next.value.row} (line ${next.value.line}): the row has ${cells.length} cells but the header has ${width} columns; a value containing a ${delimiterName(delimiter)} must be in "quotes"`,
        );
      }
      yield { row: next.value.row, cells: cells.map((c) => unguardCell(c.trim())) };
    }
  }
  return { header, rows: rows() };
}

const delimiterName = (d: string) => (d === "," ? "comma" : d === ";" ? "semicolon" : "tab");

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR) as a
 * formula, which a hostile name like `=HYPERLINK(...)` would exploit; such
 * cells get a leading ' (OWASP's advice). Plain numbers like -12.5 are left
 * alone. The importer drops that ' again, so exports round-trip.
 */
export function guardFormula(value: string): string {
  if (!value || !"=+-@\t\r".includes(value[0] as string)) return value;
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return `'${value}`;
}

/** Rows as RFC 4180 CSV text (CRLF line ends, quotes only where needed), formula-guarded. */
export function csvLines(rows: string[][]): string {
  return stringify(
    rows.map((cells) => cells.map(guardFormula)),
    { record_delimiter: "\r\n" },
  );
}
