// What Bolt, @slack/web-api and @slack/socket-mode may say in our log. At
// debug they print whole request arguments, API responses and Socket Mode
// envelopes: message text, a clinic enquiry, a calendar link, a link code,
// the payload's verification token and response_url. Each such line is
// recognised by its (stable, SDK-written) beginning and rewritten to the ids
// an operator needs: method, channel, ts, event and envelope ids, error
// codes. Any other line keeps its words, minus anything shaped like a JSON
// payload or a token (bot/log-safety.ts's safeText).
//
// Checked against @slack/bolt 5.1, @slack/web-api 8.2 and
// @slack/socket-mode 3.1 (tests/privacy/debug-logs.test.ts runs a whole flow
// at debug through them); a new SDK line that dumps a payload in a new way
// still loses the payload to safeText.
import { describeJson, type Shape, safeText } from "../../bot/log-safety.ts";

/** Web API arguments worth logging: where a call went, never what it said. */
const ARGS: Shape = {
  channel: true,
  ts: true,
  thread_ts: true,
  user: true,
  users: true,
  limit: true,
  cursor: true,
  oldest: true,
  latest: true,
  inclusive: true,
  include_all_metadata: true,
  team_id: true,
};

/** Web API results: whether it worked, Slack's error codes, and the ids of what it made. */
const RESULT: Shape = {
  ok: true,
  error: true,
  needed: true,
  provided: true,
  warning: true,
  channel: true,
  ts: true,
  message_ts: true,
  has_more: true,
  user_id: true,
  bot_id: true,
  team_id: true,
};

/** A Socket Mode envelope: its kind and ids, and where its payload came from. */
const ENVELOPE: Shape = {
  type: true,
  envelope_id: true,
  retry_attempt: true,
  retry_reason: true,
  num_connections: true,
  reason: true,
  payload: {
    type: true,
    command: true,
    event_id: true,
    trigger_id: true,
    channel_id: true,
    user_id: true,
    team_id: true,
    api_app_id: true,
    channel: true,
    user: true,
    container: { type: true, channel_id: true, message_ts: true, is_ephemeral: true },
    event: { type: true, subtype: true, channel: true, channel_type: true, user: true, ts: true, thread_ts: true },
  },
};

/** What the bot sends back on the socket: the envelope it acknowledges. */
const ACK: Shape = { envelope_id: true };

type Rewrite = (match: RegExpExecArray) => string | undefined;

/** Lines by their SDK-written beginning; `undefined` drops the line. */
const REWRITES: readonly [RegExp, Rewrite][] = [
  // WebClient (debug): every call's URL, arguments, headers and result.
  [/^http request url: (\S*)/, (m) => `http request url: ${safeText(m[1]!)}`],
  [/^http request body: ([\s\S]*)$/, (m) => `http request body: ${describeJson(m[1]!, ARGS)}`],
  // Tokens are already hidden by the SDK, but headers tell an operator nothing they need.
  [/^http request headers: /, () => undefined],
  [/^http request result: ([\s\S]*)$/, (m) => `http request result: ${describeJson(m[1]!, RESULT)}`],
  // SocketModeClient (debug): every envelope in and every ack out.
  [/^Received a message on the WebSocket: ([\s\S]*)$/, (m) => `Received a message on the WebSocket: ${describeJson(m[1]!, ENVELOPE)}`],
  [/^Sending a WebSocket message: ([\s\S]*)$/, (m) => `Sending a WebSocket message: ${describeJson(m[1]!, ACK)}`],
  // Node's JSON errors quote the input, and the SDK appends the whole message.
  [/^Unable to parse an incoming WebSocket message/, () => "Unable to parse an incoming WebSocket message (will ignore)"],
  [/^Calling ack\(\) - type: ([^,]*), envelope_id: ([^,]*), data: /, (m) => `Calling ack() - type: ${m[1]}, envelope_id: ${m[2]}`],
  // Bolt's ack (debug): the response body it sends back, which may be a message.
  [/^ack\(\) (call begins|response stored|response sent) \(body: /, (m) => `ack() ${m[1]}`],
  // Bolt's receivers (debug): the error, then the stored response or retry details.
  [/^Error details: ([\s\S]*?)(?:, storedResponse: [\s\S]*)?$/, (m) => `Error details: ${safeText(firstLine(m[1]!), 300)}`],
];

/** The line to log for what a Slack SDK said, or undefined to log nothing. */
export function slackSdkLine(text: string): string | undefined {
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(text);
    if (match) return rewrite(match);
  }
  return safeText(text);
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end === -1 ? text : text.slice(0, end);
}
