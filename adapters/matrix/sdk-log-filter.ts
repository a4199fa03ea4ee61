// What matrix-bot-sdk's LogService may say in our log. At debug and trace it
// prints request query strings and bodies (a message's text, a login's
// identifier) and whole response bodies (a sync: every message in every
// room); at error, the homeserver's error bodies. Each part of a line is
// cut down here to what an operator needs: the request id and URL (without
// any query token), Matrix error codes, status codes and ids. The SDK
// redacts `access_token` and `password` fields itself, but not message text,
// and not a token in a URL or a string.
import { describeJson, describeValue, type Shape, safeText } from "../../bot/log-safety.ts";

/** Fields of a request body worth logging: its kind, never its content. */
const REQUEST: Shape = { msgtype: true, membership: true, type: true };

/** Fields of a response or error body: Matrix error codes (with the homeserver's short explanation) and the ids of what was made; and the SDK call a Metrics line timed. */
const RESPONSE: Shape = { errcode: true, error: "text", retry_after_ms: true, event_id: true, room_id: true, user_id: true, device_id: true, functionName: true };

/** One argument the SDK passed to LogService, as text safe to log. */
export function matrixLogPart(part: unknown): string {
  if (typeof part === "string") return stringPart(part);
  if (part instanceof Error) return errorPart(part);
  if (typeof part === "object" && part !== null) return objectPart(part as Record<string, unknown>);
  return String(part);
}

/** `qs = {...}` and `body = {...}` (trace) become their field names; other text loses payloads and tokens. */
function stringPart(text: string): string {
  const logged = /^(qs|body) = ([\s\S]*)$/.exec(text);
  if (logged) return `${logged[1]} = ${logged[2] === "<Buffer>" ? "<Buffer>" : describeJson(logged[2]!, logged[1] === "body" ? REQUEST : {})}`;
  return safeText(text);
}

/** A request error (no connection, a timeout) or a MatrixError (its message is `M_CODE: text`), with its stack. */
function errorPart(err: Error & { code?: unknown; statusCode?: unknown }): string {
  const code = typeof err.code === "string" ? ` (${err.code})` : typeof err.statusCode === "number" ? ` (HTTP ${err.statusCode})` : "";
  return `${safeText(err.stack ?? `${err.name}: ${err.message}`, 3000)}${code}`;
}

/** A response or error body, or a response object the SDK threw (its status only). */
function objectPart(body: Record<string, unknown>): string {
  if (typeof body.statusCode === "number" && !("errcode" in body)) return `HTTP ${body.statusCode}`;
  return describeValue(body, RESPONSE);
}
