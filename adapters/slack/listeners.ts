// Bolt listeners: ack at once (Slack wants it within 3 s), look up the
// sender's name and the room's kind (cached), then hand the event to the
// core. Lookups run side by side; events reach the core in arrival order.
import type { App } from "@slack/bolt";
import type { CorePort } from "../../bot/adapter.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import type { HandleResult } from "../../bot/router.ts";
import type { Directory } from "./directory.ts";
import {
  type BlockActionsPayload,
  blockActionEvent,
  type Known,
  messageEvent,
  type MessageLikeEvent,
  roomKindOf,
  type SlashCommandPayload,
  slashCommandEvent,
  usableChannelName,
} from "./inbound.ts";
import { BUTTON_ACTION_ID } from "./render.ts";
import type { RoomInfo } from "./rooms.ts";

/** What happened to one inbound Slack payload (for logs and tests). */
export interface InboundReport {
  /** event_id for Events API payloads, trigger_id for slash commands and clicks. */
  eventId: string;
  event?: InboundEvent;
  result?: HandleResult;
  /** Why nothing was passed to the core. */
  skipped?: string;
}

export interface InboundOptions {
  core: () => CorePort | undefined;
  users: Directory<string>;
  rooms: Directory<RoomInfo>;
  log: Logger;
  botUserId: () => string | undefined;
  now?: () => number;
  onInbound?: (report: InboundReport) => void;
}

interface EventBody {
  event_id?: string;
}

export class InboundHandler {
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly opts: InboundOptions) {
    this.now = opts.now ?? Date.now;
  }

  register(app: App): void {
    // The manifest declares one command (`/coop`); whatever a workspace renamed it to is ours.
    app.command(/.*/, async ({ ack, command }) => {
      await ack();
      this.slash(command as unknown as SlashCommandPayload);
    });
    app.action({ type: "block_actions", action_id: BUTTON_ACTION_ID }, async ({ ack, body, action }) => {
      await ack();
      this.click(body as unknown as BlockActionsPayload, action as unknown as BlockActionsPayload["actions"][number]);
    });
    app.event("app_mention", async ({ event, body }) => {
      this.message((body as EventBody).event_id, event as unknown as MessageLikeEvent);
    });
    app.event("message", async ({ event, body }) => {
      this.message((body as EventBody).event_id, event as unknown as MessageLikeEvent);
    });
    app.error(async (error) => {
      this.opts.log.error({ err: error }, "Slack listener failed");
    });
  }

  /** Resolves once every event received so far has been handed to the core. */
  idle(): Promise<void> {
    return this.queue;
  }

  private slash(p: SlashCommandPayload): void {
    const kind = roomKindOf(p.channel_id, { channelName: p.channel_name });
    const name = usableChannelName(p.channel_name) ?? this.opts.rooms.peek(p.channel_id)?.name;
    // The slash payload says what kind of room this is; remember it for mentions and clicks there.
    this.opts.rooms.remember(p.channel_id, name ? { kind, name } : { kind });
    const known = this.opts.users.get(p.user_id).then((displayName): Known => ({ displayName, roomKind: kind, roomName: name }));
    this.enqueue(p.trigger_id, known, (k) => slashCommandEvent(p, k, this.now()));
  }

  private click(p: BlockActionsPayload, action: BlockActionsPayload["actions"][number]): void {
    const channel = p.channel?.id ?? p.container?.channel_id ?? "";
    const known = Promise.all([this.opts.users.get(p.user.id), this.roomOf(channel, p.channel?.name)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind, roomName: room?.name }),
    );
    this.enqueue(p.trigger_id, known, (k) => blockActionEvent(p, action, k, this.now()));
  }

  private message(eventId: string | undefined, e: MessageLikeEvent): void {
    const id = eventId ?? `${e.channel}:${e.ts}`;
    if (!e.user || e.bot_id || (e.subtype && e.subtype !== "thread_broadcast")) {
      this.opts.onInbound?.({ eventId: id, skipped: e.subtype ?? "not from a person" });
      return;
    }
    const hintKind = e.channel_type ? roomKindOf(e.channel, { channelType: e.channel_type }) : undefined;
    const known = Promise.all([this.opts.users.get(e.user), hintKind === "dm" ? undefined : this.roomOf(e.channel)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind ?? hintKind, roomName: room?.name }),
    );
    this.enqueue(id, known, (k) => messageEvent(id, e, this.opts.botUserId(), k));
  }

  private async roomOf(channel: string, name?: string): Promise<RoomInfo | undefined> {
    if (!channel) return undefined;
    const hinted = roomKindOf(channel, { channelName: name });
    if (hinted !== "public") return { kind: hinted };
    return this.opts.rooms.get(channel);
  }

  private enqueue(eventId: string, known: Promise<Known>, build: (known: Known) => InboundEvent | undefined): void {
    this.queue = this.queue
      .then(async () => {
        const event = build(await known.catch((): Known => ({})));
        const core = this.opts.core();
        if (!event) return this.opts.onInbound?.({ eventId, skipped: "not for the bot" });
        if (!core) {
          this.opts.log.warn({ eventId }, "Slack event arrived while the adapter is stopped; ignored");
          return this.opts.onInbound?.({ eventId, event, skipped: "adapter stopped" });
        }
        const result = core.receive(event);
        this.opts.log.debug({ eventId, outcome: result.outcome, command: result.command }, "slack event handled");
        this.opts.onInbound?.({ eventId, event, result });
      })
      .catch((err) => {
        this.opts.log.error({ err, eventId }, "Slack event could not be handled");
        this.opts.onInbound?.({ eventId, skipped: "error" });
      });
  }
}
