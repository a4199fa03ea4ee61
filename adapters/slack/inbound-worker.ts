// From the durable inbox to the core: for each stored Slack payload, look up
// the sender's name and the room's kind (cached, side by side), build the
// platform-free event and hand it to the core, which deletes the inbox row
// in the same transaction as the event's effects. Events reach the core in
// the order they were stored.
import type { CorePort } from "../../bot/adapter.ts";
import type { Clock } from "../../bot/clock.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { InboxEntry } from "../../bot/inbox.ts";
import type { Logger } from "../../bot/log.ts";
import type { HandleResult } from "../../bot/router.ts";
import type { Directory } from "./directory.ts";
import {
  type BlockActionsPayload,
  blockActionEvent,
  type Known,
  mentionedUserIds,
  messageEvent,
  roomKindOf,
  type SlashCommandPayload,
  slashCommandEvent,
  usableChannelName,
} from "./inbound.ts";
import type { StoredEvent, StoredPayload } from "./intake.ts";
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

export interface WorkerOptions {
  core: () => CorePort | undefined;
  users: Directory<string>;
  rooms: Directory<RoomInfo>;
  log: Logger;
  clock: Clock;
  botUserId: () => string | undefined;
  onInbound?: (report: InboundReport) => void;
}

export class InboundWorker {
  private queue: Promise<void> = Promise.resolve();
  private readonly waiting: Waiting[] = [];

  constructor(private readonly opts: WorkerOptions) {}

  /** Runs one stored payload after those before it; its look-ups start now. */
  push(entry: InboxEntry): void {
    const stored = entry.payload as StoredPayload;
    let known: Promise<Known>;
    let build: (k: Known) => InboundEvent | undefined;
    switch (stored.kind) {
      case "slash":
        known = this.knownForSlash(stored.body);
        build = (k) => slashCommandEvent(stored.body, k, entry.receivedAt);
        break;
      case "click":
        known = this.knownForClick(stored.body);
        build = (k) => blockActionEvent(stored.body, stored.body.actions[0]!, k, entry.receivedAt);
        break;
      case "event":
        known = this.knownForMessage(stored.body);
        build = (k) => messageEvent(stored.body.event_id, stored.body.event, this.opts.botUserId(), k);
        break;
      default:
        known = Promise.resolve({});
        build = () => undefined;
    }
    const withNames = Promise.all([known, this.mentionNames(stored)]).then(([k, mentionNames]): Known => ({ ...k, mentionNames }));
    this.enqueue(entry, withNames.catch((): Known => ({})), build);
  }

  /** The names of the people a command mentions (cached like the sender's); empty where Slack didn't say. */
  private async mentionNames(stored: StoredPayload): Promise<Record<string, string>> {
    const text = stored.kind === "slash" ? stored.body.text : stored.kind === "event" ? stored.body.event.text : undefined;
    const ids = mentionedUserIds(text, this.opts.botUserId());
    const names = await Promise.all(ids.map((id) => this.opts.users.get(id).catch(() => undefined)));
    return Object.fromEntries(ids.map((id, i) => [id, names[i] ?? ""]));
  }

  /** Resolves once every payload pushed so far has reached the core. */
  idle(): Promise<void> {
    return this.queue;
  }

  private knownForSlash(p: SlashCommandPayload): Promise<Known> {
    const kind = roomKindOf(p.channel_id, { channelName: p.channel_name });
    const name = usableChannelName(p.channel_name) ?? this.opts.rooms.peek(p.channel_id)?.name;
    // The slash payload says what kind of room this is; remember it for mentions and clicks there.
    this.opts.rooms.remember(p.channel_id, name ? { kind, name } : { kind });
    return this.opts.users.get(p.user_id).then((displayName): Known => ({ displayName, roomKind: kind, roomName: name }));
  }

