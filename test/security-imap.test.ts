// Issue 12 item 7: the IMAP connector connects to the address it checked, not
// to the name again (a second DNS answer could point somewhere private). The
// name below exists only in this test's resolver: a connector that looked it up
// again when connecting would not find the server.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { emailConnector, imapTarget } from "../src/listen/connectors/email";
import { safeFetch } from "../src/shared/safe-fetch";
import { hasDovecot, startDovecot } from "./support/dovecot";

const answers = vi.hoisted(() => new Map<string, string[]>());
vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string, options?: object) => {
    const fake = answers.get(host);
    if (!fake) return real.lookup(host, options as never);
    // Each lookup gets the next answer: the first is checked, later ones are the rebinding attack.
    const address = fake.length > 1 ? (fake.shift() as string) : (fake[0] as string);
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  return { ...real, default: { ...real, lookup }, lookup };
});

const USER = "support@acme.test";
const PASSWORD = "imap secret";
let imap: Awaited<ReturnType<typeof startDovecot>> | undefined;
const saved = process.env.PARLEY_ALLOW_PRIVATE_URLS;

beforeAll(async () => {
  if (hasDovecot()) imap = await startDovecot(USER, PASSWORD);
});
afterAll(async () => {
  await imap?.stop();
  if (saved === undefined) delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
  else process.env.PARLEY_ALLOW_PRIVATE_URLS = saved;
});

const ctxFor = (host: string) => ({
  config: emailConnector.validateConfig({ host, port: imap?.port ?? 993, secure: false, user: USER }),
  credentials: { password: PASSWORD },
  state: {},
  queries: [],
  fetch: safeFetch,
  now: () => new Date(),
});

describe("IMAP connector and DNS", () => {
  it("keeps the host name for TLS and connects to the checked address", async () => {
    answers.set("mail.example.net", ["93.184.216.34", "127.0.0.1"]);
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    expect(await imapTarget("mail.example.net")).toEqual({ address: "93.184.216.34", servername: "mail.example.net" });
    expect(await imapTarget("93.184.216.34")).toEqual({ address: "93.184.216.34", servername: undefined });
  });

  it("refuses a name whose address is private, in any spelling", async () => {
    delete process.env.PARLEY_ALLOW_PRIVATE_URLS;
    for (const address of ["127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::"]) {
      answers.set("evil.example.net", [address]);
      await expect(imapTarget("evil.example.net"), address).rejects.toThrow(/private or loopback/);
    }
    await expect(imapTarget("[::ffff:127.0.0.1]")).rejects.toThrow(/private or loopback/);
  });

  it.runIf(hasDovecot() || process.env.CI)("reads the mailbox through the checked address when the name resolves only once", async () => {
    // The admin allows this one private address (the test's Dovecot); the name resolves only here.
    process.env.PARLEY_ALLOW_PRIVATE_URLS = "127.0.0.1";
    answers.set("imap.only-in-this-test.invalid", ["127.0.0.1"]);
    const result = await emailConnector.test(ctxFor("imap.only-in-this-test.invalid"));
    expect(result.ok, result.detail).toBe(true);
    expect(result.detail).toMatch(/holds \d+ messages/);
  });
});
