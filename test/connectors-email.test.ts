import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailConnector } from "../src/listen/connectors/email";
import { safeFetch } from "../src/shared/safe-fetch";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";
import { hasDovecot, startDovecot } from "./support/dovecot";

// The email connector against a real IMAP server (Dovecot from Debian).

const USER = "support@acme.test";
const PASSWORD = "imap secret";
let imap: Awaited<ReturnType<typeof startDovecot>>;
let t: TestApp;

const mail = (id: string, subject: string, body: string, extra = "") =>
  `From: Jo Brown <Jo.Brown@example.com>\r\nTo: ${USER}\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

async function append(raw: string) {
  const client = new ImapFlow({ host: "127.0.0.1", port: imap.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await client.connect();
  await client.append("INBOX", raw);
  await client.logout();
}

const ctxFor = (state: Record<string, unknown>, password = PASSWORD) => ({
  config: emailConnector.validateConfig({ host: "127.0.0.1", port: imap.port, secure: false, user: USER }),
  credentials: { password },
  state,
  queries: [],
  fetch: safeFetch,
  now: () => new Date(),
});

beforeAll(async () => {
  process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
  imap = await startDovecot(USER, PASSWORD);
  t = await startTestApp();
});
afterAll(async () => {
  await imap?.stop();
  await t?.close();
  delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
});

describe.runIf(hasDovecot() || process.env.CI)("email over IMAP", () => {
  it("reads new mail after its cursor, parses MIME and threads by References", async () => {
    await append(mail("<q1@example.com>", "Invoice 2231 is wrong", "Hi, I was charged twice for November."));
    const first = await emailConnector.poll(ctxFor({}));
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]).toMatchObject({
      network: "email",
      external_id: "<q1@example.com>",
      subject: "Invoice 2231 is wrong",
      author: { id: "jo.brown@example.com", display_name: "Jo Brown" },
      public: false,
    });
    expect(first.messages[0]?.text).toContain("charged twice");

    await append(
      mail(
        "<q2@example.com>",
        "Re: Invoice 2231 is wrong",
        "Any news?",
        "In-Reply-To: <a1@acme.test>\r\nReferences: <q1@example.com> <a1@acme.test>\r\n",
      ),
    );
    const second = await emailConnector.poll(ctxFor(first.state));
    expect(second.messages.map((m) => m.external_id)).toEqual(["<q2@example.com>"]);
    expect(second.messages[0]?.references).toEqual(["<q1@example.com>", "<a1@acme.test>"]);
    const third = await emailConnector.poll(ctxFor(second.state));
    expect(third.messages).toEqual([]);

    // Through the pipeline, both land in one conversation.
    const owner = await newWorkspace(t);
    const res = await owner.request("POST", "/api/v1/messages:batch", { messages: [...first.messages, ...second.messages] });
    expect(res.json().stored).toBe(2);
    const convs = (await owner.request("GET", "/api/v1/conversations")).json().data;
    expect(convs).toHaveLength(1);
    expect(convs[0].message_count).toBe(2);
  });

  it("says in words when the login or the mailbox is wrong", async () => {
    await expect(emailConnector.poll(ctxFor({}, "wrong password"))).rejects.toThrow(/refused the login/);
    const ok = await emailConnector.test(ctxFor({}));
    expect(ok.ok).toBe(true);
    expect(ok.detail).toMatch(/holds \d+ messages/);
  });

  it("refuses private addresses unless an admin allows them", async () => {
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    try {
      await expect(emailConnector.poll(ctxFor({}))).rejects.toThrow(/private or loopback/);
    } finally {
      process.env.PARLEY_ALLOW_PRIVATE_URLS = "1";
    }
  });
});
