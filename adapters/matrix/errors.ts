// Turning what matrix-bot-sdk throws into what the dispatcher understands
// (pure). The SDK throws a MatrixError for Matrix error responses (errcode,
// statusCode, retryAfterMs), the raw `request` response for other HTTP
// failures (statusCode, body), and a plain Error for network failures.
import { DeliveryError } from "../../bot/adapter.ts";

type Json = Record<string, any>;

export interface MatrixErrorLike {
  errcode?: string;
  error?: string;
  statusCode?: number;
  retryAfterMs?: number;
}

/** The Matrix error fields of whatever was thrown, if it carries any. */
export function matrixErrorOf(err: unknown): MatrixErrorLike | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as Json;
  const body = (e.body && typeof e.body === "object" ? e.body : undefined) as Json | undefined;
  const errcode = typeof e.errcode === "string" ? e.errcode : typeof body?.errcode === "string" ? body.errcode : undefined;
  const statusCode = typeof e.statusCode === "number" ? e.statusCode : undefined;
  if (errcode === undefined && statusCode === undefined) return undefined;
  const retry = typeof e.retryAfterMs === "number" ? e.retryAfterMs : typeof body?.retry_after_ms === "number" ? body.retry_after_ms : undefined;
  const message = typeof e.error === "string" ? e.error : typeof body?.error === "string" ? body.error : undefined;
  return { errcode, statusCode, retryAfterMs: retry, error: message };
}

export const isRateLimited = (err: unknown): boolean => {
  const m = matrixErrorOf(err);
  return m?.errcode === "M_LIMIT_EXCEEDED" || m?.statusCode === 429;
};

/** Worth retrying: the homeserver is unreachable, overloaded or asking us to slow down — not refusing us. */
export function isTransient(err: unknown): boolean {
  const m = matrixErrorOf(err);
  if (m) return (m.statusCode ?? 0) >= 500 || m.statusCode === 429 || m.errcode === "M_LIMIT_EXCEEDED";
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ESOCKETTIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(code);
}

export const isForbidden = (err: unknown): boolean => matrixErrorOf(err)?.errcode === "M_FORBIDDEN";

/** M_FORBIDDEN because the bot isn't in the room (rather than lacking power there). */
export const isNotInRoom = (err: unknown): boolean => {
  const m = matrixErrorOf(err);
  return m?.errcode === "M_FORBIDDEN" && /not in (the )?room|not joined|isn't in the room|not a member/i.test(m.error ?? "");
};

export function describe(err: unknown): string {
  const m = matrixErrorOf(err);
  if (m?.errcode) return `${m.errcode}${m.error ? `: ${m.error}` : ""}`;
  if (m?.statusCode) return `HTTP ${m.statusCode}`;
  return err instanceof Error ? err.message : String(err);
}

export interface FailureContext {
  /** The bot's user id, to name it in advice: `@coopbot:example.org`. */
  botUserId: string;
  /** The room, as people know it: its name, else its id. */
  room: string;
  /** What the bot was doing: "post", "edit a message", "open a direct message with @alice:hs". */
  action?: string;
}

/**
 * For the dispatcher: rate limit → wait exactly `retryAfterMs`; M_FORBIDDEN
 * → give up, with advice a driver can follow; other refusals (4xx) → give
 * up; outages (5xx, network, bad token) → plain Error, retried with back-off.
 */
export function toDeliveryError(err: unknown, ctx: FailureContext): Error {
  const m = matrixErrorOf(err);
  const what = describe(err);
  if (!m) return err instanceof Error ? err : new Error(what);
  if (m.errcode === "M_LIMIT_EXCEEDED" || m.statusCode === 429) {
    return new DeliveryError(`rate limited by the homeserver (${what})`, { retryAfterMs: Math.max(0, m.retryAfterMs ?? 1000) });
  }
  if (m.errcode === "M_FORBIDDEN") {
    const advice = isNotInRoom(err)
      ? `I'm not in ${ctx.room}: invite ${ctx.botUserId} to it`
      : `I'm not allowed to ${ctx.action ?? "post"} in ${ctx.room}: give ${ctx.botUserId} permission to post in ${ctx.room} (Room settings → Roles & Permissions)`;
    return new DeliveryError(`${advice} (${what})`, { permanent: true });
  }
  if (m.errcode === "M_UNKNOWN_TOKEN" || m.errcode === "M_MISSING_TOKEN") {
    // An admin has to fix the token; keep the messages until then.
    return new Error(`the homeserver refused the bot's access token (${what}); set a new MATRIX_ACCESS_TOKEN or MATRIX_USER/MATRIX_PASSWORD`);
  }
  const status = m.statusCode ?? 0;
  if (status >= 500 || status === 408 || status === 0) return new Error(`homeserver unavailable (${what})`);
  return new DeliveryError(`the homeserver refused to ${ctx.action ?? "post"} in ${ctx.room} (${what})`, { permanent: true });
}
