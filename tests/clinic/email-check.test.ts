// Is the SMTP server there? Said at the start (in the log, without holding
// the start up) and by `coopbot doctor`, not first noticed when an
// enquirer's email doesn't go. Against a real SMTP server on localhost.
import { Writable } from "node:stream";
import { afterEach, expect, it } from "vitest";
import { EmailAdapter } from "../../adapters/email/index.ts";
import { createLogger } from "../../bot/log.ts";
import { TestSmtpServer } from "../helpers/smtp.ts";

const FROM = "Co-op Clinic <clinic@example.coop>";
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: "info", destination: new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
  return { log, lines };
}

async function server(): Promise<TestSmtpServer> {
  const smtp = new TestSmtpServer();
  await smtp.start();
  cleanup.push(() => smtp.stop());
  return smtp;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

it("a server that answers: the check passes and the start logs that it would take mail", async () => {
  const smtp = await server();
  const { log, lines } = capturedLog();
  const email = new EmailAdapter({ host: "127.0.0.1", port: smtp.port, tls: "none", from: FROM }, log);
  cleanup.push(() => email.stop());
  expect(await email.check()).toBeUndefined();
  await email.start();
  await until(() => lines.some((l) => l.msg === "email: the SMTP server answered and would take mail"));
  expect(lines.find((l) => String(l.msg).startsWith("email:"))).toMatchObject({ level: 30, smtp: `127.0.0.1:${smtp.port}` });
});

it("a server that is down: the check says why, the start warns at once (and is not held up), and no address is logged", async () => {
  const smtp = await server();
  const port = smtp.port;
  await smtp.stop();
  const { log, lines } = capturedLog();
  const email = new EmailAdapter({ host: "127.0.0.1", port, tls: "none", from: FROM }, log);
  cleanup.push(() => email.stop());
  expect(await email.check()).toMatch(/^SMTP ESOCKET: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  await email.start(); // returns before the server's answer (or its absence) is known
  await until(() => lines.some((l) => l.level === 40));
  const warning = lines.find((l) => l.level === 40)!;
  expect(warning.msg).toMatch(/^email: the SMTP server can't be used now \(SMTP ESOCKET: .*\); emails wait in the outbox and are tried again$/);
  expect(JSON.stringify(lines)).not.toContain("clinic@example.coop");
});
