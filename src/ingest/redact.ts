import { findPhoneNumbersInText } from "libphonenumber-js";
import type { Candidate } from "./batch";

// PII redaction (issue 13), per workspace setting, before anything is analyzed or stored:
// email addresses, phone numbers (libphonenumber-js: international numbers anywhere, national
// ones in the North American plan) and payment card numbers (13–19 digits that pass the Luhn
// check) in a message's text, subject and HTML become [email], [phone] and [card]. The source
// payload (raw) is not kept for a redacting workspace: it holds the words unredacted.

export type RedactionSettings = { emails: boolean; phones: boolean; cards: boolean };

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function redactPhones(text: string): string {
  let out = text;
  // from the end, so earlier offsets stay right
  for (const found of findPhoneNumbersInText(text, "US").reverse())
    out = `${out.slice(0, found.startsAt)}[phone]${out.slice(found.endsAt)}`;
  return out;
}

export function redactText(text: string, s: RedactionSettings): string {
  let out = text;
  if (s.cards) out = out.replace(CARD_CANDIDATE, (m) => (luhn(m.replace(/\D/g, "")) ? "[card]" : m));
  if (s.emails) out = out.replace(EMAIL, "[email]");
  if (s.phones) out = redactPhones(out);
  return out;
}

export const redactsAnything = (s: RedactionSettings | null): s is RedactionSettings => Boolean(s && (s.emails || s.phones || s.cards));

/** Redacts the batch's messages in place (text, subject, HTML) and drops their source payloads. */
export function redactBatch(group: Candidate[], s: RedactionSettings | null) {
  if (!redactsAnything(s)) return;
  for (const c of group) {
    c.text = redactText(c.text, s);
    c.msg.text = redactText(c.msg.text, s);
    if (c.msg.subject) c.msg.subject = redactText(c.msg.subject, s);
    if (c.msg.html) c.msg.html = redactText(c.msg.html, s);
    c.msg.raw = undefined;
  }
}
