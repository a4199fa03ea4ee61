// Each layer of bot/log-safety.ts and the Slack SDK filter on its own: the
// redacted fields, the `err` serializer against errors the SDKs really
// throw, the last-line token scrubber, and Bolt's logger over a plain pino
// (no redaction, serializers or hooks: the filter alone must hold).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boltLogger } from "../../adapters/slack/bolt-logger.ts";
import { loadMatrixSdk } from "../../adapters/matrix/sdk.ts";
import { createLogger } from "../../bot/log.ts";
import { scrubLine } from "../../bot/log-safety.ts";

const SECRET = "dingowhisper our co-op owes the landlord three months of rent";
const TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";

/** A logger of the bot's own kind, writing into an array. */
function captured(level = "debug"): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ level, destination: { write: (line: string) => void lines.push(line) } }) };
}

describe("the bot's logger", () => {
  it("redacts fields that hold text or secrets, and keeps the ids next to them", () => {
    const { lines, log } = captured();
    log.info(
      { outboxId: 7, channel: "D0ALICE", text: SECRET, payload: { text: SECRET }, message: { text: SECRET, ts: "1.2" }, token: "abc", headers: { authorization: "x", cookie: "y" }, response_url: "https://example.org/r", code: "ABCD-EFGH" },
      "sent",
    );
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(line).toMatchObject({ outboxId: 7, channel: "D0ALICE", text: "[redacted]", payload: "[redacted]", message: { text: "[redacted]", ts: "1.2" }, token: "[redacted]", response_url: "[redacted]", code: "[redacted]" });
    expect(line.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]" });
  });

  it("scrubs token shapes from the finished line, leaving it valid JSON, and leaves other lines as they were", () => {
    const lines = [
      `{"msg":"GET https://bot.example.org/calendar/comms.ics?token=Zx9_-aB&x=1"}`,
      `{"msg":"auth ${TOKEN} and xapp-1-A0-123-abc","nested":"{\\"token\\":\\"v3rif\\",\\"response_url\\":\\"https://hooks.slack.com/commands/T0/1/2\\"}"}`,
      `{"msg":"Authorization: Bearer syt_Ym90_abc_123","count":{"token":5}}`,
      `{"msg":"wss://wss-primary.slack.com/link/?ticket=abc-123&app_id=A0"}`,
    ];
    const scrubbed = lines.map(scrubLine);
    for (const line of scrubbed) expect(() => JSON.parse(line)).not.toThrow();
    expect(scrubbed.join("\n")).not.toMatch(/Zx9_-aB|xoxb-|xapp-|v3rif|hooks\.slack\.com\/commands|syt_|ticket=abc/);
    expect(scrubbed[2]).toContain(`"count":{"token":5}`);
    const plain = `{"level":30,"outboxId":3,"channel":"C0GENERAL","msg":"message delivered"}`;
    expect(scrubLine(plain)).toBe(plain);
  });
});

describe("the err serializer, on errors the SDKs really throw", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url?.includes("chat.postMessage")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error: "not_in_channel", message: { text: SECRET } }));
      } else {
        res.writeHead(503, { "content-type": "text/plain", "x-echo": SECRET });
        res.end(`upstream said: ${SECRET}`);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
    try {
      await fn();
    } catch (err) {
      return err;
    }
    throw new Error("expected a throw");
  }

  it("keeps type, message and codes, never the response, its headers or a quoted input", async () => {
    const client = new webApi.WebClient(TOKEN, { slackApiUrl: url, retryConfig: { retries: 0 }, logger: boltLogger(pino({ level: "silent" })) });
    const platform = await thrown(() => client.chat.postMessage({ channel: "C0GENERAL", text: SECRET }));
    const http = await thrown(() => client.users.info({ user: "U0ALICE" }));
    const { sdk } = loadMatrixSdk();
    // A homeserver may send more than errcode and error; the SDK keeps it all on `body`.
    const body = { errcode: "M_FORBIDDEN", error: "not in room", content: { body: SECRET } };
    const matrix = new sdk.MatrixError(body, 403);
    const parse = await thrown(async () => JSON.parse(`${SECRET} {`));

    const { lines, log } = captured("error");
    for (const err of [platform, http, matrix, parse, new Error("outer", { cause: http })]) log.error({ err }, "failed");
    const all = lines.join("\n");
    expect(all).not.toContain("dingowhisper");
    expect(all).not.toContain(TOKEN);
    const errs = lines.map((l) => (JSON.parse(l) as { err: Record<string, unknown> }).err);
    expect(errs[0]).toMatchObject({ code: "slack_webapi_platform_error", platformError: "not_in_channel" });
    expect(errs[1]).toMatchObject({ code: "slack_webapi_http_error", statusCode: 503 });
    expect(errs[1]).not.toHaveProperty("headers");
    expect(errs[1]).not.toHaveProperty("body");
    expect(errs[2]).toMatchObject({ errcode: "M_FORBIDDEN", statusCode: 403, message: "M_FORBIDDEN: not in room" });
    expect(errs[3]!.message).toMatch(/not valid JSON|Unexpected token/);
    expect(errs[4]).toMatchObject({ message: "outer", cause: { statusCode: 503 } });
  });
});

