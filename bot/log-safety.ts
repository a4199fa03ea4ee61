// What keeps message bodies, enquiry text and secrets out of the log, for
// every logger createLogger makes. Three layers, each cheap where it runs:
//
// - REDACTED_FIELDS: pino's own redaction, for fields that hold text or
//   secrets if anyone ever logs them. pino compiles these into the
//   serializer of those top-level keys only, so a line without them pays
//   nothing.
// - safeError: the `err` serializer. pino's default prints every enumerable
//   property of an error, and the SDKs hang whole responses on theirs (the
//   Slack WebClient's `data`/`body`/`headers`, matrix-bot-sdk's `body`). We
//   keep the type, message, stack and the codes an operator acts on.
// - scrubSecrets / scrubLine: token shapes (Slack and Matrix tokens, bearer
//   headers, `?token=`-style query values, Slack response URLs) replaced in
//   the final serialized line. A last line of defence only: it can't know
//   what an enquiry says, which is why the SDK log filters
//   (adapters/*/sdk-log-filter.ts) drop bodies by structure before this.
//   One regex test per line decides whether any replacing is needed.

/**
 * Field names that may hold what people wrote or a secret. Nothing logs them
 * today; this is what a future `log.debug({ payload }, ...)` runs into.
 * Chosen by meaning, not by what the SDKs call things: the SDKs' own lines are
 * filtered where they enter (adapters/*\/sdk-log-filter.ts).
 * - message content: `text`, `body`, `content` (a Matrix event's), `blocks`,
 *   `payload` (a whole Slack payload), `question`/`note`/`reply` (the clinic's
 *   words), and the same under `message`/`event`/`args`/`enquiry`;
 * - credentials: `token` and its spellings, `secret`, `signingSecret`,
 *   `password`, `authorization` and cookies, also under `headers`;
 * - links and codes that work as credentials: `responseUrl`/`response_url`
 *   (anyone holding one can post as the bot for 30 minutes), `feedUrl`
 *   (a calendar feed link carries its token), `code`/`linkCode` (a one-time
 *   link code claims an account).
 * Not `url`: a homeserver or API URL helps an operator, and the query values
 * that make some URLs secret are scrubbed from every line anyway.
 */
export const REDACTED_FIELDS: readonly string[] = [
  ...["text", "body", "content", "blocks", "payload", "question", "note", "reply"],
  ...["message", "event", "args", "enquiry"].flatMap((parent) => ["text", "body", "content", "blocks"].map((field) => `${parent}.${field}`)),
  ...["token", "accessToken", "access_token", "botToken", "appToken", "secret", "signingSecret", "password", "authorization", "cookie"],
  ...["authorization", "Authorization", "cookie", "set-cookie"].map((header) => `headers["${header}"]`),
  ...["responseUrl", "response_url", "feedUrl", "code", "linkCode"],
];

export const REDACTED = "[redacted]";

// ---- Token shapes, for the final line and for any text built from SDK or error messages.

/**
 * One test per line, whether any of the replacements below could apply:
 * about 0.6 µs on a typical 200-character line (bench/log-lines.ts), and
 * only lines that pass it pay for the replacements.
 */
const SECRET_HINT = /xox[a-z]-|xapp-|bearer |basic |sy[tr]_|mc[tr]_|mat_|token|secret|password|signature|authorization|response_?url|hooks\.slack\.com|[?&](?:ticket|code|key|sig)=/i;

const SECRET_NAME = "[A-Za-z_]*(?:token|secret|password|signature|authorization|response_?url)";

