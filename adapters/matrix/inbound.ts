// Matrix events → the core's InboundEvent (pure: the adapter looks up the
// room and the sender's name first and passes them in).
//
// Mentions: a pill (`<a href="https://matrix.to/#/@alice:hs">Alice</a>`)
// becomes the bare user id `@alice:hs`. The grammar reads `@…` as a mention,
// and CommandContext.resolveMember looks it up as a platform id on the
// asker's platform: for Matrix the platform id *is* the full user id, so the
// token is the user id itself (a bare `@alice:hs` typed by hand is already one).
import type { InboundEvent, RoomKind } from "../../bot/events.ts";

type Json = Record<string, any>;

export interface RoomContext {
  id: string;
  kind: RoomKind;
  name?: string;
}

export interface MessageContext {
  botUserId: string;
  /** Without the trailing space: `!coop`. */
  prefix: string;
  room: RoomContext;
  /** The sender's display name (from their member event or profile). */
  displayName: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const PILL = /<a\s[^>]*?href\s*=\s*["']https:\/\/matrix\.to\/#\/((?:@|%40)[^"'?/]+)[^"']*["'][^>]*>[\s\S]*?<\/a>/gi;

/** Matrix HTML → the text a person meant, with user pills as bare user ids. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<mx-reply>[\s\S]*?<\/mx-reply>/gi, "")
      .replace(PILL, (_, id: string) => {
        try {
          return decodeURIComponent(id);
        } catch {
          return id;
        }
      })
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(p|div|li|h[1-6]|blockquote|pre|tr)>/gi, "\n")
      .replace(/<[^>]+>/g, ""),
  ).replace(/\n+$/, "");
}

/** Drops the `> <@alice:hs> quoted` fallback older clients put in a reply's body. */
export function stripReplyFallback(body: string): string {
  if (!body.startsWith("> ")) return body;
  const lines = body.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i++;
  if (lines[i] === "") i++;
  return lines.slice(i).join("\n");
}

/** The text of a person's message, or undefined when it isn't one we read (notices, images, edits, redacted). */
export function messageText(content: Json | undefined): string | undefined {
  if (!content || typeof content.body !== "string") return undefined;
  if (content.msgtype !== "m.text") return undefined; // m.notice is what bots send: never answer one
  if (content["m.relates_to"]?.rel_type === "m.replace" || content["m.new_content"]) return undefined;
  const isReply = Boolean(content["m.relates_to"]?.["m.in_reply_to"]);
  if (content.format === "org.matrix.custom.html" && typeof content.formatted_body === "string") {
    return htmlToText(content.formatted_body);
  }
  return isReply ? stripReplyFallback(content.body) : content.body;
}

/** The thread root, when a message was sent in a thread. */
export function threadOf(content: Json | undefined): string | undefined {
  const rel = content?.["m.relates_to"];
  return rel?.rel_type === "m.thread" && typeof rel.event_id === "string" ? rel.event_id : undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether a message is addressed to the bot, and the command without the
 * address: `!coop join comms` (the prefix, any case), `@coopbot:hs: join comms`
 * (a mention of the bot first), or anything at all in a DM.
 */
export function addressing(text: string, opts: { prefix: string; botUserId: string; isDm: boolean }): { addressed: boolean; text: string } {
  const trimmed = text.trim();
  const prefixed = new RegExp(`^${escapeRegex(opts.prefix)}(?:\\s+|$)`, "i").exec(trimmed);
  if (prefixed) return { addressed: true, text: trimmed.slice(prefixed[0].length) };
  const mentioned = new RegExp(`^${escapeRegex(opts.botUserId)}[:,]?(?:\\s+|$)`, "i").exec(trimmed);
  if (mentioned) return { addressed: true, text: trimmed.slice(mentioned[0].length) };
  return { addressed: opts.isDm, text: opts.isDm ? trimmed : text };
}

/** Whether an event is older than `cutoff` (origin_server_ts, the homeserver's clock). */
export function isOlderThan(event: Json, cutoff: number): boolean {
  const ts = event.origin_server_ts;
  return typeof ts === "number" && ts < cutoff;
}

/** An `m.room.message` as an InboundEvent, or undefined for what the bot ignores (its own, notices, edits…). */
export function messageToInbound(event: Json, ctx: MessageContext): InboundEvent | undefined {
  if (event.type !== "m.room.message" || typeof event.event_id !== "string" || typeof event.sender !== "string") return undefined;
  if (event.sender === ctx.botUserId) return undefined;
  const raw = messageText(event.content);
  if (raw === undefined) return undefined;
  const { addressed, text } = addressing(raw, { prefix: ctx.prefix, botUserId: ctx.botUserId, isDm: ctx.room.kind === "dm" });
  const thread = threadOf(event.content);
  return {
    platform: "matrix",
    eventId: event.event_id,
    sender: { platformId: event.sender, displayName: ctx.displayName },
    room: { id: ctx.room.id, kind: ctx.room.kind, ...(ctx.room.name ? { name: ctx.room.name } : {}) },
    text,
    addressed,
    ...(thread ? { thread } : {}),
    replyHandle: event.event_id,
    messageRef: event.event_id,
    visibleInRoom: true,
  };
}

/**
 * An edit (`m.replace`) as an event the core's room guards can look at: the
 * new text, and the message it replaces (both are taken out together). It
 * runs no command: editing a command doesn't run it again.
 */
export function editToInbound(event: Json, ctx: MessageContext): InboundEvent | undefined {
  const rel = event.content?.["m.relates_to"];
  const fresh = event.content?.["m.new_content"];
  if (event.type !== "m.room.message" || rel?.rel_type !== "m.replace" || typeof rel.event_id !== "string" || !fresh) return undefined;
  if (event.sender === ctx.botUserId || typeof event.event_id !== "string") return undefined;
  const raw = messageText({ ...fresh, "m.relates_to": undefined });
  if (raw === undefined) return undefined;
  const { addressed, text } = addressing(raw, { prefix: ctx.prefix, botUserId: ctx.botUserId, isDm: ctx.room.kind === "dm" });
  return {
    platform: "matrix",
    eventId: event.event_id,
    sender: { platformId: event.sender, displayName: ctx.displayName },
    room: { id: ctx.room.id, kind: ctx.room.kind, ...(ctx.room.name ? { name: ctx.room.name } : {}) },
    text,
    addressed,
    messageRef: event.event_id,
    visibleInRoom: true,
    edits: rel.event_id,
  };
}

/** An `m.reaction`'s target and key. */
export function reactionOf(event: Json): { target: string; key: string } | undefined {
  if (event.type !== "m.reaction") return undefined;
  const rel = event.content?.["m.relates_to"];
  if (rel?.rel_type !== "m.annotation" || typeof rel.event_id !== "string" || typeof rel.key !== "string") return undefined;
  return { target: rel.event_id, key: rel.key };
}

/** A reaction standing for a button: the button's command, as if typed. */
export function reactionToInbound(
  event: Json,
  command: string,
  ctx: { room: RoomContext; displayName: string; target: string },
): InboundEvent {
  return {
    platform: "matrix",
    eventId: event.event_id,
    sender: { platformId: event.sender, displayName: ctx.displayName },
    room: { id: ctx.room.id, kind: ctx.room.kind, ...(ctx.room.name ? { name: ctx.room.name } : {}) },
    text: command,
    addressed: true,
    button: { messageRef: ctx.target },
    replyHandle: ctx.target,
  };
}

/** Full Matrix user ids in a command's text (pills arrive as these too), the bot left out. */
export function userIdsIn(text: string, botUserId: string): string[] {
  const ids = [...text.matchAll(/(?:^|[\s(,;])(@[a-z0-9._=\/+-]+:[a-z0-9.-]+(?::\d+)?)/gi)].map((m) => m[1]!.replace(/[.,;:!?)]+$/, ""));
  return [...new Set(ids)].filter((id) => id !== botUserId);
}

/** The localpart of a user id, a last-resort display name: `@alice:hs` → `alice`. */
export function localpart(userId: string): string {
  return userId.replace(/^@/, "").split(":")[0] || userId;
}
