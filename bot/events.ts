// The platform-free shapes that cross the adapter seam: what arrives
// (InboundEvent) and what the core asks to be sent (OutboundMessage, Target).

/** Where people have accounts and talk to the bot. */
export type ChatPlatform = "console" | "slack" | "matrix";
/** Where the bot delivers: the chat platforms, and email (clinic enquirers from the website, who have no account). */
export type Platform = ChatPlatform | "email";
export const PLATFORMS: readonly ChatPlatform[] = ["console", "slack", "matrix"];

export type RoomKind = "public" | "private" | "dm";

export interface RoomRef {
  platform: Platform;
  id: string;
  kind: RoomKind;
  /** Human name if the platform gave one (e.g. `#comms`). */
  name?: string;
}

export interface InboundEvent {
  platform: Platform;
  /** The platform's own id for this event; a repeat is ignored. */
  eventId: string;
  sender: { platformId: string; displayName: string };
  room: { id: string; kind: RoomKind; name?: string };
  /** Command text without the platform's prefix (`join comms`), or a plain room message. */
  text: string;
  /**
   * True when the message was addressed to the bot (prefix, mention, DM,
   * slash command, button). Unaddressed room messages only reach listeners.
   */
  addressed: boolean;
  /** Set when a button (or a reaction standing for one) was used. */
  button?: { messageRef?: string };
  /** The thread the message was sent in, as the platform names it (a Slack `thread_ts`, a Matrix thread root). */
  thread?: string;
  /**
   * The thread's root as the ref `deliver` returned when the bot posted it
   * (Slack `C…/ts`; on Matrix the same as `thread`), so a capability can
   * tell which of its own posts a thread hangs from.
   */
  threadRef?: string;
  /** Opaque handle the adapter can use to reply (Slack response_url, Matrix event id). */
  replyHandle?: string;
  /** The platform's id for the message itself, when it is a visible message the bot could remove. */
  messageRef?: string;
  /**
   * The text was posted where others in the room can read it (a typed
   * message), as opposed to a slash command or a click that only the bot
   * sees. With no `messageRef` the bot can't take it out again (Slack).
   */
  visibleInRoom?: boolean;
  /** An edit of an earlier message (its `messageRef`): only room guards look at it; it runs no command. */
  edits?: string;
  /**
   * People the platform itself identified in the text (a Slack `<@U…>`, a
   * Matrix pill or full user id), with the names the adapter found for them.
   * `ref` is how each appears in `text` (`@U0BEA`, `@bea:example.org`). A
   * verified mention finds or creates the member even if they have never
   * spoken to the bot.
   */
  mentions?: VerifiedMention[];
}

export interface VerifiedMention {
  ref: string;
  platformId: string;
  displayName: string;
}

export interface Button {
  label: string;
  /** The typed command this button stands for, without prefix: `approve 12`. */
  command: string;
  style?: "primary" | "danger";
}

/**
 * Text uses light markup shared by all platforms:
 *   *bold*  _italic_  `code`  <https://url|label>  <@42> (member 42)
 *   <cmd:approve 12> (a typed command, rendered with the platform's prefix)
 * and `&amp; &lt; &gt;` escapes (see markup.ts `esc`) for anything user-written.
 */
export interface OutboundMessage {
  text: string;
  buttons?: Button[];
  /** Names this message so a later decision can edit it (e.g. remove its buttons). */
  key?: string;
  /** For a removal: the platform ref of the message to remove (the text is a note saying why). */
  removes?: string;
  /** Email only: the subject line (chat platforms have none). */
  subject?: string;
  /** For an invite or uninvite delivery: who is let into (or taken out of) the target room, and why. */
  membership?: RoomMembership;
  /**
   * A file sent with the text (a chart as PNG, a CSV export): uploaded on
   * Slack (`files.uploadV2`, the text as its comment), an `m.image` or
   * `m.file` on Matrix, saved or described on the console. A plain JSON
   * value, so it is stored with the outbox row and a resend after a crash
   * has the same bytes; see FileAttachment for the size limit.
   */
  file?: FileAttachment;
}

/**
 * The most bytes one attached file may have. The bytes live in the outbox
 * row (as base64, a third more) until the message is sent, so this keeps a
 * row small enough for SQLite and the WAL bound; every platform takes far
 * more (Slack 1 GB, Synapse 50 MB by default).
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface FileAttachment {
  /** What people save it as: `progress-2026-08-17.png`, `civicrm-contacts.csv`. */
  name: string;
  /** `image/png`, `text/csv`. */
  mimeType: string;
  /** The bytes, base64. Empty once the message was sent and the bytes were dropped from the outbox. */
  data: string;
  /** The text alternative: for an image, what it shows (its figures); for a file, one line about it. */
  alt: string;
  /** An image's size in pixels. */
  width?: number;
  height?: number;
}

export interface RoomMembership {
  memberId: number;
  /** Their account on the room's platform. */
  platformId: string;
  /** The group whose room it is, for the notices: `Communications Group`. */
  group: string;
  /** The room as people know it: `#comms`. */
  room: string;
}

export type Target =
  /**
   * A post in a room (a DM room counts as a room once we know its id; on
   * email, the room is a mailbox). `thread`: post it in that thread, named
   * as the platform does or by the ref `deliver` returned for its root; on
   * email it names the conversation the mail belongs to (its References).
   */
  | { kind: "room"; platform: Platform; roomId: string; thread?: string; replyHandle?: string }
  /** Visible only to one member, in the room they are in (Slack ephemeral). */
  | { kind: "ephemeral"; platform: Platform; roomId: string; platformId: string; memberId: number; replyHandle?: string }
  /** A direct message to a member, in the DM the adapter opens or reuses. */
  | { kind: "member"; platform: Platform; platformId: string; memberId: number };

export type DeliveryKind = "post" | "update" | "remove" | "invite" | "uninvite";

/** What the dispatcher hands an adapter. */
export interface Delivery {
  id: number;
  /**
   * Names this delivery across processes and databases (`<database
   * instance>.<outbox id>`): an adapter tags what it sends with it (Slack
   * message metadata, Matrix transaction ids), so a resend after a crash can
   * be recognised as one already made.
   */
  uid: string;
  /**
   * True when an earlier attempt may have reached the platform: a process
   * holding it died, or a previous attempt failed in a way that doesn't prove
   * it wasn't delivered. The adapter then checks before sending again, where
   * the platform lets it.
   */
  maybeDelivered: boolean;
  /** When the message was queued (the bot's clock): where to start looking for an earlier copy. */
  queuedAt: number;
  /**
   * post a message, update (edit) one we posted, remove someone's message
   * from a room, or let a member into a room (invite) or take them out
   * (uninvite): see `message.membership`.
   */
  kind: DeliveryKind;
  target: Target;
  message: OutboundMessage;
  /** For updates: the platform reference of the message being edited; for removals, the message removed. */
  editsRef?: string;
  /** Member mentions in the text (<@42>) resolved for this platform. */
  mentions: Record<number, { displayName: string; platformId?: string }>;
}
