import fc from "fast-check";
import { anyString, tokenSoup } from "./support";

// Generators of contact files: CSV and vCard text built from the formats' own
// pieces (headers, quotes, delimiters, properties, folding) and junk.

const CSV_TOKENS = [
  "Name",
  "Email",
  "E-mail",
  "Phone",
  "Company",
  "Tags",
  "Birthday",
  "id",
  "Lifecycle stage",
  "Owner",
  "Alice",
  "alice@example.com",
  "+49 30 1234567",
  "1990-02-30",
  "=HYPERLINK(1)",
  "'=x",
  "lead",
  '"',
  '""',
  '"a,b"',
  '"never closed',
  ",",
  ";",
  "\t",
  "\r\n",
  "\n",
  "\r",
  "\ufeff",
  "\u0000",
  "😀",
];

const VCARD_TOKENS = [
  "BEGIN:VCARD\r\n",
  "END:VCARD\r\n",
  "VERSION:3.0\r\n",
  "VERSION:4.0\r\n",
  "FN:Alice Example\r\n",
  "N:Example;Alice;;;\r\n",
  "N:;;;;\r\n",
  "EMAIL;TYPE=work:alice@example.com\r\n",
  "EMAIL:not an email\r\n",
  "TEL;TYPE=cell:+49 30 1234567\r\n",
  "ORG:Acme\\, Inc.;Sales\r\n",
  "ADR;TYPE=home:;;Main St 1;Berlin;;10115;Germany\r\n",
  "BDAY:1990-02-30\r\n",
  "BDAY:--0415\r\n",
  "CATEGORIES:a,b\r\n",
  "NOTE:line\\nnext\\;semi\r\n",
  "UID:urn:uuid:1\r\n",
  "item1.X-SOCIALPROFILE;TYPE=twitter:https://x.com/alice\r\n",
  " folded continuation\r\n",
  "PHOTO;ENCODING=b:AAAA\r\n",
  ";;;\r\n",
  ":\r\n",
  "X-;=:\r\n",
  "\r\n",
  "garbage line\r\n",
];

export const csvText = fc.oneof(anyString(120), tokenSoup(CSV_TOKENS, 40, ["", ",", ",", "\r\n", ";"]));
export const vcardText = fc.oneof(anyString(120), tokenSoup(VCARD_TOKENS, 25, [""]));
