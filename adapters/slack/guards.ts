// Guards in front of Bolt's receivers, for payloads that would otherwise
// end the process: a signed HTTP body that parses to `null` (Bolt reads
// `body.ssl_check` on it inside a promise nobody awaits), and a Socket Mode
// envelope without a usable payload (the SDK reads `payload.event.type`).
// Such a payload is answered and logged once, by shape, never by content.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HTTPModuleFunctions, type HTTPReceiver, type SocketModeReceiver, verifySlackRequest } from "@slack/bolt";
import type { Logger } from "../../bot/log.ts";
import { safeText } from "../../bot/log-safety.ts";

/** Bolt's own events path (the receiver's default, and the manifest's). */
const EVENTS_PATH = "/slack/events";

/**
 * Reads the body of each POST to the events path before Bolt does (Bolt
 * reuses a body already read), and answers a signed body that is not an
 * object with 400 itself. Unsigned ones are left to Bolt, which answers 401.
 */
export function guardHttpReceiver(receiver: HTTPReceiver, signingSecret: string, log: Logger): void {
  const original = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "POST" || path !== EVENTS_PATH) return original(req, res);
    preflight(req, signingSecret)
      .then((verdict) => {
        if (verdict === "pass") return original(req, res);
        log.warn({ reason: verdict.reason }, "Slack request refused before Bolt saw it");
        answer(res, verdict.status);
      })
      .catch((err: unknown) => {
        log.warn({ error: safeText(String((err as Error)?.message ?? err)) }, "Slack request failed before Bolt saw it");
        answer(res, 500);
      });
  };
}

type Verdict = "pass" | { status: number; reason: string };

async function preflight(req: IncomingMessage, signingSecret: string): Promise<Verdict> {
  let buffered: IncomingMessage & { rawBody: Buffer };
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
  } catch (err) {
    if (HTTPModuleFunctions.isRawBodyError(err)) return { status: (err as { statusCode: number }).statusCode, reason: "body too large or unreadable" };
    throw err;
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return "pass"; // Bolt answers 400 (or 401 when unsigned) for a body that isn't JSON.
  }
  if (typeof body === "object" && body !== null) return "pass";
  if (!isSigned(buffered, signingSecret)) return "pass"; // Bolt answers 401.
  return { status: 400, reason: `signed payload is ${body === null ? "null" : typeof body}` };
}

function isSigned(req: IncomingMessage & { rawBody: Buffer }, signingSecret: string): boolean {
  try {
    verifySlackRequest({
      signingSecret,
      body: req.rawBody.toString(),
      headers: {
        "x-slack-signature": String(req.headers["x-slack-signature"] ?? ""),
        "x-slack-request-timestamp": Number(req.headers["x-slack-request-timestamp"]),
      },
    });
    return true;
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain" });
  res.end();
}

/**
 * Socket Mode: an envelope the SDK would choke on (no payload, an Events API
 * envelope without an event) is acknowledged and logged here instead; the
 * rest goes to the SDK as before. Any failure inside the SDK's handling is
 * caught rather than ending the process.
 */
/** The parts of the SDK's SocketModeClient this guard uses (not in its public types). */
interface SocketClientInternals {
  onWebSocketMessage(data: Buffer | string, isBinary: boolean): Promise<void>;
  send(envelopeId: string, body?: object): Promise<void>;
  removeAllListeners(event: string): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
}

export function guardSocketReceiver(receiver: SocketModeReceiver, log: Logger): void {
  const client = receiver.client as unknown as SocketClientInternals;
  const handle = client.onWebSocketMessage.bind(client);
  client.removeAllListeners("ws_message");
  client.on("ws_message", (data: Buffer | string, isBinary: boolean) => {
    const problem = envelopeProblem(data, isBinary);
    if (problem) {
      log.warn({ reason: problem.reason }, "Slack sent a Socket Mode envelope I can't use; acknowledged and ignored");
      if (problem.envelopeId) client.send(problem.envelopeId).catch(() => undefined);
      return;
    }
    // The message only, cleaned: a parse error quotes the envelope it choked on.
    handle(data, isBinary).catch((err: unknown) => log.error({ error: safeText(String((err as Error)?.message ?? err)) }, "Slack Socket Mode message could not be handled"));
  });
}

function envelopeProblem(data: Buffer | string, isBinary: boolean): { reason: string; envelopeId?: string } | undefined {
  if (isBinary) return undefined; // the SDK ignores these itself
  let envelope: unknown;
  try {
    envelope = JSON.parse(typeof data === "string" ? data : Buffer.from(data).toString("utf8"));
  } catch {
    return undefined; // the SDK ignores unparseable messages itself
  }
  if (typeof envelope !== "object" || envelope === null) return { reason: "envelope is not an object" };
  const e = envelope as { type?: unknown; envelope_id?: unknown; payload?: unknown };
  const envelopeId = typeof e.envelope_id === "string" ? e.envelope_id : undefined;
  if (e.type === "hello" || e.type === "disconnect") return undefined;
  if (typeof e.payload !== "object" || e.payload === null) return { reason: "envelope without a payload", envelopeId };
  if (e.type === "events_api") {
    const inner = (e.payload as { event?: unknown }).event;
    if (typeof inner !== "object" || inner === null) return { reason: "events_api envelope without an event", envelopeId };
  }
  return undefined;
}
