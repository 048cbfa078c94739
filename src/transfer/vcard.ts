import ICAL from "ical.js";
import { type ByteCounter, chunksOf, fileError, type ImportSource } from "./source";

// vCard in (3.0 and 4.0, RFC 2426 / RFC 6350) and out (4.0). The file is cut
// into cards line by line as it streams in; each card is then parsed by ical.js,
// which does the unfolding, unescaping (\, \; \n) and parameters. A card that
// cannot be read is rejected on its own; a file with no card at all is an error.

export type VCardProperty = {
  /** Upper-case name without its group: "EMAIL", "X-SOCIALPROFILE". */
  name: string;
  params: Record<string, string | string[]>;
  /** One entry per value: structured values (N, ADR, ORG) are arrays of components. */
  values: unknown[];
};

export type VCardItem = { card: number; line: number; properties: VCardProperty[] } | { card: number; line: number; error: string };

const MAX_CARD_CHARS = 16 * 1024 * 1024;
/** Lines of something else before the first card: more than this and the file is not a vCard. */
const MAX_LEADING_GARBAGE = 100;

const isBegin = (line: string) => /^BEGIN:VCARD\s*$/i.test(line);
const isEnd = (line: string) => /^END:VCARD\s*$/i.test(line);

async function* linesOf(source: ImportSource, counter: ByteCounter): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  let first = true;
  for await (const chunk of chunksOf(source, counter)) {
    let text = rest + decoder.decode(chunk, { stream: true });
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    // A \r at the end of a chunk may be the first half of \r\n: keep it for the next one.
    const carry = text.endsWith("\r") ? "\r" : "";
    const parts = (carry ? text.slice(0, -1) : text).split(/\r\n|\n|\r/);
    rest = (parts.pop() ?? "") + carry;
    yield* parts;
  }
  rest += decoder.decode();
  if (rest.endsWith("\r")) rest = rest.slice(0, -1);
  if (rest) yield rest;
}

function parseCard(text: string): VCardProperty[] {
  const jcard = ICAL.parse(text) as unknown;
  const component = Array.isArray(jcard) && Array.isArray(jcard[0]) ? jcard[0] : jcard;
  const props = (component as [string, Array<[string, Record<string, string | string[]>, string, ...unknown[]]>])[1];
  return props.map(([name, params, type, ...values]) => {
    const { group: _group, ...rest } = params as Record<string, string | string[]> & { group?: string };
    return { name: name.toUpperCase(), params: rest, values: type === "text" ? values.map(unescapeSemicolons) : values };
  });
}

// ical.js unescapes backslash-comma and backslash-n in single text values but
// leaves backslash-semicolon, which is an escape in vCard 3.0 and 4.0 too.
function unescapeSemicolons(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\\;", ";");
  return Array.isArray(value) ? value.map(unescapeSemicolons) : value;
}

const preview = (line: string) => JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line);

/**
 * Streams the cards of a vCard file, numbered from 1 in file order. A run of
 * stray lines between cards counts as one (rejected) item, so the numbers stay
 * those a person would count. Nothing but stray lines: the file is refused.
 */
export async function* readVCards(source: ImportSource, counter: ByteCounter): AsyncGenerator<VCardItem> {
  let lineNo = 0;
  let count = 0;
  let firstLine: { line: number; text: string } | null = null;
  // Until a card begins, stray lines are held back: they may be all there is.
  let held: VCardItem[] | null = [];
  type OpenCard = { card: number; line: number; lines: string[]; size: number };
  // Assigned inside the generator helpers below, so TypeScript must not narrow them to null.
  let card = null as OpenCard | null;
  let stray = null as { card: number; line: number; text: string } | null;

  const notAVCard = () =>
    fileError(
      firstLine?.line ?? 1,
      firstLine
        ? `this is not a vCard file: line ${firstLine.line} is ${preview(firstLine.text)}, where a vCard starts with BEGIN:VCARD`
        : "the file is empty: a vCard file holds cards from BEGIN:VCARD to END:VCARD",
    );
  function* endStray(): Generator<VCardItem> {
    if (!stray) return;
    const item = { card: stray.card, line: stray.line, error: `line ${stray.line}: expected BEGIN:VCARD, found ${preview(stray.text)}` };
    stray = null;
    if (!held) {
      yield item;
      return;
    }
    held.push(item);
    if (held.length > MAX_LEADING_GARBAGE) throw notAVCard();
  }
  function* begin(line: string): Generator<VCardItem> {
    yield* endStray();
    if (held) {
      yield* held;
      held = null;
    }
    count++;
    card = { card: count, line: lineNo, lines: [line], size: line.length };
  }

  for await (const line of linesOf(source, counter)) {
    lineNo++;
    if (!firstLine && line.trim()) firstLine = { line: lineNo, text: line };
    if (card) {
      if (isBegin(line)) {
        // A card that never ended: report it and start the next one here.
        yield { card: card.card, line: card.line, error: `card ${card.card} (line ${card.line}) has no END:VCARD` };
        yield* begin(line);
        continue;
      }
      if (line.trim()) card.lines.push(line);
      card.size += line.length + 1;
      if (card.size > MAX_CARD_CHARS) {
        throw fileError(card.card, `card ${card.card} (line ${card.line}) is larger than 16 MB; is END:VCARD missing?`);
      }
      if (!isEnd(line)) continue;
      const c = card;
      card = null;
      try {
        yield { card: c.card, line: c.line, properties: parseCard(c.lines.join("\r\n")) };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        yield { card: c.card, line: c.line, error: `card ${c.card} (line ${c.line}) cannot be read: ${reason}` };
      }
      continue;
    }
    if (isBegin(line)) yield* begin(line);
    else if (!line.trim()) yield* endStray();
    else if (!stray) {
      count++;
      stray = { card: count, line: lineNo, text: line };
    }
  }
  yield* endStray();
  if (held) throw notAVCard();
  if (card) {
    const c: { card: number; line: number } = card;
    yield { card: c.card, line: c.line, error: `card ${c.card} (line ${c.line}) has no END:VCARD: the file ends inside it` };
  }
}

