import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ImapFlow } from "imapflow";
import { type ParsedMail, simpleParser } from "mailparser";
import { z } from "zod";
import { htmlToText, type NormalizedMessageInput } from "../../ingest";
import { isPrivateAddress, privateUrlsAllowed } from "../../shared/safe-fetch";
import { parseConfig, pollInterval } from "./config";
import { type Connector, type ConnectorContext, ConnectorError, type PollResult } from "./types";

// A support mailbox over IMAP. The cursor is the mailbox's UIDVALIDITY and the
// highest UID stored: a restart fetches exactly the messages after it. MIME is
// parsed by mailparser; threads follow Message-ID / In-Reply-To / References.

const configSchema = z
  .object({
    host: z.string().trim().min(1, { message: "is the IMAP server's host name" }),
    port: z.number().int().min(1).max(65_535).default(993),
    secure: z.boolean().default(true).describe("TLS from the start (port 993); false for plain IMAP (tests, local relays)"),
    user: z.string().trim().min(1, { message: "is the mailbox's login" }),
    mailbox: z.string().trim().min(1).default("INBOX"),
    /** Only the first N messages of a new channel are read (older mail stays out of the inbox). */
    initial_limit: z.number().int().min(0).max(10_000).default(200),
    batch: z.number().int().min(1).max(1000).default(200),
    poll_interval: pollInterval,
    /** Replies go out through this SMTP server, as `from` (default: user), with credentials.password when it asks. */
    smtp_host: z.string().trim().min(1).optional(),
    smtp_port: z.number().int().min(1).max(65_535).default(587),
    smtp_secure: z.boolean().default(false).describe("TLS from the start (port 465); false upgrades with STARTTLS when offered"),
    from: z.email({ message: "must be the address replies come from" }).optional(),
  })
  .strict();
export type EmailConfig = z.infer<typeof configSchema>;

const MAX_RAW = 64 * 1024;

/**
 * Resolves the IMAP host once and checks every address it has; the connection
 * then goes to the checked address (TLS still verifies the certificate against
 * the host name), so a DNS answer that changes between check and connect
 * (rebinding) cannot lead to a private address.
 */
export async function imapTarget(host: string): Promise<{ address: string; servername: string | undefined }> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    if (isPrivateAddress(address) && !privateUrlsAllowed(bare, address)) {
      throw new ConnectorError(
        "config",
        `Refused to connect to ${host} (${address}): it is a private or loopback address (an admin can allow it with PARLEY_ALLOW_PRIVATE_URLS)`,
      );
    }
  }
  const address = addresses[0];
  if (!address) throw new ConnectorError("unavailable", `The IMAP server ${host} has no address`);
  return { address, servername: isIP(bare) ? undefined : bare };
}

