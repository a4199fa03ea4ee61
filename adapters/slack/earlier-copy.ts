// Exactly once across a crash, as far as Slack allows. Every post carries
// its outbox delivery's uid in message metadata; before re-sending a
// delivery that may already have gone out (the process died mid-send, or an
// earlier attempt failed without proof it didn't land), the sender looks in
// the channel's recent history (or the thread's replies) for a message with
// that uid. What can't be checked stays at-least-once: ephemeral replies
// (they are in no history) and channels whose history the token may not read.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../bot/log.ts";
import { platformErrorCode, toDeliveryError } from "./errors.ts";

/** The metadata event type of every coopbot post. */
export const OUTBOX_EVENT_TYPE = "coopbot_outbox";
/** How far before the message was queued to start looking (clock skew between us and Slack). */
const MARGIN_S = 60;
const PAGE = 200;
const MAX_PAGES = 3;
/** Failures that pass (a rate limit, Slack unreachable or down): the delivery waits and retries the check. */
const PASSING = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"]);

export function outboxMetadata(uid: string, part = 0): { event_type: string; event_payload: Record<string, string | number> } {
  return { event_type: OUTBOX_EVENT_TYPE, event_payload: part === 0 ? { uid } : { uid, part } };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export class EarlierCopies {
  private readonly warned = new Set<string>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly botMention: () => string,
  ) {}

  /**
   * The ts of the first part of an earlier post of this delivery in the
   * channel (or thread), if there is one. Undefined when none is found or
   * the history can't be read (then the caller sends: at least once).
   */
  async find(channel: string, thread: string | undefined, uid: string, queuedAtMs: number): Promise<string | undefined> {
    const oldest = (Math.floor(queuedAtMs / 1000) - MARGIN_S).toFixed(6);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await this.page(channel, thread, oldest, cursor);
        const hit = (result.messages ?? []).find((m) => isCopyOf(m, uid));
        if (hit?.ts) return hit.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
      this.log.warn({ channel }, "a busy channel's history is too long to check for an earlier copy; sending again");
    } catch (err) {
      // Any refusal to read (a missing scope, a channel the bot isn't in): send, at least once.
      const code = platformErrorCode(err);
      if (code === undefined || PASSING.has(code)) throw toDeliveryError(err, { channel, botMention: this.botMention() });
      this.warnOnce(channel, code);
    }
    return undefined;
  }

  private page(channel: string, thread: string | undefined, oldest: string, cursor: string | undefined) {
    const common = { channel, oldest, limit: PAGE, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
    const call = thread ? this.client.conversations.replies({ ...common, ts: thread }) : this.client.conversations.history(common);
    return call as Promise<{ messages?: HistoryMessage[]; response_metadata?: { next_cursor?: string } }>;
  }

  private warnOnce(channel: string, reason: string): void {
    const key = `${channel.charAt(0)}:${reason}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(
      { channel, reason },
      "can't read a channel's history to check whether a message went out before a restart, so it may be sent twice (add the channels:history / groups:history / im:history scopes)",
    );
  }
}

function isCopyOf(message: HistoryMessage, uid: string): boolean {
  const meta = message.metadata;
  return meta?.event_type === OUTBOX_EVENT_TYPE && meta.event_payload?.uid === uid && meta.event_payload.part === undefined;
}
