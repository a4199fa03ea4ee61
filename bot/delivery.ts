// From a queued message to what an adapter is asked to deliver.
import type { Db } from "../db/connection.ts";
import { getMember, identitiesOf } from "../db/members.ts";
import { instanceId } from "../db/meta.ts";
import { getOutboxRow } from "../db/outbox.ts";
import type { Delivery, Platform } from "./events.ts";
import { mentionedMembers } from "./markup.ts";
import type { QueuedMessage } from "./outbox-queue.ts";

/** How each member a text mentions is shown on a platform (their name there, and their id to mention them by). */
export function resolveMentions(db: Db, text: string, platform: Platform): Delivery["mentions"] {
  const out: Delivery["mentions"] = {};
  for (const id of mentionedMembers(text)) {
    const identity = identitiesOf(db, id).find((i) => i.platform === platform);
    out[id] = { displayName: identity?.displayName ?? getMember(db, id)?.displayName ?? `member ${id}`, platformId: identity?.platformId };
  }
  return out;
}

/**
 * Names one dispatcher's messages that have no row (transient answers): a
 * Matrix transaction id made from them must never repeat. Their numbers
 * start again with each dispatcher, so the tag is the dispatcher's own
 * (random) id: a bot restarted in the same process (tests, a supervisor)
 * must not reuse its predecessor's ids, or the homeserver hands back the
 * earlier message instead of sending the new one.
 */
const transientTag = (owner: string) => owner.replace(/-/g, "").slice(0, 16);

/**
 * The delivery for a message, or "skip" for an edit of a message that was
 * never sent. `refOf`: the platform reference of a message sent moments ago
 * (its "sent" not yet written).
 */
export function toDelivery(db: Db, owner: string, message: QueuedMessage, refOf: (id: number) => string | undefined): Delivery | "skip" {
  let editsRef: string | undefined = message.message.removes;
  if (message.kind === "update") {
    const ref = message.updatesId === null ? undefined : (refOf(message.updatesId) ?? getOutboxRow(db, message.updatesId)?.platformRef ?? undefined);
    if (!ref) return "skip";
    editsRef = ref;
  }
  return {
    id: message.id,
    uid: `${instanceId(db)}.${message.id < 0 ? `t${transientTag(owner)}.${-message.id}` : message.id}`,
    // Held by another process that died, or tried before: it may have gone out.
    maybeDelivered: message.attempts > 0 || (message.leaseOwner !== null && message.leaseOwner !== owner),
    queuedAt: message.createdAt,
    kind: message.kind,
    target: message.target,
    message: message.message,
    editsRef,
    mentions: message.mentions ?? resolveMentions(db, message.message.text, message.target.platform),
  };
}
