// Reactions stand for buttons on Matrix (it has none): ✅ on a message whose
// buttons include "Approve" is the same as typing that button's command.
// One table, read both ways: rendering ("React with ✅ to approve …") and
// mapping a reaction back to a button.
import type { Button } from "../../bot/events.ts";

export interface ReactionRow {
  emoji: string;
  /** Button labels this emoji stands for, case-insensitive, first match wins. */
  labels: string[];
  /** Other keys people send for the same thing (Element's picker, other clients). */
  aliases?: string[];
}

export const REACTION_TABLE: readonly ReactionRow[] = [
  { emoji: "✅", labels: ["Approve", "Accept", "Verify", "Confirm", "Yes, share it with an adviser", "Consent"], aliases: ["✔", "☑", "✓", "🆗"] },
  { emoji: "❌", labels: ["Decline", "Reject", "Deny"], aliases: ["❎", "✖", "✗", "🚫"] },
  { emoji: "🙋", labels: ["Claim", "Take"], aliases: ["✋", "🖐", "🤚"] },
  { emoji: "👍", labels: ["Yes", "Going", "RSVP Yes", "Attending"] },
  { emoji: "👎", labels: ["No", "Not going", "RSVP No", "Can't make it"] },
  { emoji: "🤔", labels: ["Maybe", "RSVP Maybe", "Not sure"] },
  { emoji: "💤", labels: ["Snooze 1 hour", "Snooze"], aliases: ["😴", "⏰"] },
];

/** Labels read as a verb after "to" ("React with ✅ to approve"); others read "for “Yes”". */
const VERBS = new Set(["approve", "accept", "verify", "confirm", "decline", "reject", "deny", "claim", "take"]);

/**
 * A reaction key as sent, reduced to its base emoji: without variation
 * selectors (✅ vs ✅️), skin tones (👍🏽) or gender sequences (🙋‍♀️).
 */
export function normaliseKey(key: string): string {
  return key
    .replace(/\u200d[\u2640\u2642]\ufe0f?/g, "")
    .replace(/[\ufe0e\ufe0f]/g, "")
    .replace(/[\u{1f3fb}-\u{1f3ff}]/gu, "")
    .trim();
}

/** A button label compared loosely: case, surrounding emoji and punctuation ignored. */
function normaliseLabel(label: string): string {
  return label.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/\s+/g, " ");
}

function rowFor(key: string): ReactionRow | undefined {
  const base = normaliseKey(key);
  return REACTION_TABLE.find((row) => row.emoji === base || row.aliases?.some((a) => normaliseKey(a) === base));
}

/**
 * Which emoji each button gets on one message. An emoji is given to the
 * first button it matches only, so a reaction always means one button.
 */
export function emojiForButtons(buttons: readonly Button[]): (string | undefined)[] {
  const used = new Set<string>();
  return buttons.map((button) => {
    const label = normaliseLabel(button.label);
    const row = REACTION_TABLE.find((r) => !used.has(r.emoji) && r.labels.some((l) => normaliseLabel(l) === label));
    if (!row) return undefined;
    used.add(row.emoji);
    return row.emoji;
  });
}

/** The button a reaction stands for on a message with these buttons, if any. */
export function buttonForReaction(key: string, buttons: readonly Button[]): Button | undefined {
  const row = rowFor(key);
  if (!row) return undefined;
  const emojis = emojiForButtons(buttons);
  const index = emojis.indexOf(row.emoji);
  return index < 0 ? undefined : buttons[index];
}

/** "to approve" / "for “Yes”": how a button is named in the instruction line. */
export function purposeOf(label: string): string {
  const plain = normaliseLabel(label);
  return VERBS.has(plain) ? `to ${plain}` : `for “${label.trim()}”`;
}
