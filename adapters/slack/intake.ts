// What happens between Bolt's receiver and Slack's ack: a payload is
// classified (ours, or not for the bot, or malformed), trimmed to what the
// bot needs, written to the core's durable inbox, and only then
// acknowledged. Names and rooms are looked up afterwards (inbound-worker.ts).
//
// Bolt's receivers (HTTP: signatures and timestamps; Socket Mode: the
// socket) hand every request to `processEvent`, the same entry point they
// use for a Bolt App. We don't route through an App: it acknowledges Events
// API payloads before any listener runs, which is exactly the order that
// loses acknowledged events in a crash.
import type { ReceiverEvent } from "@slack/bolt";
import type { CorePort } from "../../bot/adapter.ts";
import type { InboxEntry } from "../../bot/inbox.ts";
import type { Logger } from "../../bot/log.ts";
import type { BlockActionsPayload, MessageLikeEvent, SlashCommandPayload } from "./inbound.ts";
import { BUTTON_ACTION_ID } from "./render.ts";
import { displayNameOf } from "./users.ts";

/** A payload worth storing: its Slack id (trigger_id or event_id) and what the bot keeps of it. */
export type Classified =
  | { kind: "slash"; id: string; payload: SlashCommandPayload }
  | { kind: "click"; id: string; payload: BlockActionsPayload }
  | { kind: "event"; id: string; payload: StoredEvent }
  | { kind: "rename"; id: string; userId: string; name: string }
  | { kind: "skip"; reason: string; malformed?: boolean };

/** An Events API callback as stored: its id and the inner event. */
export interface StoredEvent {
  event_id: string;
  event: MessageLikeEvent;
}

/** What the inbox holds for Slack: one of the three kinds, trimmed. */
export type StoredPayload = { kind: "slash"; body: SlashCommandPayload } | { kind: "click"; body: BlockActionsPayload } | { kind: "event"; body: StoredEvent };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const malformed = (reason: string): Classified => ({ kind: "skip", reason, malformed: true });

/** Sorts one signed payload. Pure: it looks at shapes only, never at what people wrote. */
export function classify(body: unknown): Classified {
  if (!isObject(body)) return malformed(`payload is ${body === null ? "null" : Array.isArray(body) ? "an array" : typeof body}`);
  if (typeof body.command === "string") return classifySlash(body);
  if (body.type === "block_actions") return classifyClick(body);
  if (body.type === "event_callback") return classifyEvent(body);
  return { kind: "skip", reason: `not handled: ${str(body.type) ?? "unknown type"}` };
}

function classifySlash(b: Json): Classified {
  const trigger = str(b.trigger_id);
  const user = str(b.user_id);
  const channel = str(b.channel_id);
  if (!trigger || !user || !channel) return malformed("slash command without trigger_id, user_id or channel_id");
  const payload: SlashCommandPayload = {
    command: b.command as string,
    text: str(b.text) ?? "",
    user_id: user,
    channel_id: channel,
    trigger_id: trigger,
    ...optional("user_name", str(b.user_name)),
    ...optional("channel_name", str(b.channel_name)),
    ...optional("response_url", str(b.response_url)),
  };
  return { kind: "slash", id: trigger, payload };
}

function classifyClick(b: Json): Classified {
  const trigger = str(b.trigger_id);
  const user = isObject(b.user) ? b.user : undefined;
  if (!trigger || !user || !str(user.id) || !Array.isArray(b.actions)) return malformed("block_actions without trigger_id, user or actions");
  const action = (b.actions as unknown[]).find((a) => isObject(a) && typeof a.action_id === "string" && BUTTON_ACTION_ID.test(a.action_id) && a.type === "button" && typeof a.value === "string") as
    | BlockActionsPayload["actions"][number]
    | undefined;
  if (!action) return { kind: "skip", reason: "not one of our buttons" };
  const channel = isObject(b.channel) ? b.channel : undefined;
  const container = isObject(b.container) ? b.container : undefined;
  const message = isObject(b.message) ? b.message : undefined;
  const payload: BlockActionsPayload = {
    type: "block_actions",
    trigger_id: trigger,
    user: { id: user.id as string, ...optional("username", str(user.username)), ...optional("name", str(user.name)) },
    actions: [{ type: "button", action_id: action.action_id, value: action.value }],
    ...optional("channel", channel && str(channel.id) ? { id: channel.id as string, ...optional("name", str(channel.name)) } : undefined),
    ...optional("container", container ? pick(container, ["type", "message_ts", "channel_id", "is_ephemeral", "thread_ts"]) : undefined),
    ...optional("message", message ? pick(message, ["ts", "thread_ts"]) : undefined),
    ...optional("response_url", str(b.response_url)),
  };
  return { kind: "click", id: trigger, payload };
}

