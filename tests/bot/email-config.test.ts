// The email section: from the config file and the environment (which wins;
// the password only ever comes from there), refused at start when it
// can't work, and SMTP answers sorted into "retry" and "give up".
import { describe, expect, it } from "vitest";
import { ConfigError, buildConfig } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";
import { classify, smtpSettings } from "../../adapters/email/index.ts";

const withEmail = (email: Record<string, unknown>, http: Record<string, unknown> | null = { port: 8080, publicUrl: "https://bot.example.org" }) =>
  buildConfig({ ...(http ? { http } : {}), email }, capabilities);

describe("email settings", () => {
  it("come from the config file, with the usual port for the TLS mode", () => {
    const config = withEmail({ from: "Co-op Clinic <clinic@example.coop>", smtp: { host: "smtp.example.org", tls: "tls" } });
    expect(smtpSettings(config, {})).toEqual({ host: "smtp.example.org", port: 465, tls: "tls", from: "Co-op Clinic <clinic@example.coop>" });
  });

  it("take the environment over the file, and the password only from the environment", () => {
    const config = withEmail({ from: "a <a@example.coop>", smtp: { host: "file.example.org", port: 2525, user: "fileuser" } });
    const env = { SMTP_HOST: "env.example.org", SMTP_PORT: "587", SMTP_TLS: "starttls", SMTP_USER: "clinic", SMTP_PASSWORD: "s3cret", SMTP_FROM: "Clinic <c@example.coop>" };
    expect(smtpSettings(config, env)).toEqual({ host: "env.example.org", port: 587, tls: "starttls", user: "clinic", password: "s3cret", from: "Clinic <c@example.coop>" });
    expect(() => buildConfig({ http: { port: 1, publicUrl: "https://x.example" }, email: { smtp: { password: "no" } } }, capabilities)).toThrow(ConfigError);
  });

  it("say what is missing: a host, a sender, a password for a user, a public address for the links", () => {
    expect(() => smtpSettings(withEmail({ from: "a <a@example.coop>" }), {})).toThrow("set email.smtp.host in the config or SMTP_HOST");
    expect(() => smtpSettings(withEmail({ smtp: { host: "h" } }), {})).toThrow("set email.from in the config or SMTP_FROM");
    expect(() => smtpSettings(withEmail({ from: "a <a@example.coop>", smtp: { host: "h", user: "u" } }), {})).toThrow("SMTP_PASSWORD is not set");
    expect(() => smtpSettings(withEmail({ from: "a <a@example.coop>", smtp: { host: "h" } }), { SMTP_TLS: "ssl" })).toThrow("SMTP_TLS must be starttls, tls or none");
    expect(() => withEmail({ from: "a <a@example.coop>", smtp: { host: "h" } }, null)).toThrow("email: needs http.publicUrl");
  });

  it("gives up only on a permanent refusal of the address or message, and keeps addresses out of the error", () => {
    const bounced = classify({ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 <nobody@example.org>: User unknown" });
    expect(bounced.opts.permanent).toBe(true);
    expect(bounced.message).toBe("SMTP 550: 550 5.1.1 <address>: User unknown");
    expect(classify({ code: "EENVELOPE", responseCode: 451, response: "451 try later" }).opts.permanent).toBe(false);
    expect(classify({ code: "ESOCKET", message: "connect ECONNREFUSED 127.0.0.1:25" }).opts.permanent).toBe(false);
    expect(classify({ code: "EAUTH", responseCode: 535, response: "535 bad credentials" }).opts.permanent).toBe(false);
  });
});
