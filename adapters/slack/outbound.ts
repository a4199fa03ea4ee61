// Sends one Delivery through the Web API: posts (threaded continuation for
// long texts), private replies (response_url, else chat.postEphemeral), DMs
// (conversations.open, cached), edits (chat.update) and files
// (files.uploadV2). Failures become the errors the dispatcher understands
// (see errors.ts).
import type { webApi } from "@slack/bolt";
import { DeliveryError } from "../../bot/adapter.ts";
import type { Delivery, FileAttachment, Target } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { EarlierCopies, outboxMetadata } from "./earlier-copy.ts";
import { slackCodeOf, toDeliveryError } from "./errors.ts";
import { decodeReplyHandle, type ReplyHandle } from "./inbound.ts";
import { changeMembership } from "./membership.ts";
import { formatRef, parseRef, renderEdit, renderMessage, type SlackMessage, toMrkdwn } from "./render.ts";

/** Slack honours a response_url for 30 minutes; leave a margin for the dispatcher's queue. */
export const RESPONSE_URL_LIFETIME_MS = 25 * 60_000;
/** Longest inline wait for a rate limit in the middle of a long (threaded) message. */
const MAX_INLINE_WAIT_MS = 30_000;

export interface SenderOptions {
  client: webApi.WebClient;
  log: Logger;
  /** How people mention the bot (`@coopbot`), for messages about channels it is not in. */
  botMention: () => string;
  /** Names already known (cached) for channels and people, for those messages. */
  names?: { channel(id: string): string | undefined; user(id: string): string | undefined };
  now?: () => number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

type EphemeralTarget = Extract<Target, { kind: "ephemeral" }>;

export class SlackSender {
  private readonly dmChannels = new Map<string, string>();
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly earlier: EarlierCopies;

  constructor(private readonly opts: SenderOptions) {
    this.now = opts.now ?? Date.now;
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.earlier = new EarlierCopies(opts.client, opts.log, opts.botMention);
  }

  async deliver(d: Delivery): Promise<{ ref?: string }> {
    if (d.kind === "update") return this.edit(d);
    if (d.kind === "remove") return this.remove(d);
    if (d.kind === "invite" || d.kind === "uninvite") {
      const channel = d.target.kind === "room" ? d.target.roomId : "";
      return changeMembership(this.opts.client, d, { channelName: this.opts.names?.channel(channel), botMention: this.opts.botMention() });
    }
    if (d.message.file) return this.upload(d, d.message.file);
    const parts = renderMessage(d.message, d.mentions);
    switch (d.target.kind) {
      case "ephemeral":
        return this.ephemeral(d.target, parts);
      case "room":
        return this.toRoom(d, parts);
      case "member":
        return this.toMember(d, d.target.platformId, parts);
    }
  }

  /** A post in a room. In a DM the bot is not part of (a slash command between two people), the asker gets it privately. */
  private async toRoom(d: Delivery, parts: SlackMessage[]): Promise<{ ref?: string }> {
    const target = d.target as Extract<Target, { kind: "room" }>;
    try {
      // A thread may be named by its root's ref (`C…/ts`, what deliver returned for it) or by Slack's own ts.
      const thread = parseRef(target.thread)?.ts ?? target.thread;
      return await this.post(d, target.roomId, thread, parts);
    } catch (err) {
      const handle = decodeReplyHandle(target.replyHandle);
      const code = slackCodeOf(err);
      if (target.roomId.startsWith("D") && (code === "channel_not_found" || code === "not_in_channel") && this.usable(handle)) {
        if (await this.respond(handle!.responseUrl!, parts)) return {};
      }
      throw err;
    }
  }

  private async toMember(d: Delivery, userId: string, parts: SlackMessage[]): Promise<{ ref?: string }> {
    const cached = this.dmChannels.get(userId);
    const channel = cached ?? (await this.openDm(userId));
    try {
      return await this.post(d, channel, undefined, parts, userId);
    } catch (err) {
      // A DM channel remembered from before may be gone; open it afresh once.
      const code = slackCodeOf(err);
      if (!cached || (code !== "channel_not_found" && code !== "is_archived")) throw err;
      this.dmChannels.delete(userId);
      return this.post(d, await this.openDm(userId), undefined, parts, userId);
    }
  }

