// Email, one more delivery channel of the outbox: clinic enquirers from the
// website have no chat account, so what the clinic writes to them goes out
// by SMTP (nodemailer). Posts only; an email can't be edited or taken back.
// Retries, back-off and pacing are the dispatcher's, as for any platform:
// this adapter only says which failures are worth retrying.
import { createHash } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { type Adapter, DeliveryError } from "../../bot/adapter.ts";
import type { Config } from "../../bot/config.ts";
import type { Delivery } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { unesc } from "../../bot/markup.ts";
import { AdapterSetupError } from "../index.ts";

export interface SmtpSettings {
  host: string;
  port: number;
  tls: "starttls" | "tls" | "none";
  user?: string;
  password?: string;
  from: string;
}

const DEFAULT_PORT = { starttls: 587, tls: 465, none: 25 } as const;

/** The config's `email` section with the environment laid over it (SMTP_*; the password only ever comes from there). */
export function smtpSettings(config: Config, env: NodeJS.ProcessEnv): SmtpSettings {
  const section = config.email;
  if (!section) throw new AdapterSetupError("email: the config has no `email` section");
  const tlsEnv = env.SMTP_TLS?.trim();
  if (tlsEnv && !["starttls", "tls", "none"].includes(tlsEnv)) throw new AdapterSetupError(`SMTP_TLS must be starttls, tls or none (not "${tlsEnv}")`);
  const tls = (tlsEnv as SmtpSettings["tls"] | undefined) ?? section.smtp.tls ?? "starttls";
  const host = env.SMTP_HOST?.trim() || section.smtp.host;
  const from = env.SMTP_FROM?.trim() || section.from;
  const portText = env.SMTP_PORT?.trim();
  const port = portText ? Number(portText) : section.smtp.port ?? DEFAULT_PORT[tls];
  if (!host) throw new AdapterSetupError("email: set email.smtp.host in the config or SMTP_HOST");
  if (!from) throw new AdapterSetupError("email: set email.from in the config or SMTP_FROM (e.g. `Co-op Clinic <clinic@example.coop>`)");
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AdapterSetupError(`SMTP_PORT must be a port number (not "${portText}")`);
  const user = env.SMTP_USER?.trim() || section.smtp.user;
  const password = env.SMTP_PASSWORD;
  if (user && !password) throw new AdapterSetupError("email: SMTP_PASSWORD is not set (an SMTP user needs one; it is read from the environment only)");
  return { host, port, tls, from, ...(user ? { user, password } : {}) };
}

/** The domain Message-IDs are made in: the sender's. */
function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "coopbot.invalid";
}

/** Chat markup to plain text: mentions by name, entities back to characters. */
export function plainText(d: Delivery): string {
  const named = d.message.text.replace(/<@(\d+)>/g, (_, id: string) => d.mentions[Number(id)]?.displayName ?? "the clinic");
  return unesc(named);
}

/** An SMTP error without the addresses a server's answer may quote (logs never carry them). */
function describe(err: { code?: string; responseCode?: number; response?: string; message?: string }): string {
  const text = (err.response ?? err.message ?? "unknown error").replace(/<?[^\s<>@]+@[^\s<>]+>?/g, "<address>");
  return `SMTP ${err.responseCode ?? err.code ?? "error"}: ${text.slice(0, 300)}`;
}

/**
 * A 5xx answer to the recipient or the message is final (an address that
 * doesn't exist, a message refused): retrying won't help, the claimer is
 * told. Anything else (no connection, a timeout, a 4xx "try later", even a
 * login refused, which the operator fixes) waits and is tried again.
 */
export function classify(err: unknown): DeliveryError {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const permanent = (e.code === "EENVELOPE" || e.code === "EMESSAGE") && (e.responseCode ?? 0) >= 500;
  return new DeliveryError(describe(e), { permanent });
}

export class EmailAdapter implements Adapter {
  readonly platform = "email" as const;
  readonly capabilities = { buttons: false, ephemeral: false, edit: false };
  readonly commandPrefix = "";
  /** A modest pace per mailbox; the SMTP server's own limits come back as 4xx and are retried. */
  readonly minIntervalMs = 1000;
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly log?: Logger,
  ) {
    this.domain = domainOf(settings.from);
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === "tls",
      requireTLS: settings.tls === "starttls",
      ignoreTLS: settings.tls === "none",
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    });
  }

  /**
   * Asks the SMTP server whether it would take mail from us (connect,
   * greeting, TLS as configured, login): undefined when it would, else what
   * went wrong, without addresses.
   */
  async check(): Promise<string | undefined> {
    try {
      await this.transport.verify();
      return undefined;
    } catch (err) {
      return describe(err as Parameters<typeof describe>[0]);
    }
  }

  /**
   * The start isn't held up by the SMTP server (it may take 20 s to time
   * out), but a server that doesn't answer is said at once in the log, not
   * at the first enquirer's email.
   */
  async start(): Promise<void> {
    const where = { smtp: `${this.settings.host}:${this.settings.port}` };
    void this.check().then((problem) => {
      if (problem) this.log?.warn(where, `email: the SMTP server can't be used now (${problem}); emails wait in the outbox and are tried again`);
      else this.log?.info(where, "email: the SMTP server answered and would take mail");
    });
  }

  async stop(): Promise<void> {
    this.transport.close();
  }

  async deliver(d: Delivery): Promise<{ ref?: string }> {
    if (d.kind !== "post" || d.target.kind !== "room") {
      throw new DeliveryError("an email can only be sent, never edited or removed", { permanent: true });
    }
    // The same id on a resend (the dispatcher resends when unsure), so a mail client shows one message.
    const messageId = `<${d.uid}@${this.domain}>`;
    const thread = d.target.thread ? `<${createHash("sha256").update(`${this.domain}\n${d.target.thread}`).digest("hex").slice(0, 24)}@${this.domain}>` : undefined;
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: d.target.roomId,
        subject: d.message.subject ?? "A message from the Co-op Clinic",
        text: plainText(d),
        messageId,
        ...(thread ? { references: thread, inReplyTo: thread } : {}),
        headers: { "Auto-Submitted": "auto-generated" },
      });
    } catch (err) {
      throw classify(err);
    }
    return { ref: messageId };
  }
}

export function createEmailAdapter(config: Config, env: NodeJS.ProcessEnv, log?: Logger): EmailAdapter {
  return new EmailAdapter(smtpSettings(config, env), log);
}