  private knownForClick(p: BlockActionsPayload): Promise<Known> {
    const channel = p.channel?.id ?? p.container?.channel_id ?? "";
    return Promise.all([this.opts.users.get(p.user.id), this.roomOf(channel, p.channel?.name)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind, roomName: room?.name }),
    );
  }

  private knownForMessage(p: StoredEvent): Promise<Known> {
    const e = p.event;
    const hintKind = e.channel_type ? roomKindOf(e.channel, { channelType: e.channel_type }) : undefined;
    return Promise.all([e.user ? this.opts.users.get(e.user) : undefined, hintKind === "dm" ? undefined : this.roomOf(e.channel)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind ?? hintKind, roomName: room?.name }),
    );
  }

  private async roomOf(channel: string, name?: string): Promise<RoomInfo | undefined> {
    if (!channel) return undefined;
    const hinted = roomKindOf(channel, { channelName: name });
    if (hinted !== "public") return { kind: hinted };
    return this.opts.rooms.get(channel);
  }

  /**
   * Queues the entry behind those before it. Entries whose look-ups are done
   * by the time their turn comes are handed to the core together (one
   * transaction for the lot: group commit), still in the order they were
   * stored.
   */
  private enqueue(entry: InboxEntry, known: Promise<Known>, build: (known: Known) => InboundEvent | undefined): void {
    const waiting: Waiting = { entry, build };
    known.then((k) => (waiting.known = k));
    this.waiting.push(waiting);
    this.queue = this.queue.then(async () => {
      await known;
      await this.handleReady();
    });
  }

  /** Hands every entry at the head of the line whose look-ups are done to the core. */
  private async handleReady(): Promise<void> {
    const ready: Waiting[] = [];
    while (this.waiting.length > 0 && this.waiting[0]!.known !== undefined) ready.push(this.waiting.shift()!);
    if (ready.length === 0) return;
    const core = this.opts.core();
    // Stopped: the rows stay in the inbox and run at the next start.
    if (!core) {
      for (const w of ready) this.opts.onInbound?.({ eventId: w.entry.eventId, skipped: "adapter stopped" });
      return;
    }
    const arrivals: { waiting: Waiting; event: InboundEvent }[] = [];
    for (const w of ready) {
      const event = this.built(core, w);
      if (event) arrivals.push({ waiting: w, event });
    }
    if (arrivals.length === 0) return;
    try {
      const results = core.receiveMany(arrivals.map((a) => ({ event: a.event, inboxId: a.waiting.entry.id })));
      arrivals.forEach((a, i) => {
        const result = results[i]!;
        this.opts.log.debug({ eventId: a.waiting.entry.eventId, outcome: result.outcome, command: result.command }, "slack event handled");
        this.opts.onInbound?.({ eventId: a.waiting.entry.eventId, event: a.event, result });
      });
    } catch (err) {
      // The core answers every event itself; this is a bug, logged without the payloads.
      this.opts.log.error({ err, events: arrivals.length }, "stored Slack events could not be handed to the core");
    }
  }

  /** The event for a stored payload, or undefined (it was not for the bot, or could not be read: its row goes). */
  private built(core: CorePort, w: Waiting): InboundEvent | undefined {
    const { eventId, id } = w.entry;
    try {
      const event = w.build(w.known!);
      if (!event) {
        core.inbox.done(id);
        this.opts.onInbound?.({ eventId, skipped: "not for the bot" });
      }
      return event;
    } catch (err) {
      // A bug in turning the payload into an event: logged without the payload, and not retried forever.
      this.opts.log.error({ err, eventId }, "a stored Slack event could not be handled");
      core.inbox.done(id);
      this.opts.onInbound?.({ eventId, skipped: "error" });
      return undefined;
    }
  }
}

/** A stored entry waiting its turn; `known` is set once its look-ups are done. */
interface Waiting {
  entry: InboxEntry;
  build: (known: Known) => InboundEvent | undefined;
  known?: Known;
}