  private async openDm(userId: string): Promise<string> {
    const result = await this.call(() => this.opts.client.conversations.open({ users: userId }), { user: userId });
    const id = result.channel?.id;
    if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
    this.dmChannels.set(userId, id);
    return id;
  }

  /**
   * Posts the first part, and any further parts as replies in a thread
   * under it, each tagged with the delivery's uid. A delivery that may have
   * gone out already is first looked for in the channel: found, it is not
   * posted again.
   */
  private async post(d: Delivery, channel: string, thread: string | undefined, parts: SlackMessage[], user?: string): Promise<{ ref: string }> {
    if (d.maybeDelivered) {
      const earlier = await this.earlier.find(channel, thread, d.uid, d.queuedAt);
      if (earlier) {
        this.opts.log.info({ outboxId: d.id, channel }, "found a message already posted before a restart; not posting it again");
        return { ref: formatRef(channel, earlier) };
      }
    }
    const [first, ...rest] = parts;
    const ctx = { channel, user };
    const result = await this.call(
      () =>
        this.opts.client.chat.postMessage({ channel, text: first!.text, blocks: first!.blocks, metadata: outboxMetadata(d.uid), ...(thread ? { thread_ts: thread } : {}) }),
      ctx,
    );
    const ts = result.ts!;
    const posted = result.channel ?? channel;
    for (const [i, part] of rest.entries()) {
      try {
        await this.continuation(
          () => this.opts.client.chat.postMessage({ channel: posted, text: part.text, blocks: part.blocks, thread_ts: thread ?? ts, metadata: outboxMetadata(d.uid, i + 1) }),
          ctx,
        );
      } catch (err) {
        // The first part is out and referenced; resending it all would double it.
        this.opts.log.warn({ err, channel, part: i + 2, parts: parts.length }, "the rest of a long message could not be posted");
        break;
      }
    }
    return { ref: formatRef(posted, ts) };
  }

  private async continuation<T>(fn: () => Promise<T>, ctx: { channel?: string; user?: string }): Promise<T> {
    try {
      return await this.call(fn, ctx);
    } catch (err) {
      const wait = (err as DeliveryError).opts?.retryAfterMs;
      if (wait === undefined || wait > MAX_INLINE_WAIT_MS) throw err;
      await this.sleep(wait);
      return this.call(fn, ctx);
    }
  }

  /**
   * A file with its text as the comment (files.uploadV2: get an upload URL,
   * send the bytes, complete into the channel), the alt text for images.
   * Slack can't show a file to one person in a channel, so a private answer
   * with a file goes to the member's DM. Files carry no message metadata, so
   * a resend after a crash can't be recognised: at least once, as README says.
   */
  private async upload(d: Delivery, file: FileAttachment): Promise<{ ref?: string }> {
    if (!file.data) throw new DeliveryError(`the bytes of ${file.name} are no longer in the outbox`, { permanent: true });
    const target = d.target;
    const channel = target.kind === "room" ? target.roomId : (this.dmChannels.get(target.platformId) ?? (await this.openDm(target.platformId)));
    const thread = target.kind === "room" ? target.thread : undefined;
    const comment = toMrkdwn(d.message.text, d.mentions).slice(0, 4000);
    const upload = {
      channel_id: channel,
      file: Buffer.from(file.data, "base64"),
      filename: file.name,
      title: file.name,
      ...(file.mimeType.startsWith("image/") ? { alt_text: file.alt.slice(0, 1000) } : {}),
      ...(comment.trim() ? { initial_comment: comment } : {}),
    };
    await this.call(() => this.opts.client.filesUploadV2(thread ? { ...upload, thread_ts: thread } : upload), { channel });
    // Slack shares the file into the channel asynchronously: there is no message ts to edit later.
    return {};
  }