describe("Bolt's logger, over a plain pino", () => {
  it("rewrites the SDKs' debug lines to ids and drops what they quote", () => {
    const raw: string[] = [];
    const bolt = boltLogger(pino({ level: "debug" }, { write: (line: string) => void raw.push(line) }));
    const envelope = { envelope_id: "e-1", type: "events_api", payload: { token: "v3rif", event_id: "Ev1", event: { type: "message", channel: "D0ALICE", user: "U0ALICE", text: SECRET } } };
    const said = [
      `http request body: ${JSON.stringify({ channel: "D0ALICE", text: SECRET, blocks: { 0: { text: SECRET } } })}`,
      `http request headers: ${JSON.stringify({ Authorization: "[[REDACTED]]", Cookie: "d=1" })}`,
      `http request result: ${JSON.stringify({ ok: true, channel: "D0ALICE", ts: "1.1", message: { text: SECRET } })}`,
      `Received a message on the WebSocket: ${JSON.stringify(envelope)}`,
      `Unable to parse an incoming WebSocket message (will ignore): SyntaxError: Unexpected token, "${SECRET}" is not valid JSON, ${SECRET}`,
      `Calling ack() - type: slash_commands, envelope_id: e-2, data: ${JSON.stringify({ text: SECRET })}`,
      `Sending a WebSocket message: ${JSON.stringify({ envelope_id: "e-2", payload: { text: SECRET } })}`,
      `ack() call begins (body: ${JSON.stringify({ text: SECRET })})`,
      `Error details: Error: the Slack adapter is stopping, storedResponse: ${SECRET}`,
      `An unexpected error occurred during a request (POST) made to /slack/events?token=v3rif`,
    ];
    for (const line of said) bolt.debug(line);
    bolt.warn("http request failed", `connect ECONNREFUSED ${JSON.stringify({ response_url: "https://hooks.slack.com/commands/1/2/3" })}`);

    const msgs = raw.map((l) => String((JSON.parse(l) as { msg: string }).msg));
    expect(msgs.join("\n")).not.toMatch(/dingowhisper|v3rif|hooks\.slack\.com|Cookie/);
    expect(msgs).toEqual([
      `http request body: {"channel":"D0ALICE"} (not logged: text, blocks)`,
      `http request result: {"ok":true,"channel":"D0ALICE","ts":"1.1"} (not logged: message)`,
      `Received a message on the WebSocket: {"type":"events_api","envelope_id":"e-1","payload":{"event_id":"Ev1","event":{"type":"message","channel":"D0ALICE","user":"U0ALICE"}}}`,
      "Unable to parse an incoming WebSocket message (will ignore)",
      "Calling ack() - type: slash_commands, envelope_id: e-2",
      `Sending a WebSocket message: {"envelope_id":"e-2"} (not logged: payload)`,
      "ack() call begins",
      "Error details: Error: the Slack adapter is stopping",
      "An unexpected error occurred during a request (POST) made to /slack/events?token=[redacted]",
      "http request failed connect ECONNREFUSED {…omitted}",
    ]);
  });

  it("does no filtering work for lines below pino's level", () => {
    const raw: string[] = [];
    const bolt = boltLogger(pino({ level: "info" }, { write: (line: string) => void raw.push(line) }));
    bolt.debug(`http request body: ${JSON.stringify({ text: SECRET })}`);
    expect(raw).toEqual([]);
  });
});
