// Slack payloads → platform-free InboundEvents. Pure functions: the adapter
// looks up names and room kinds first (see users.ts, rooms.ts) and passes
// what it knows in `Known`.
import type { InboundEvent, RoomKind, VerifiedMention } from "../../bot/events.ts";

/** A slash command (HTTP form fields, or a Socket Mode `slash_commands` payload). */
export interface SlashCommandPayload {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  response_url?: string;
  trigger_id: string;
}

export interface ButtonAction {
  type: string;
  action_id: string;
  value?: string;
}

/** An interactivity payload of type `block_actions` (a button was clicked). */
export interface BlockActionsPayload {
  type: "block_actions";
  trigger_id: string;
  user: { id: string; username?: string; name?: string };
  channel?: { id: string; name?: string };
  container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean; thread_ts?: string };
  message?: { ts?: string; thread_ts?: string };
  response_url?: string;
  actions: ButtonAction[];
}

/** The inner `event` of an Events API `event_callback` (app_mention, message). */
export interface MessageLikeEvent {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
}

/** What the adapter found out about the sender and the room before building the event. */
export interface Known {
  displayName?: string;
  roomKind?: RoomKind;
  roomName?: string;
  /** Names of the people mentioned, by Slack id (empty when a lookup failed). */
  mentionNames?: Record<string, string>;
}

/** Slack ids of the people mentioned in raw Slack text (`<@U0BEA>`, `<@U0BEA|bea>`), the bot left out. */
export function mentionedUserIds(text: string | undefined, botUserId?: string): string[] {
  const ids = [...(text ?? "").matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!);
  return [...new Set(ids)].filter((id) => id !== botUserId);
}

/** The mentions Slack verified, as the core's text shows them (`@U0BEA`). */
function verifiedMentions(ids: string[], known: Known): { mentions?: VerifiedMention[] } {
  if (ids.length === 0) return {};
  return { mentions: ids.map((id) => ({ ref: `@${id}`, platformId: id, displayName: known.mentionNames?.[id] ?? "" })) };
}

/** What `replyHandle` carries: enough to answer that one invocation. */
export interface ReplyHandle {
  channel: string;
  user: string;
  /** Slack's response_url: works even where the bot is not a member; valid 30 minutes, 5 uses. */
  responseUrl?: string;
  /** When the invocation arrived (ms), to know whether responseUrl is still good. */
  at?: number;
  thread?: string;
}

export const encodeReplyHandle = (handle: ReplyHandle): string => JSON.stringify(handle);

export function decodeReplyHandle(text: string | undefined): ReplyHandle | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as ReplyHandle;
    return typeof value === "object" && value !== null && typeof value.channel === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Slack's message formatting → the core's grammar: `<@U1|bob>` → `@U1`,
 * `<#C1|general>` → `#C1`, `<https://x|label>` → `https://x`, `<!here>` →
 * `@here`; then `&amp; &lt; &gt;` are unescaped. Phones and Macs turn `--`
 * into a dash; a dash right before an option name is read as `--` again.
 */
export function normaliseText(text: string): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = "", label] = inner.split("|");
    if (target.startsWith("@")) return `@${target.slice(1)}`;
    if (target.startsWith("#")) return `#${target.slice(1)}`;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
    return target;
  });
  return replaced
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\u00a0/g, " ")
    .replace(/(^|\s)[\u2014\u2013](?=[a-z])/gi, "$1--")
    .trim();
}

/** `<@UBOT> help` → `help` (and a mention anywhere else is dropped). */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  const mention = new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g");
  return text.replace(mention, " ").replace(/\s+/g, " ").trim();
}

/**
 * DM: a `D…` channel, slash `channel_name` "directmessage", event
 * `channel_type` "im". Private: "privategroup", "mpdm-…", `G…` ids, or what
 * conversations.info said. Anything unknown is public: the kind that shows
 * the least.
 */
export function roomKindOf(
  channelId: string,
  hints: { channelName?: string; channelType?: string; isPrivate?: boolean; isIm?: boolean; isMpim?: boolean } = {},
): RoomKind {
  const { channelName, channelType } = hints;
  if (channelId.startsWith("D") || channelName === "directmessage" || channelType === "im" || hints.isIm) return "dm";
  if (
    channelId.startsWith("G") ||
    channelName === "privategroup" ||
    channelName?.startsWith("mpdm-") ||
    channelType === "group" ||
    channelType === "mpim" ||
    hints.isPrivate ||
    hints.isMpim
  ) {
    return "private";
  }
  return "public";
}

