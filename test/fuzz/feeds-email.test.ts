import fc from "fast-check";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { emailToMessage } from "../../src/listen/connectors/email";
import { parseFeed } from "../../src/listen/connectors/rss";
import { announceSeed, anyString, fuzzParams, tokenSoup, withinTime } from "./support";

// Feeds and mail come from servers Parley does not control: any bytes must
// parse to entries or be refused (null, a skipped entry), never throw or hang.

announceSeed("feeds-email");

const XML_TOKENS = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<rss version="2.0">',
  "</rss>",
  "<channel>",
  "</channel>",
  "<item>",
  "</item>",
  '<feed xmlns="http://www.w3.org/2005/Atom">',
  "</feed>",
  "<entry>",
  "</entry>",
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
  "</rdf:RDF>",
  "<title>",
  "</title>",
  "<link>",
  "</link>",
  '<link href="/post/1" rel="alternate"/>',
  '<link href="::not a url"/>',
  "<guid>",
  "</guid>",
  "<id>",
  "</id>",
  "tag:example.com,2026:1",
  "<description>",
  "</description>",
  "<content:encoded>",
  "</content:encoded>",
  "<summary>",
  "</summary>",
  "<content type='html'>",
  "</content>",
  "<![CDATA[",
  "]]>",
  "<p>",
  "<br>",
  "<pubDate>",
  "</pubDate>",
  "Tue, 24 Nov 2026 10:00:00 +0000 (UTC)",
  "<published>",
  "</published>",
  "<author>",
  "</author>",
  "<name>",
  "</name>",
  "<uri>",
  "</uri>",
  '<thr:in-reply-to ref="1"/>',
  "<dc:creator>",
  "</dc:creator>",
  "&amp;",
  "&lt;",
  "&#0;",
  "&#xD800;",
  "&unknown;",
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
  "&a;",
  "<!--",
  "-->",
  "text",
  "https://example.com/a",
];

const EMAIL_TOKENS = [
  "From: Alice <alice@example.com>\r\n",
  "From: \r\n",
  "From: <>\r\n",
  "From: =?utf-8?B?w6lsw6hu?= <x@y>\r\n",
  "To: support@acme.example\r\n",
  "Subject: Refund\r\n",
  "Subject: =?utf-8?Q?caf=C3=A9?=\r\n",
  "Subject: =?bogus?X?zz?=\r\n",
  "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n",
  "Date: not a date\r\n",
  "Date: Tue, 99 Foo 99999 99:99:99 +9999\r\n",
  "Message-ID: <m1@example.com>\r\n",
  "Message-ID: \r\n",
  "In-Reply-To: <m0@example.com>\r\n",
  "References: <a@x> <b@x>\r\n",
  "MIME-Version: 1.0\r\n",
  'Content-Type: multipart/alternative; boundary="b"\r\n',
  "Content-Type: text/html; charset=utf-8\r\n",
  "Content-Type: text/plain; charset=x-unknown\r\n",
  "Content-Transfer-Encoding: base64\r\n",
  "Content-Transfer-Encoding: quoted-printable\r\n",
  "\r\n",
  "--b\r\n",
  "--b--\r\n",
  "<p>Hello</p>",
  "SGVsbG8=",
  "=C3=A9=\r\n",
  "Hello, my order is late.\r\n",
];

describe("fuzz: RSS/Atom feeds", () => {
  it("any document parses to a feed or null; every entry has an id", () => {
    fc.assert(
      fc.property(fc.oneof(anyString(200), tokenSoup(XML_TOKENS, 40, ["", "", "\n", " "])), (xml) => {
        const feed = parseFeed(xml, "https://blog.example/feed.xml");
        if (feed === null) return;
        expect(Array.isArray(feed.entries)).toBe(true);
        for (const e of feed.entries) expect(typeof e.id).toBe("string");
      }),
      fuzzParams(1500),
    );
  });

  it("a feed of many unclosed body tags does not hang the parser (it took quadratic time)", async () => {
    const xml = `<rss><channel><item><guid>1</guid>${"<description>x<br>".repeat(50_000)}</item></channel></rss>`;
    const feed = await withinTime(
      async () => parseFeed(xml, "https://blog.example/feed.xml"),
      "parseFeed on 50,000 unclosed <description>",
    );
    // 50,000 open tags nest deeper than the XML parser allows: the document is not read as a feed.
    expect(feed).toBeNull();
    const fine = `<rss><channel><item><guid>1</guid><description>a<br>b</description></item></channel></rss>`;
    expect(parseFeed(fine, "https://blog.example/feed.xml")?.entries[0]?.html).toBe("a<br>b");
  });
});

describe("fuzz: email (MIME) to normalized message", () => {
  it("any message parses to a candidate the schema can judge, without throwing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyString(200), tokenSoup(EMAIL_TOKENS, 20, [""])), async (raw) => {
        const source = Buffer.from(raw, "utf8");
        const parsed = await withinTime(simpleParser(source), "simpleParser");
        const message = emailToMessage(parsed, source, "imap:1:1");
        normalizedMessageSchema.safeParse(message);
      }),
      fuzzParams(400),
    );
  });

  it("an unreadable Date header does not crash the message", async () => {
    const source = Buffer.from("From: a@example.com\r\nDate: Tue, 99 Foo 99999 99:99:99 +9999\r\nSubject: x\r\n\r\nbody\r\n");
    const message = emailToMessage(await simpleParser(source), source, "imap:1:2");
    expect(normalizedMessageSchema.safeParse(message).success).toBe(true);
  });
});
