// After a member is forgotten, what the bot kept of the messages it sent
// must not keep them either. The outbox holds a copy of every message; three
// kinds can carry a member's words or be about them:
//   - messages to them (their direct messages, their private replies): the
//     stored copy is redacted, and one not sent yet is not sent. What already
//     reached their own screen is theirs and is left there;
//   - messages their own commands caused in the room they typed in (a public
//     thanks, a reply in their DM room): the stored copy is redacted, unless
//     it is a keyed card still in use;
//   - messages to anyone else that quote something they wrote (a thanks to
//     the person thanked, an action or join request card, meeting notes read
//     back): the stored copy is redacted and the post is edited on the
//     platform, so the words leave other people's screens too.
// Capabilities have already redrawn the cards they own (by message key);
// this sweep is the net under them, for everything else.
import type { BaseContext } from "../../bot/context.ts";
import type { Target } from "../../bot/events.ts";
import { esc, mention } from "../../bot/markup.ts";
import { dmChannelsOf, eventSourcesOf, selfAndMerged } from "../../db/forget.ts";
import { getMember } from "../../db/members.ts";
import { outboxPageSince, redactOutboxRow, type OutboxRow } from "../../db/outbox.ts";

/** What a redacted copy, and an edited post, says instead. */
export const REMOVED = "🗑️ Removed: this message carried the words of a member who asked to be forgotten.";

/**
 * A quoted line this long is theirs, in a message that names them or that
 * their own command caused; anywhere else it must be longer to be taken as
 * theirs and not someone else's same few words.
 */
const MIN_QUOTE_NAMED = 8;
const MIN_QUOTE_ANYWHERE = 20;
const PAGE = 500;

interface Needle {
  text: string;
  anywhere: boolean;
}

/** Each line of each text, as it appears inside a stored message (escaped for markup, then for JSON). */
export function needlesOf(texts: readonly string[]): Needle[] {
  const out = new Map<string, Needle>();
  for (const text of texts) {
    for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
      if (line.length < MIN_QUOTE_NAMED) continue;
      for (const form of new Set([esc(line), line])) {
        const stored = JSON.stringify(form).slice(1, -1);
        out.set(stored, { text: stored, anywhere: line.length >= MIN_QUOTE_ANYWHERE });
      }
    }
  }
  return [...out.values()];
}

/** Who the sweep is looking for. */
interface Subject {
  ids: Set<number>;
  channels: Set<string>;
  sources: Set<string>;
  mentions: string[];
  needles: Needle[];
}

function addressedTo(subject: Subject, row: OutboxRow, target: Target): boolean {
  if (subject.channels.has(row.channel)) return true;
  return target.kind !== "room" && subject.ids.has(target.memberId);
}

function quotes(subject: Subject, row: OutboxRow, named: boolean): boolean {
  return subject.needles.some((n) => (named || n.anywhere) && row.message.includes(n.text));
}

/**
 * Redacts the outbox for a member about to be forgotten (their accounts
 * must still be known: their DM channels are found by them). Returns how
 * many stored copies were redacted.
 */
export function sweepOutbox(ctx: BaseContext, memberId: number, texts: readonly string[]): number {
  const ids = selfAndMerged(ctx.db, memberId);
  const subject: Subject = {
    ids: new Set(ids),
    channels: new Set(ids.flatMap((id) => dmChannelsOf(ctx.db, id))),
    // Not this very command's: what the capabilities just queued (a fresh card, a notice) is already clean.
    sources: new Set(eventSourcesOf(ctx.db, ids).filter((source) => source !== ctx.source)),
    mentions: ids.map(mention),
    needles: needlesOf(texts),
  };
  // Nothing before they first appeared can be about them.
  const since = Math.min(...ids.map((id) => getMember(ctx.db, id)?.createdAt ?? ctx.now));
  const edited = new Set<number>();
  let redacted = 0;
  for (let after = 0; ; ) {
    const page = outboxPageSince(ctx.db, since, after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    for (const row of page) redacted += sweepRow(ctx, subject, row, edited) ? 1 : 0;
  }
  return redacted;
}

function sweepRow(ctx: BaseContext, subject: Subject, row: OutboxRow, edited: Set<number>): boolean {
  if (row.kind === "remove" || row.source === ctx.source) return false;
  const target = JSON.parse(row.target) as Target;
  if (addressedTo(subject, row, target)) {
    redactOutboxRow(ctx.db, row, REMOVED, { skip: true });
    return true;
  }
  const caused = row.source !== null && subject.sources.has(row.source) && target.kind !== "member";
  const named = caused || subject.mentions.some((m) => row.message.includes(m));
  const quoted = quotes(subject, row, named);
  // A keyed post their command caused (a claim card after their `release`) is the bot's card, still live, not their words.
  const theirs = caused && row.msgKey === null;
  if (!theirs && !quoted) return false;
  redactOutboxRow(ctx.db, row, REMOVED);
  if (quoted) editOnPlatform(ctx, row, target, edited);
  return true;
}

/** The post as people see it now (an edit's original), edited once to say it was removed. */
function editOnPlatform(ctx: BaseContext, row: OutboxRow, target: Target, edited: Set<number>): void {
  if (target.kind === "ephemeral" || row.state !== "sent") return;
  const postId = row.kind === "post" ? row.id : row.updatesId;
  if (postId === null || edited.has(postId)) return;
  edited.add(postId);
  ctx.edit({ id: postId, target: row.target, msgKey: row.msgKey }, REMOVED);
}