  /** Visible only to one member: through the invocation's response_url while it is good, else chat.postEphemeral. */
  private async ephemeral(target: EphemeralTarget, parts: SlackMessage[]): Promise<{ ref?: string }> {
    const handle = decodeReplyHandle(target.replyHandle);
    if (this.usable(handle) && (await this.respond(handle!.responseUrl!, parts))) return {};
    const thread = handle?.thread;
    for (const part of parts) {
      await this.call(
        () =>
          this.opts.client.chat.postEphemeral({
            channel: target.roomId,
            user: target.platformId,
            text: part.text,
            blocks: part.blocks,
            ...(thread ? { thread_ts: thread } : {}),
          }),
        { channel: target.roomId, user: target.platformId },
      );
    }
    // Ephemeral messages cannot be edited later, so they get no reference.
    return {};
  }

  private usable(handle: ReplyHandle | undefined): boolean {
    return Boolean(handle?.responseUrl && handle.at !== undefined && this.now() - handle.at < RESPONSE_URL_LIFETIME_MS);
  }

  /**
   * Posts to a response_url. False when Slack says the URL is spent or
   * expired (the caller falls back); throws when Slack can't be reached.
   */
  private async respond(url: string, parts: SlackMessage[]): Promise<boolean> {
    for (const part of parts) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: part.text, blocks: part.blocks }),
        });
      } catch (err) {
        throw new Error(`Slack unreachable (response_url): ${(err as Error).message}`);
      }
      await response.text().catch(() => "");
      if (response.status === 429) {
        const seconds = Number.parseInt(response.headers.get("retry-after") ?? "1", 10);
        throw new DeliveryError(`Slack rate limit: retry in ${seconds}s`, { retryAfterMs: (Number.isNaN(seconds) ? 1 : seconds) * 1000 });
      }
      if (response.status >= 500) throw new Error(`Slack unreachable (response_url): HTTP ${response.status}`);
      if (!response.ok) {
        this.opts.log.info({ status: response.status }, "response_url refused (expired or used up); falling back to the Web API");
        return false;
      }
    }
    return true;
  }

  private async edit(d: Delivery): Promise<{ ref?: string }> {
    const ref = parseRef(d.editsRef);
    if (!ref) throw new DeliveryError(`I can't edit a message I know only as "${d.editsRef}"`, { permanent: true });
    const message = renderEdit(d.message, d.mentions);
    await this.call(() => this.opts.client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }), {
      channel: ref.channel,
    });
    // The edited message keeps the reference of the post; the edit needs none of its own.
    return {};
  }

  /**
   * Takes a message out of a room. A bot token may delete only the bot's own
   * messages, so inbound events never offer a member's message for removal
   * (no `messageRef`); this serves refs of the bot's own posts.
   */
  private async remove(d: Delivery): Promise<{ ref?: string }> {
    const ref = parseRef(d.editsRef);
    if (!ref) throw new DeliveryError(`Slack does not let me remove that message (${d.editsRef}): a bot can delete only its own`, { permanent: true });
    try {
      await this.call(() => this.opts.client.chat.delete({ channel: ref.channel, ts: ref.ts }), { channel: ref.channel });
    } catch (err) {
      // Deleted by the attempt a restart interrupted: done already.
      if (!(d.maybeDelivered && slackCodeOf(err) === "message_not_found")) throw err;
    }
    if (d.message.text.trim() && d.target.kind === "room") await this.post(d, ref.channel, d.target.thread, renderMessage({ text: d.message.text }, d.mentions));
    return {};
  }

  private async call<T>(fn: () => Promise<T>, ctx: { channel?: string; user?: string }): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const names = this.opts.names;
      const channelName = ctx.channel ? names?.channel(ctx.channel) : undefined;
      const userName = ctx.user ? names?.user(ctx.user) : undefined;
      throw toDeliveryError(err, { ...ctx, channelName, userName, botMention: this.opts.botMention() });
    }
  }
}