function classifyEvent(b: Json): Classified {
  const id = str(b.event_id);
  const event = isObject(b.event) ? b.event : undefined;
  if (!id || !event) return malformed("event_callback without event_id or event");
  if (event.type === "user_change") return classifyRename(id, event);
  if (event.type !== "app_mention" && event.type !== "message") return { kind: "skip", reason: `event ${str(event.type) ?? "?"} not subscribed` };
  if (!str(event.user) || event.bot_id || (event.subtype && event.subtype !== "thread_broadcast")) {
    return { kind: "skip", reason: str(event.subtype) ?? "not from a person" };
  }
  if (!str(event.channel) || !str(event.ts)) return malformed("message event without channel or ts");
  if (event.text !== undefined && typeof event.text !== "string") return malformed("message event whose text is not text");
  if (isChannelChatter(event)) return { kind: "skip", reason: "a channel message not for the bot" };
  const inner = pick(event, ["type", "subtype", "user", "text", "channel", "channel_type", "ts", "thread_ts"]) as unknown as MessageLikeEvent;
  return { kind: "event", id, payload: { event_id: id, event: inner } };
}

/**
 * With the optional `message.channels` / `message.groups` subscription, every
 * message in the bot's channels arrives; only lines that start with a #word
 * (meeting notes: `#action @bea …`) are for the bot. Anything else is
 * dropped here, before it is stored. A message that mentions the bot also
 * comes as an app_mention, which is the one acted on.
 */
function isChannelChatter(event: Json): boolean {
  if (event.type !== "message") return false;
  const type = str(event.channel_type);
  const inChannel = type === "channel" || type === "group" || (type === undefined && /^[CG]/.test(str(event.channel) ?? ""));
  return inChannel && !/^\s*#[a-z]+\b/i.test(str(event.text) ?? "");
}

/** Someone changed their name or profile: only the name is kept. */
function classifyRename(id: string, event: Json): Classified {
  const user = isObject(event.user) ? event.user : undefined;
  const userId = user && str(user.id);
  const name = user && displayNameOf(user as Parameters<typeof displayNameOf>[0]);
  if (!userId || !name) return { kind: "skip", reason: "user_change without a name" };
  return { kind: "rename", id, userId, name };
}

function pick(from: Json, keys: string[]): Json {
  const out: Json = {};
  for (const key of keys) if (from[key] !== undefined && (typeof from[key] !== "object" || from[key] === null)) out[key] = from[key];
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export interface IntakeOptions {
  core: () => CorePort | undefined;
  log: Logger;
  /** A payload is stored and acknowledged: run it (in arrival order). */
  onStored(entry: InboxEntry): void;
  /** A payload that needs nothing from the bot (logs, tests). */
  onSkipped?(id: string, reason: string): void;
  /** Someone renamed themselves: not a command, so nothing to store first; a lost one is corrected next time they speak. */
  onRename?(eventId: string, userId: string, name: string): void;
}

/** Bolt's receivers call `processEvent` for every signed request or socket envelope. */
export class SlackIntake {
  constructor(private readonly opts: IntakeOptions) {}

  async processEvent(event: ReceiverEvent): Promise<void> {
    const item = classify(event.body);
    if (item.kind === "skip") {
      // Logged once, by shape only: a malformed payload's content never reaches the log.
      if (item.malformed) this.opts.log.warn({ reason: item.reason }, "Slack sent a payload I can't use; acknowledged and ignored");
      await event.ack();
      this.opts.onSkipped?.(idOf(event.body), item.reason);
      return;
    }
    if (item.kind === "rename") {
      await event.ack();
      this.opts.onRename?.(item.id, item.userId, item.name);
      return;
    }
    const core = this.opts.core();
    // Stopped: no ack, so Slack sends it again (Events API) or tells the person it failed.
    if (!core) throw new Error("the Slack adapter is stopping");
    // Throws when the payload could not be stored: the receiver then answers
    // with an error (no ack), and Slack may send it again.
    const entry = await core.inbox.accept("slack", item.id, stored(item));
    await event.ack();
    if (entry) this.opts.onStored(entry);
    else this.opts.onSkipped?.(item.id, "already waiting in the inbox");
  }
}

function stored(item: Exclude<Classified, { kind: "skip" | "rename" }>): StoredPayload {
  switch (item.kind) {
    case "slash":
      return { kind: "slash", body: item.payload };
    case "click":
      return { kind: "click", body: item.payload };
    case "event":
      return { kind: "event", body: item.payload };
  }
}

function idOf(body: unknown): string {
  if (!isObject(body)) return "(malformed)";
  return str(body.event_id) ?? str(body.trigger_id) ?? "(no id)";
}