async function connect(ctx: ConnectorContext<EmailConfig>): Promise<ImapFlow> {
  const target = await imapTarget(ctx.config.host);
  const password = ctx.credentials.password;
  if (!password) throw new ConnectorError("config", "The channel has no password: add credentials.password");
  const client = new ImapFlow({
    host: target.address,
    ...(target.servername ? { servername: target.servername } : {}),
    port: ctx.config.port,
    secure: ctx.config.secure,
    auth: { user: ctx.config.user, pass: password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
  });
  try {
    await client.connect();
  } catch (err) {
    const e = err as { authenticationFailed?: boolean; code?: string; message?: string };
    if (e.authenticationFailed) throw new ConnectorError("unauthorized", `The IMAP server refused the login of ${ctx.config.user}`);
    throw new ConnectorError(
      "unavailable",
      `Could not reach the IMAP server ${ctx.config.host}:${ctx.config.port} (${e.code ?? e.message ?? "error"})`,
    );
  }
  return client;
}

const addressOf = (parsed: ParsedMail) => parsed.from?.value[0];

function references(parsed: ParsedMail): string[] {
  const r = parsed.references;
  if (!r) return [];
  return (Array.isArray(r) ? r : r.split(/\s+/)).filter(Boolean);
}

/** One email as a normalized message. */
export function emailToMessage(parsed: ParsedMail, source: Buffer, fallbackId: string): NormalizedMessageInput {
  const from = addressOf(parsed);
  const address = (from?.address ?? "unknown").toLowerCase();
  const html = typeof parsed.html === "string" ? parsed.html : null;
  const text = (parsed.text ?? (html ? htmlToText(html) : "")).trim();
  const refs = references(parsed);
  return {
    network: "email",
    external_id: parsed.messageId ?? fallbackId,
    author: { id: address, handle: address, display_name: from?.name || null },
    subject: parsed.subject ?? null,
    text,
    html,
    created_at: (parsed.date ?? new Date()).toISOString(),
    in_reply_to: parsed.inReplyTo ?? null,
    references: refs.length ? refs : null,
    public: false,
    raw: {
      headers: source
        .subarray(0, Math.min(source.length, MAX_RAW))
        .toString("utf8")
        .split(/\r?\n\r?\n/)[0],
    },
  };
}

type SmtpFailure = Error & { responseCode?: number; code?: string; response?: string };

/** An SMTP refusal (5xx) will be refused again; a 4xx or a lost connection is worth another try. */
function smtpError(err: unknown, host: string): ConnectorError {
  const e = err as SmtpFailure;
  const words = e.response ?? e.message ?? String(err);
  if (typeof e.responseCode === "number" && e.responseCode >= 500)
    return new ConnectorError("bad_response", `The SMTP server ${host} refused the reply: ${words}`);
  return new ConnectorError("unavailable", `The SMTP server ${host} did not take the reply (${words})`);
}

export const emailConnector: Connector<EmailConfig> = {
  network: "email",
  defaultIntervalMs: 60_000,
  validateConfig: (config) => parseConfig(configSchema, config),

  privateReplies: true,

  // Images go as attachments of the mail (at most four, 5 MB each, like the other networks).
  replyAttachments: { max: 4, maxBytes: 5 * 1024 * 1024 },

  replyBlocker: (ctx) =>
    ctx.config.smtp_host ? null : "Replying by email needs the channel's SMTP server (config.smtp_host, smtp_port, smtp_secure).",

  // An answer in the same thread: Re: the subject, In-Reply-To the message answered, References the
  // thread before it and that message. The Message-ID is made from the reply's key, the same on
  // every attempt, so mail clients show a repeated delivery as one message.
  async reply(ctx, target, text, _visibility, attachments = []) {
    const host = ctx.config.smtp_host;
    if (!host) throw new ConnectorError("config", "Replying by email needs config.smtp_host");
    if (!target.authorHandle?.includes("@"))
      throw new ConnectorError("bad_response", "The message answered has no sender address to reply to");
    const smtp = await imapTarget(host);
    const from = ctx.config.from ?? (ctx.config.user.includes("@") ? ctx.config.user : undefined);
    if (!from) throw new ConnectorError("config", "Replying by email needs config.from (the address replies come from)");
    const nodemailer = await import("nodemailer");
    const transport = nodemailer.createTransport({
      host: smtp.address,
      port: ctx.config.smtp_port,
      secure: ctx.config.smtp_secure,
      ...(ctx.credentials.password ? { auth: { user: ctx.config.user, pass: ctx.credentials.password } } : {}),
      ...(smtp.servername ? { tls: { servername: smtp.servername } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    const subject = target.subject ? (/^re:/i.test(target.subject) ? target.subject : `Re: ${target.subject}`) : "Re: your message";
    const messageId = `<parley-reply-${target.idempotencyKey}@${from.split("@")[1]}>`;
    try {
      await transport.sendMail({
        from,
        to: target.authorHandle,
        subject,
        text,
        messageId,
        inReplyTo: target.externalId,
        references: [...target.references.filter((r) => r !== target.externalId), target.externalId],
        attachments: attachments.map((a) => ({ filename: a.filename ?? "image", content: a.bytes, contentType: a.contentType })),
      });
    } catch (err) {
      throw smtpError(err, host);
    } finally {
      transport.close();
    }
    return { externalId: messageId, url: null };
  },

  async test(ctx) {
    const client = await connect(ctx);
    try {
      const status = await client.status(ctx.config.mailbox, { messages: true, unseen: true });
      if (!status) throw new Error("no status");
      return {
        ok: true,
        detail: `Signed in as ${ctx.config.user}; ${ctx.config.mailbox} holds ${status.messages ?? 0} messages (${status.unseen ?? 0} unseen)`,
      };
    } catch {
      throw new ConnectorError("not_found", `The mailbox "${ctx.config.mailbox}" does not exist on ${ctx.config.host}`);
    } finally {
      await client.logout().catch(() => undefined);
    }
  },

  async poll(ctx): Promise<PollResult> {
    const client = await connect(ctx);
    try {
      const lock = await client.getMailboxLock(ctx.config.mailbox).catch(() => {
        throw new ConnectorError("not_found", `The mailbox "${ctx.config.mailbox}" does not exist on ${ctx.config.host}`);
      });
      try {
        const mailbox = client.mailbox;
        if (!mailbox) throw new ConnectorError("bad_response", "The IMAP server opened no mailbox");
        const validity = String(mailbox.uidValidity);
        let lastUid = ctx.state.uidvalidity === validity ? Number(ctx.state.last_uid ?? 0) : 0;
        // A new channel (or a rebuilt mailbox) starts near the end, not with years of mail.
        if (ctx.state.uidvalidity !== validity && mailbox.exists > ctx.config.initial_limit) {
          const uids = (await client.search({ all: true }, { uid: true })) || [];
          lastUid = uids.length > ctx.config.initial_limit ? (uids[uids.length - ctx.config.initial_limit - 1] ?? 0) : 0;
        }
        const messages: NormalizedMessageInput[] = [];
        let maxUid = lastUid;
        let more = false;
        for await (const msg of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
          if (msg.uid <= lastUid || !msg.source) continue; // "n:*" returns the last message even when n is past it
          if (messages.length >= ctx.config.batch) {
            more = true;
            continue;
          }
          const parsed = await simpleParser(msg.source);
          messages.push(emailToMessage(parsed, msg.source, `imap:${validity}:${msg.uid}`));
          maxUid = Math.max(maxUid, msg.uid);
        }
        return { messages, state: { uidvalidity: validity, last_uid: maxUid }, ...(more ? { nextPollMs: 1000 } : {}) };
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
  },
};
