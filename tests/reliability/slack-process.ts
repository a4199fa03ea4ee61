// The real bot process (`bot/main.ts start --adapter slack`) against the
// project's fake Slack, for the fault suite: start it, send it signed
// slash commands and clicks as Slack would (HTTP or Socket Mode), kill it.
import { type ChildProcess, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import type { FakeSlackApi } from "../slack/fake-slack-api.ts";
import type { FakeSocketMode } from "../slack/fake-socket-mode.ts";
import { blockActions, type MessageLike, slashCommand } from "../slack/payloads.ts";
import { signedHeaders } from "../slack/signing.ts";

const MAIN = fileURLToPath(new URL("../../bot/main.ts", import.meta.url));
export const SECRET = "crash-test-signing-secret-0123456789";

export type Mode = "http" | "socket";

/** One thing a person does on Slack, with the id Slack gives it (a trigger_id). */
export type Request =
  | { kind: "slash"; id: string; user: string; text: string }
  | { kind: "click"; id: string; user: string; message: MessageLike; label: string; value: string };

export interface BotProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

export function startBotProcess(opts: { mode: Mode; port: number; apiUrl: string; db: string; config: string; log: string }): BotProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLACK_BOT_TOKEN: "xoxb-crash-test",
    SLACK_API_URL: opts.apiUrl,
    SLACK_PACING_MS: "5",
    LOG_LEVEL: process.env.CRASH_CHILD_LOG_LEVEL ?? "info",
    ...(opts.mode === "socket" ? { SLACK_APP_TOKEN: "xapp-crash-test" } : { SLACK_MODE: "http", SLACK_SIGNING_SECRET: SECRET, SLACK_PORT: String(opts.port) }),
  };
  // Adds ~115 ms to every Node start on this machine (STACK.md) and isn't needed here.
  delete env.NODE_EXTRA_CA_CERTS;
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "start", "--adapter", "slack", "--db", opts.db, "--config", opts.config, "--log", opts.log], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/**
 * A free TCP port on localhost for the bot's HTTP receiver, kept across
 * restarts. Chosen below the kernel's ephemeral range (32768 and up), so no
 * outgoing connection made while the bot is down can take it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Waits until this process says it is connected to Slack (its log line, not just an open port). */
export async function waitForReady(logPath: string, bot: BotProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const pid = bot.child.pid;
  for (;;) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited before it was ready: ${bot.stderr()}`);
    const log = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
    if (log.split("\n").some((line) => line.includes(`"pid":${pid},`) && line.includes('"msg":"connected to Slack"'))) return;
    if (performance.now() > deadline) throw new Error(`the bot was not ready within ${timeoutMs} ms: ${bot.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const dmOf = (user: string) => `D${user.replace(/^[UW]/, "")}`;
export const newTrigger = () => `${randomBytes(4).toString("hex")}.${randomBytes(8).toString("hex")}`;

/** Slack's side of one request: the payload, as the HTTP receiver or a Socket Mode envelope gets it. */
function payloadOf(request: Request, fake: FakeSlackApi): { type: "slash_commands" | "interactive"; body: Record<string, any>; form: string } {
  const responseUrl = fake.responseUrl(request.id);
  if (request.kind === "slash") {
    const body = slashCommand({ user: request.user, userName: request.user.toLowerCase(), channel: dmOf(request.user), channelName: "directmessage", text: request.text, trigger: request.id, responseUrl });
    return { type: "slash_commands", body, form: new URLSearchParams(body).toString() };
  }
  const button = { type: "button", action_id: "coop_btn_0", text: { type: "plain_text", text: request.label }, value: request.value };
  const body = blockActions({ user: request.user, userName: request.user.toLowerCase(), message: request.message, channelName: "directmessage", button, trigger: request.id, responseUrl, actionTs: "1.0" });
  return { type: "interactive", body, form: new URLSearchParams({ payload: JSON.stringify(body) }).toString() };
}

/** Sends one request; true when Slack would count it acknowledged (an HTTP 2xx, or the envelope's ack). */
export async function deliver(mode: Mode, request: Request, fake: FakeSlackApi, socket: FakeSocketMode | undefined, port: number, why?: (reason: string) => void): Promise<boolean> {
  const { type, body, form } = payloadOf(request, fake);
  if (mode === "socket") {
    return socket!.send(type, body, { timeoutMs: 10_000 }).then(
      () => true,
      (err: Error) => (why?.(err.message.replace(/[0-9a-f-]{36}/g, "…")), false),
    );
  }
  // A new connection each time (no keep-alive pool): a pooled socket to a killed process would fail the next request.
  const status = await new Promise<number | string>((resolve) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/slack/events", method: "POST", agent: false, timeout: 10_000, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(form), ...signedHeaders(SECRET, form) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", (err) => resolve(err.message));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (err) => resolve(err.message));
    req.end(form);
  });
  if (typeof status === "number" && status >= 200 && status < 300) return true;
  why?.(typeof status === "number" ? `HTTP ${status}` : status);
  return false;
}
