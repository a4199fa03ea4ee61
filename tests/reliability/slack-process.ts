// The real bot process (`bot/main.ts start --adapter slack`) against the
// project's fake Slack, for the fault suite: start it, send it signed
// slash commands and clicks as Slack would (HTTP or Socket Mode), kill it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
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

/** A free TCP port on localhost (the bot's HTTP receiver keeps it across restarts). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until the HTTP receiver answers (any status). */
export async function waitForHttp(port: number, bot: BotProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited before it listened: ${bot.stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`the bot did not listen on ${port} within ${timeoutMs} ms: ${bot.stderr()}`);
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
export async function deliver(mode: Mode, request: Request, fake: FakeSlackApi, socket: FakeSocketMode | undefined, port: number): Promise<boolean> {
  const { type, body, form } = payloadOf(request, fake);
  if (mode === "socket") {
    return socket!.send(type, body, { timeoutMs: 10_000 }).then(
      () => true,
      () => false,
    );
  }
  try {
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...signedHeaders(SECRET, form) },
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    await response.text();
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}