/** Replacements, each leaving valid JSON valid: none consumes a quote or a backslash, and only string values are replaced. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  // Slack tokens: bot, user, app-level, configuration, refresh.
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, "[slack-token]"],
  // Matrix access and refresh tokens (Synapse syt_/syr_, MAS mat_/mct_/mcr_).
  [/\b(?:sy[tr]|mat|mc[tr])_[A-Za-z0-9_-]+/g, "[matrix-token]"],
  // Authorization header values.
  [/\b([Bb]earer|Basic) [^\s"\\,;]+/g, `$1 ${REDACTED}`],
  // A secret-named query parameter: ?token=, &access_token=, ?ticket= (a Socket Mode URL), ?code=, ?key=, ?sig=.
  [/([?&](?:[A-Za-z_]*token|ticket|code|key|sig|signature|secret)=)[^&\s"\\#]+/gi, `$1${REDACTED}`],
  // A secret-named JSON string field, also as JSON inside a JSON string: "token":"x", \"bot_token\":\"x\".
  [new RegExp(`(\\\\?"${SECRET_NAME}\\\\?"\\s*:\\s*\\\\?")[^"\\\\]+`, "gi"), `$1${REDACTED}`],
  // The same in prose: `token: x`, `secret=x`, `response_url: https://...`.
  [new RegExp(`\\b(${SECRET_NAME}\\s*[:=]\\s*)[^\\s"\\\\&,;]+`, "gi"), `$1${REDACTED}`],
  // Slack's response URLs and incoming webhooks: the path is the credential.
  [/https:\/\/hooks\.slack\.com\/[^\s"\\]+/g, `https://hooks.slack.com/${REDACTED}`],
];

/** `text` with every token shape above replaced (text that holds none comes back as it was). */
export function scrubSecrets(text: string): string {
  if (!SECRET_HINT.test(text)) return text;
  let out = text;
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** pino's `hooks.streamWrite`: the serialized line, scrubbed of token shapes. */
export const scrubLine = scrubSecrets;

// ---- Payloads inside messages.

/**
 * Text from an SDK or an error message with what could quote a payload taken
 * out: a JSON object or array (from its first `{"` or `[{` to the end of its
 * line: SDKs append `JSON.stringify(payload)` at the end), the input that
 * V8's JSON.parse errors quote (`Unexpected token 'x', "…" is not valid
 * JSON`), and token shapes. Long text is cut: a log line is no place for a
 * document.
 */
export function safeText(text: string, max = 1000): string {
  const out = scrubSecrets(text)
    .replace(/, "(?:[^"\\]|\\.)*"(?:\.\.\.)? is not valid JSON/g, " (input omitted): not valid JSON")
    .replace(/(?:\{\s*"|\[\s*[{"])[^\n]*/g, "{…omitted}");
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

// ---- Errors.

/** Error fields worth keeping: codes and numbers an operator can act on, never payloads. */
const ERROR_FIELDS = ["code", "errno", "syscall", "errcode", "statusCode", "status", "retryAfter", "retryAfterMs", "permanent"] as const;

type Plain = Record<string, unknown>;
const isObject = (v: unknown): v is Plain => typeof v === "object" && v !== null;
const isScalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/**
 * The `err` serializer: type, message and stack (through safeText), the
 * fields in ERROR_FIELDS, a Slack platform error's code (`data.error`,
 * `data.needed`), and the cause (or the Slack SDK's `original`), three deep.
 * Everything else an error carries (response bodies, headers, request
 * arguments) is dropped.
 */
export function safeError(err: unknown, depth = 0): unknown {
  if (typeof err === "string") return safeText(err);
  if (!isObject(err)) return err;
  const out: Plain = { type: err instanceof Error ? err.constructor.name : typeof err.type === "string" ? err.type : "Object" };
  if (typeof err.message === "string") out.message = safeText(err.message);
  if (typeof err.stack === "string") out.stack = safeText(err.stack, 4000);
  for (const field of ERROR_FIELDS) if (isScalar(err[field])) out[field] = typeof err[field] === "string" ? safeText(err[field] as string, 200) : err[field];
  const data = err.data;
  if (isObject(data)) {
    if (typeof data.error === "string") out.platformError = data.error;
    if (typeof data.needed === "string") out.needed = data.needed;
  }
  const cause = err.cause ?? err.original;
  if (cause !== undefined && depth < 3) out.cause = safeError(cause, depth + 1);
  return out;
}

// ---- Payloads cut down to their ids, for the SDK log filters.

/**
 * Which fields of a payload to keep: `true` for a scalar (or an object's
 * `id`), `"text"` for a short explanation passed through safeText (a
 * homeserver's error message), a nested shape for an object.
 */
export type Shape = { readonly [key: string]: true | "text" | Shape };

/** `value` cut down to the fields `shape` names; undefined for anything but an object. */
export function pickShape(value: unknown, shape: Shape): Plain | undefined {
  if (!isObject(value) || Array.isArray(value)) return undefined;
  const out: Plain = {};
  for (const [key, spec] of Object.entries(shape)) {
    const field = value[key];
    if (spec === "text") {
      if (typeof field === "string") out[key] = safeText(field, 200);
    } else if (spec !== true) {
      const inner = pickShape(field, spec);
      if (inner && Object.keys(inner).length > 0) out[key] = inner;
    } else if (isScalar(field)) out[key] = field;
    else if (isObject(field) && typeof field.id === "string") out[key] = { id: field.id };
  }
  return out;
}

/**
 * A payload as the fields `shape` keeps, followed by the names of the
 * top-level fields it left out (names are the SDK's, never content):
 * `{"channel":"D0TARA"} (not logged: text, blocks)`.
 */
export function describeValue(value: unknown, shape: Shape): string {
  const kept = pickShape(value, shape);
  if (!kept) return "(not logged)";
  const left = Object.keys(value as Plain).filter((key) => !(key in kept) && (value as Plain)[key] !== undefined);
  return `${JSON.stringify(kept)}${left.length > 0 ? ` (not logged: ${left.join(", ")})` : ""}`;
}

/** describeValue for the JSON text an SDK logs. */
export function describeJson(raw: string, shape: Shape): string {
  try {
    return describeValue(JSON.parse(raw), shape);
  } catch {
    return "(not JSON: not logged)";
  }
}
