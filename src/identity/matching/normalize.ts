// Field normalization shared by the matching engine, the importer and profile linking.
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z0-9-]{2,}$/;
const GMAIL = new Set(["gmail.com", "googlemail.com"]);

/**
 * Canonical email for comparison: trimmed, "mailto:" and <angle brackets> removed,
 * lowercased. For Gmail (gmail.com / googlemail.com) dots and a "+tag" in the local part
 * are dropped and the domain becomes gmail.com, since Gmail delivers all those spellings
 * to one mailbox. Other domains keep their local part as written (lowercased): "+tag"
 * addressing is not universal. Returns null when the text is not an address.
 */
export function normalizeEmail(e: string): string | null {
  if (typeof e !== "string") return null;
  let s = e.trim().toLowerCase();
  if (s.startsWith("mailto:")) s = s.slice(7);
  const lt = s.lastIndexOf("<");
  if (lt >= 0 && s.endsWith(">")) s = s.slice(lt + 1, -1).trim();
  if (!EMAIL_RE.test(s)) return null;
  const at = s.lastIndexOf("@");
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (domain.endsWith(".")) domain = domain.slice(0, -1);
  if (GMAIL.has(domain)) {
    const plus = local.indexOf("+");
    if (plus > 0) local = local.slice(0, plus);
    local = local.replace(/\./g, "");
    domain = "gmail.com";
  }
  if (!local) return null;
  return `${local}@${domain}`;
}

function countryCode(c?: string | null): CountryCode | undefined {
  if (!c) return undefined;
  const s = c.trim().toUpperCase();
  const alias: Record<string, string> = { UK: "GB", "UNITED KINGDOM": "GB", USA: "US", "UNITED STATES": "US", AUSTRALIA: "AU" };
  const code = alias[s] ?? s;
  return /^[A-Z]{2}$/.test(code) ? (code as CountryCode) : undefined;
}

/**
 * E.164 form ("+61412345678") of a phone number written in any usual way, through
 * libphonenumber-js (full metadata). National numbers need `defaultCountry` (ISO 3166
 * alpha-2, e.g. "AU"); "00" / "+" international prefixes work without it. Extensions are
 * dropped. Returns null when the number is not valid for its country.
 */
export function normalizePhone(p: string, defaultCountry?: string): string | null {
  if (typeof p !== "string") return null;
  let s = p.trim();
  if (!s || !/\d/.test(s)) return null;
  if (s.startsWith("00")) s = `+${s.slice(2)}`;
  try {
    const n = parsePhoneNumberFromString(s, countryCode(defaultCountry));
    if (!n?.isValid()) return null;
    return n.number;
  } catch {
    return null;
  }
}

/** Digits only. */
export function digitsOf(s: string): string {
  return s.replace(/\D+/g, "");
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * A birth date as 8 digits "yyyymmdd" when it can be read ("1908-12-09", "19081209",
 * "09/12/1908" (day first unless the first part > 12 cannot be a month), "9 Dec 1908");
 * otherwise the raw digits (8 digits even if not a real date — Febrl typos still compare
 * digit by digit), or "" for nothing usable.
 */
export function normalizeBirthDate(raw: string | null | undefined): string {
  if (!raw) return "";
  const s = String(raw).trim().toLowerCase();
  if (!s) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(s);
  if (m) return `${m[1]}${pad(+m[2])}${pad(+m[3])}`;
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) {
    let d = +m[1];
    let mo = +m[2];
    if (mo > 12 && d <= 12) [d, mo] = [mo, d];
    return `${m[3]}${pad(mo)}${pad(d)}`;
  }
  m = /^(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})$/.exec(s);
  if (m && MONTHS[m[2]]) return `${m[3]}${pad(MONTHS[m[2]])}${pad(+m[1])}`;
  m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m && MONTHS[m[1]]) return `${m[3]}${pad(MONTHS[m[1]])}${pad(+m[2])}`;
  const d = digitsOf(s);
  return d.length >= 6 ? d : "";
}

/** American Soundex (letter + 3 digits) of a lowercase ASCII word; "" when it has no letter. */
export function soundex(s: string): string {
  let first = "";
  let out = "";
  let last = "";
  for (let i = 0; i < s.length && out.length < 3; i++) {
    const c = s[i];
    if (c < "a" || c > "z") continue;
    const code = SOUNDEX[c.charCodeAt(0) - 97];
    if (!first) {
      first = c;
      last = code;
      continue;
    }
    if (code === "0") {
      if (c !== "h" && c !== "w") last = "";
      continue;
    }
    if (code !== last) out += code;
    last = code;
  }
  return first ? `${first + out}000`.slice(0, 4) : "";
}
const SOUNDEX = "01230120022455012623010202";