/** A room name worth showing (`general`), not Slack's placeholders for DMs and private channels. */
export function usableChannelName(name: string | undefined): string | undefined {
  if (!name || name === "directmessage" || name === "privategroup" || name.startsWith("mpdm-")) return undefined;
  return name;
}

/** `/coop role grant <@U2|bob> admin` → `role grant @U2 admin`, answered through its response_url. */
export function slashCommandEvent(p: SlashCommandPayload, known: Known, now: number): InboundEvent {
  return {
    platform: "slack",
    eventId: p.trigger_id,
    sender: { platformId: p.user_id, displayName: known.displayName ?? p.user_name ?? p.user_id },
    room: {
      id: p.channel_id,
      kind: known.roomKind ?? roomKindOf(p.channel_id, { channelName: p.channel_name }),
      ...nameField(known.roomName ?? usableChannelName(p.channel_name)),
    },
    text: normaliseText(p.text ?? ""),
    addressed: true,
    replyHandle: encodeReplyHandle({ channel: p.channel_id, user: p.user_id, responseUrl: p.response_url, at: now }),
    ...verifiedMentions(mentionedUserIds(p.text), known),
  };
}

/** A button click runs the button's command (its `value`). Undefined for anything that is not one of our buttons. */
export function blockActionEvent(p: BlockActionsPayload, action: ButtonAction, known: Known, now: number): InboundEvent | undefined {
  if (action.type !== "button" || !action.value) return undefined;
  const channel = p.channel?.id ?? p.container?.channel_id;
  if (!channel) return undefined;
  const messageTs = p.container?.message_ts ?? p.message?.ts;
  const thread = p.container?.thread_ts ?? p.message?.thread_ts;
  return {
    platform: "slack",
    eventId: p.trigger_id,
    sender: { platformId: p.user.id, displayName: known.displayName ?? p.user.name ?? p.user.username ?? p.user.id },
    room: {
      id: channel,
      kind: known.roomKind ?? roomKindOf(channel, { channelName: p.channel?.name }),
      ...nameField(known.roomName ?? usableChannelName(p.channel?.name)),
    },
    text: action.value,
    addressed: true,
    button: messageTs ? { messageRef: `${channel}/${messageTs}` } : {},
    ...(thread && thread !== messageTs ? { thread } : {}),
    replyHandle: encodeReplyHandle({ channel, user: p.user.id, responseUrl: p.response_url, at: now, ...(thread ? { thread } : {}) }),
  };
}

/**
 * `@coopbot help` in a channel (app_mention) or `help` in the bot's DM
 * (message.im). Undefined for what the bot should not act on: edits,
 * deletions, other bots, and the app_mention twin of a DM.
 */
export function messageEvent(eventId: string, e: MessageLikeEvent, botUserId: string | undefined, known: Known): InboundEvent | undefined {
  if (!e.user || e.bot_id || (e.subtype && e.subtype !== "thread_broadcast")) return undefined;
  if (e.user === botUserId) return undefined;
  const kind = known.roomKind ?? roomKindOf(e.channel, { channelType: e.channel_type });
  if (e.type === "app_mention" && kind === "dm") return undefined;
  const mentioned = botUserId !== undefined && (e.text ?? "").includes(`<@${botUserId}`);
  const addressed = e.type === "app_mention" || kind === "dm";
  // A channel message that mentions the bot also arrives as app_mention; act on that one only.
  if (!addressed && mentioned) return undefined;
  const raw = addressed ? stripBotMention(e.text ?? "", botUserId) : (e.text ?? "");
  return {
    platform: "slack",
    eventId,
    sender: { platformId: e.user, displayName: known.displayName ?? e.user },
    room: { id: e.channel, kind, ...nameField(known.roomName) },
    text: addressed ? normaliseText(raw).replace(/^\/coop(\s+|$)/i, "") : normaliseText(raw),
    addressed,
    // Everyone in the channel can read it, and a bot token can't delete it (no messageRef).
    visibleInRoom: true,
    ...(e.thread_ts ? { thread: e.thread_ts, threadRef: `${e.channel}/${e.thread_ts}` } : {}),
    replyHandle: encodeReplyHandle({ channel: e.channel, user: e.user, ...(e.thread_ts ? { thread: e.thread_ts } : {}) }),
    ...verifiedMentions(mentionedUserIds(raw, botUserId), known),
  };
}

const nameField = (name: string | undefined): { name?: string } => (name ? { name } : {});
