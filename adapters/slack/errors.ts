// Slack Web API failures → what the dispatcher should do with the message:
// wait exactly Retry-After (rate limit), give up with a message a person can
// act on (the bot is not in the channel), or back off and retry (an outage).
import { DeliveryError } from "../../bot/adapter.ts";

interface SlackishError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string; needed?: string };
  message?: string;
}

/** Errors that pass on their own: retried with back-off. */
const TRANSIENT = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
  "team_added_to_org",
  // A broken token stops every message alike; they wait until an admin fixes it and restarts.
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
]);

export interface ErrorContext {
  /** The channel the message was for, if it was for one. */
  channel?: string;
  /** The channel's name, when known (`triage`). */
  channelName?: string;
  /** The member a DM or private reply was for. */
  user?: string;
  userName?: string;
  /** How people mention the bot, e.g. `@coopbot`. */
  botMention: string;
}

export function platformErrorCode(err: unknown): string | undefined {
  const e = err as SlackishError;
  return e?.code === "slack_webapi_platform_error" ? e.data?.error : undefined;
}

/**
 * What went wrong, in words for the people who can fix it. Plain text (the
 * core escapes it into its notice), so channels are `#name`, not Slack links.
 */
export function humanMessage(code: string, ctx: ErrorContext): string | undefined {
  const place = ctx.channelName ? `#${ctx.channelName}` : ctx.channel ? `channel ${ctx.channel}` : "that channel";
  const who = ctx.userName ?? (ctx.user ? `member ${ctx.user}` : "that member");
  const invite = `invite me there with \`/invite ${ctx.botMention}\``;
  switch (code) {
    case "not_in_channel":
      return `I'm not a member of ${place}; ${invite}`;
    case "channel_not_found":
      return ctx.channel?.startsWith("D")
        ? `I can't post in that direct message (${ctx.channel}): it is a conversation I am not part of`
        : `I can't see ${place}: it was deleted, or it is private and I'm not in it; ${invite}`;
    case "is_archived":
      return `${capitalise(place)} is archived; unarchive it, or link the group to another channel with \`/coop group link <group>\``;
    case "user_not_in_channel":
      return `${capitalise(who)} is not in ${place}, so I can't show them a private reply there`;
    case "user_not_found":
    case "user_disabled":
    case "cannot_dm_bot":
      return `I can't send a direct message to ${who} (${code})`;
    case "message_not_found":
    case "cant_update_message":
    case "edit_window_closed":
      return `I can't edit my earlier message in ${place} any more (${code})`;
    case "cant_delete_message":
      return `Slack does not let me delete that message in ${place}: a bot can delete only its own; a workspace admin can remove it`;
    case "restricted_action":
    case "restricted_action_read_only_channel":
    case "restricted_action_thread_only_channel":
    case "restricted_action_non_threadable_channel":
      return `Only some members may post in ${place}, and I'm not one of them (${code})`;
    default:
      return undefined;
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The error `deliver` throws for a failed Web API call. Unknown platform
 * errors are permanent: retrying a refusal would hold back every later
 * message in that channel forever.
 */
export function toDeliveryError(err: unknown, ctx: ErrorContext): Error {
  const code = platformErrorCode(err);
  return Object.assign(classify(err, code, ctx), { slackCode: code });
}

/** The Slack error code behind an error `toDeliveryError` made (`not_in_channel`). */
export const slackCodeOf = (err: unknown): string | undefined => (err as { slackCode?: string } | undefined)?.slackCode;

function classify(err: unknown, code: string | undefined, ctx: ErrorContext): Error {
  const e = err as SlackishError;
  if (e?.code === "slack_webapi_rate_limited_error") {
    const seconds = typeof e.retryAfter === "number" && e.retryAfter > 0 ? e.retryAfter : 1;
    return new DeliveryError(`Slack rate limit: retry in ${seconds}s`, { retryAfterMs: seconds * 1000 });
  }
  if (code === undefined) {
    // Network failures (slack_webapi_request_error), 5xx (slack_webapi_http_error), anything else: back off and retry.
    return new Error(`Slack unreachable: ${e?.message ?? String(err)}`);
  }
  if (TRANSIENT.has(code)) {
    const needed = code === "missing_scope" && e.data?.needed ? ` (needs the ${e.data.needed} scope: add it in the app's manifest and reinstall)` : "";
    return new Error(`Slack refused the call for now: ${code}${needed}`);
  }
  return new DeliveryError(humanMessage(code, ctx) ?? `Slack refused the message: ${code}`, { permanent: true });
}