/** A property's values as plain strings: structured components joined by spaces. */
export function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join(" ");
  if (value === null || value === undefined) return "";
  return String(value).trim();
}

/** Component `i` of a structured value (N, ADR, ORG), its list items joined by spaces. */
export function componentOf(value: unknown, i: number): string {
  if (!Array.isArray(value)) return i === 0 ? textOf(value) : "";
  return textOf(value[i]);
}

// ---------- Writing (vCard 4.0)

type JProp = [string, Record<string, string | string[]>, string, ...unknown[]];

export type VCardContact = {
  uid: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: string[];
  organization: string | null;
  title: string | null;
  notes: string | null;
  city: string | null;
  country: string | null;
  street?: string | null;
  address2?: string | null;
  postal_code?: string | null;
  region?: string | null;
  birth_date?: string | null;
  tags: string[];
  updated_at: Date | string;
};

export type VCardOrganization = { uid: string; name: string; domain: string | null; updated_at: Date | string };

const revOf = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString().replace(/\.\d{3}Z$/, "Z");

function stringifyCard(props: JProp[]): string {
  const text = ICAL.stringify(["vcard", props, []] as unknown as Parameters<typeof ICAL.stringify>[0]);
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}

export function contactVCard(c: VCardContact): string {
  const props: JProp[] = [
    ["version", {}, "text", "4.0"],
    ["uid", {}, "text", c.uid],
    ["fn", {}, "text", c.name],
  ];
  if (c.first_name || c.last_name) props.push(["n", {}, "text", [c.last_name ?? "", c.first_name ?? "", "", "", ""]]);
  for (const [i, e] of c.emails.entries()) props.push(["email", i === 0 && c.emails.length > 1 ? { pref: "1" } : {}, "text", e]);
  for (const p of c.phones) props.push(["tel", {}, "text", p]);
  if (c.organization) props.push(["org", {}, "text", c.organization]);
  if (c.title) props.push(["title", {}, "text", c.title]);
  if (c.city || c.country || c.street || c.postal_code || c.region) {
    props.push([
      "adr",
      {},
      "text",
      ["", c.address2 ?? "", c.street ?? "", c.city ?? "", c.region ?? "", c.postal_code ?? "", c.country ?? ""],
    ]);
  }
  if (c.birth_date) props.push(["bday", {}, "date", c.birth_date]);
  if (c.tags.length) props.push(["categories", {}, "text", ...c.tags]);
  if (c.notes) props.push(["note", {}, "text", c.notes]);
  props.push(["rev", {}, "timestamp", revOf(c.updated_at)]);
  return stringifyCard(props);
}

export function organizationVCard(o: VCardOrganization): string {
  const props: JProp[] = [
    ["version", {}, "text", "4.0"],
    ["kind", {}, "text", "org"],
    ["uid", {}, "text", o.uid],
    ["fn", {}, "text", o.name],
    ["org", {}, "text", o.name],
  ];
  if (o.domain) props.push(["url", {}, "uri", `https://${o.domain}`]);
  props.push(["rev", {}, "timestamp", revOf(o.updated_at)]);
  return stringifyCard(props);
}
