// Outbound messages → Slack's own idiom: mrkdwn in section blocks, buttons
// in actions blocks, always with a `text` fallback for notifications. Pure.
import type { Button, Delivery, OutboundMessage } from "../../bot/events.ts";
import { esc, renderTokens } from "../../bot/markup.ts";

export const COMMAND_PREFIX = "/coop ";
/** Slack's limit for one section's text. */
export const SECTION_LIMIT = 3000;
/** Slack allows 50 blocks a message; a few are kept for buttons. */
export const SECTIONS_PER_MESSAGE = 45;
/** Slack truncates a message past 40k characters; stay well below. */
export const MESSAGE_CHAR_LIMIT = 36_000;
const BUTTONS_PER_BLOCK = 25;
const LABEL_LIMIT = 75;
const VALUE_LIMIT = 2000;
const FALLBACK_LIMIT = 3000;

export interface SectionBlock {
  type: "section";
  text: { type: "mrkdwn"; text: string };
}

export interface ButtonElement {
  type: "button";
  action_id: string;
  text: { type: "plain_text"; text: string; emoji: true };
  value: string;
  style?: "primary" | "danger";
}

export interface ActionsBlock {
  type: "actions";
  block_id: string;
  elements: ButtonElement[];
}

export type Block = SectionBlock | ActionsBlock;

/** One Slack message: `text` is the notification fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Button action ids are `coop_btn_<n>`: the adapter listens for exactly these. */
export const BUTTON_ACTION_ID = /^coop_btn_\d+$/;

type Mentions = Delivery["mentions"];

/**
 * Light markup → mrkdwn. It is almost mrkdwn already: `*bold*`, `_italic_`,
 * `` `code` `` and `&amp; &lt; &gt;` mean the same. Members become real
 * mentions when they have a Slack identity, else their name in bold;
 * `<cmd:x>` becomes `` `/coop x` ``. A stray `<` or `>` is escaped so it can
 * never start a Slack token; Slack's own channel and user tokens pass.
 */
export function toMrkdwn(text: string, mentions: Mentions, prefix = COMMAND_PREFIX): string {
  return renderTokens(text, {
    mention: (id) => {
      const who = mentions[id];
      if (who?.platformId) return `<@${who.platformId}>`;
      return `*${esc(who?.displayName ?? `member ${id}`)}*`;
    },
    command: (c) => `\`${esc(prefix + c).replace(/`/g, "'")}\``,
    link: (url, label) => (label ? `<${url}|${esc(label).replace(/\|/g, "¦")}>` : `<${url}>`),
    text: escapeStray,
  });
}

const SLACK_TOKEN = /(<#[CG][A-Z0-9]+(?:\|[^<>]*)?>|<@[UW][A-Z0-9]+>)/;

function escapeStray(text: string): string {
  return text
    .split(SLACK_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
}

/**
 * Cuts text into pieces of at most `limit` characters, at line boundaries
 * where possible, else at a space, else anywhere (never inside `&amp;`).
 */
export function splitText(text: string, limit = SECTION_LIMIT): string[] {
  const pieces: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim()) pieces.push(current.replace(/\n+$/, ""));
    current = "";
  };
  for (const line of text.split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const cut = cutPoint(rest, limit);
      pieces.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  }
  flush();
  return pieces;
}

function cutPoint(line: string, limit: number): number {
  const space = line.lastIndexOf(" ", limit);
  if (space > limit / 2) return space;
  const amp = line.lastIndexOf("&", limit);
  return amp > limit - 6 && amp > 0 ? amp : limit;
}

export function buttonBlocks(buttons: readonly Button[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  buttons.forEach((button, i) => {
    if (i % BUTTONS_PER_BLOCK === 0) blocks.push({ type: "actions", block_id: `coop_actions_${blocks.length}`, elements: [] });
    const label = button.label.length > LABEL_LIMIT ? `${button.label.slice(0, LABEL_LIMIT - 1)}…` : button.label;
    blocks.at(-1)!.elements.push({
      type: "button",
      action_id: `coop_btn_${i}`,
      text: { type: "plain_text", text: label, emoji: true },
      value: button.command.slice(0, VALUE_LIMIT),
      ...(button.style ? { style: button.style } : {}),
    });
  });
  return blocks;
}

const section = (text: string): SectionBlock => ({ type: "section", text: { type: "mrkdwn", text } });

function fallback(text: string, buttons: readonly Button[]): string {
  const base = text.trim() ? text : buttons.map((b) => b.label).join(" / ");
  return base.length > FALLBACK_LIMIT ? `${base.slice(0, FALLBACK_LIMIT - 1)}…` : base;
}

/**
 * A message as one or more Slack messages: sections of at most 3,000
 * characters, at most 45 sections and ~36k characters per message. The
 * first carries the buttons (it is the one later edited); the rest are
 * meant to be posted as thread replies under it.
 */
export function renderMessage(message: OutboundMessage, mentions: Mentions): SlackMessage[] {
  const mrkdwn = toMrkdwn(message.text, mentions);
  const buttons = message.buttons ?? [];
  const parts: string[][] = [[]];
  let size = 0;
  for (const piece of splitText(mrkdwn)) {
    const current = parts.at(-1)!;
    if (current.length > 0 && (current.length >= SECTIONS_PER_MESSAGE || size + piece.length > MESSAGE_CHAR_LIMIT)) {
      parts.push([piece]);
      size = piece.length;
    } else {
      current.push(piece);
      size += piece.length;
    }
  }
  return parts.map((pieces, i) => {
    const text = pieces.join("\n");
    const blocks: Block[] = pieces.map(section);
    if (i === 0) blocks.push(...buttonBlocks(buttons));
    return { text: fallback(text, i === 0 ? buttons : []), blocks };
  });
}

/**
 * The edit of a message (chat.update): only its first Slack message can be
 * edited, so a longer text is cut short. Always sends `blocks`, so buttons
 * the new version no longer has are removed.
 */
export function renderEdit(message: OutboundMessage, mentions: Mentions): SlackMessage {
  const [first] = renderMessage(message, mentions);
  return first ?? { text: " ", blocks: [] };
}

/** The reference `deliver` returns for a posted message: `C123/1712345678.000100`. */
export const formatRef = (channel: string, ts: string): string => `${channel}/${ts}`;

export function parseRef(ref: string | undefined): { channel: string; ts: string } | undefined {
  const match = /^([A-Z0-9]+)\/(\d+\.\d+)$/.exec(ref ?? "");
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}
