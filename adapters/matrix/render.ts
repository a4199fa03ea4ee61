// What the core asks to send, as Matrix event content (pure: no I/O).
// Every message carries both an HTML `formatted_body` and a plain `body`:
// the formatting lives in the HTML only, and the body (what notifications
// and plain-text clients show) is clean text, with no markup characters.
// Members are pills (and listed in `m.mentions`, so only they are pinged);
// buttons become what Matrix really has: "React with ✅ to approve or type
// !coop approve 12", the typed command left out where the text shows it.
import type { Button, Delivery, FileAttachment, OutboundMessage } from "../../bot/events.ts";
import { renderTokens, unesc } from "../../bot/markup.ts";
import { emojiForButtons, purposeOf } from "./reactions.ts";

export interface RenderOptions {
  /** The command prefix as shown to people, with its trailing space: `!coop `. */
  prefix: string;
}

export interface Rendered {
  body: string;
  html: string;
  /** Users mentioned as pills, for `m.mentions`. */
  userIds: string[];
}

export interface Relation {
  /** The event this answers (a Matrix reply). */
  replyTo?: string;
  /** The thread root, when the request came in a thread. */
  thread?: string;
  /** Who wrote `replyTo`: pinged like Element pings the author of a message you reply to. */
  replyToSender?: string;
}

export interface MessageContent {
  msgtype: "m.text";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.mentions": { user_ids?: string[] };
  "m.relates_to"?: Record<string, unknown>;
  "m.new_content"?: Omit<MessageContent, "m.relates_to" | "m.new_content">;
}

export type Mentions = Delivery["mentions"];

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const htmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** `https://matrix.to/#/@alice:example.org`, the link Element turns into a pill. */
export function permalink(userId: string): string {
  return `https://matrix.to/#/${encodeURIComponent(userId).replace(/%40/g, "@").replace(/%3A/gi, ":")}`;
}

export function pill(userId: string, name: string): string {
  return `<a href="${htmlEscape(permalink(userId))}">${htmlEscape(name)}</a>`;
}

const isMatrixUser = (id: string | undefined): id is string => typeof id === "string" && /^@[^:\s]+:\S+$/.test(id);

// Placeholders for rendered tokens while the inline markup (*bold* etc.) is
// applied around them; private-use characters nobody types.
const PH_OPEN = "\ue000";
const PH_CLOSE = "\ue001";
const PH = new RegExp(`${PH_OPEN}(\\d+)${PH_CLOSE}`, "g");

/** `*bold*`, `_italic_` and `` `code` `` on one line of already-escaped HTML. */
function inlineMarkup(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, i) => {
      if (i % 2 === 1) return `<code>${part.slice(1, -1)}</code>`;
      return part
        .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu, "$1<strong>$2</strong>")
        .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, "$1<em>$2</em>");
    })
    .join("");
}

/** `*bold*`, `_italic_` and `` `code` `` on one line of plain text, their markup characters taken out. */
function plainInline(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, i) => {
      if (i % 2 === 1) return part.slice(1, -1);
      return part
        .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu, "$1$2")
        .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, "$1$2");
    })
    .join("");
}

/** The plain body: inline markup and code fences taken out (a fenced block keeps its lines as they are). */
function plainLines(text: string): string {
  let fenced = false;
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    out.push(fenced ? line : plainInline(line));
  }
  return out.join("\n");
}

/** Lines → HTML: `> ` lines become one blockquote, leading spaces are kept. */
function htmlLines(lines: string[]): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const raw of lines) {
    const indent = /^ */.exec(raw)![0].length;
    const line = "&nbsp;".repeat(indent) + inlineMarkup(raw.slice(indent));
    const quoted = /^&gt; ?(.*)$/.exec(raw);
    if (quoted) {
      quote.push(inlineMarkup(quoted[1]!));
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  // A blockquote is a block: no <br> right before or after it.
  return out.reduce((html, part, i) => (i === 0 ? part : html + (part.startsWith("<blockquote>") || out[i - 1]!.startsWith("<blockquote>") ? "" : "<br>") + part), "");
}

/** The core's light markup (see bot/markup.ts) as Matrix HTML and plain text. */
export function renderText(text: string, mentions: Mentions, opts: RenderOptions): Rendered {
  const clean = text.replace(new RegExp(`[${PH_OPEN}${PH_CLOSE}]`, "g"), "");
  const userIds: string[] = [];
  const who = (id: number) => mentions[id] ?? { displayName: `member ${id}` };

  const tokens: string[] = [];
  const hold = (html: string) => `${PH_OPEN}${tokens.push(html) - 1}${PH_CLOSE}`;
  const withTokens = renderTokens(clean, {
    mention: (id) => {
      const m = who(id);
      if (!isMatrixUser(m.platformId)) return hold(htmlEscape(m.displayName));
      if (!userIds.includes(m.platformId)) userIds.push(m.platformId);
      return hold(pill(m.platformId, m.displayName));
    },
    command: (c) => hold(`<code>${htmlEscape(opts.prefix + c)}</code>`),
    link: (url, label) => hold(`<a href="${htmlEscape(url)}">${htmlEscape(label ?? url)}</a>`),
    // Text between tokens arrives with the core's &amp;/&lt;/&gt; escapes: undo them, then escape for HTML.
    text: (t) => htmlEscape(unesc(t)),
  });
  const html = htmlLines(withTokens.split("\n")).replace(PH, (_, i: string) => tokens[Number(i)]!);

  // Tokens are held while the markup is taken out, so a name or a command with a `*` or `_` in it stays as it is.
  const plainTokens: string[] = [];
  const keep = (text: string) => `${PH_OPEN}${plainTokens.push(text) - 1}${PH_CLOSE}`;
  const withPlainTokens = renderTokens(clean, {
    mention: (id) => keep(who(id).displayName),
    command: (c) => keep(opts.prefix + c),
    link: (url, label) => keep(label ? `${label} (${url})` : url),
    text: unesc,
  });
  const body = plainLines(withPlainTokens).replace(PH, (_, i: string) => plainTokens[Number(i)]!);
  return { body, html, userIds };
}

/** The commands a text already shows (`<cmd:approve 12>`), so the button lines needn't say them again. */
function commandsIn(text: string): string[] {
  const found: string[] = [];
  renderTokens(text, { mention: () => "", command: (c) => (found.push(c), ""), link: () => "", text: () => "" });
  return found;
}

/** The text shows this button's command (or the command with more after it: `decline 12 <reason>`). */
const shown = (button: Button, commands: string[]) => commands.some((c) => c === button.command || c.startsWith(`${button.command} `));

/**
 * What Matrix has instead of buttons, said once: a reaction where the table
 * has one, and the typed command unless the message's text already shows
 * it. Reactions for commands the text shows share one line ("React with ✅
 * to approve or ❌ to decline"); every other button gets its own.
 */
export function buttonLines(buttons: readonly Button[], opts: RenderOptions, text = ""): { body: string[]; html: string[] } {
  const emojis = emojiForButtons(buttons);
  const inText = commandsIn(text);
  const body: string[] = [];
  const html: string[] = [];
  const reactOnly: { emoji: string; purpose: string }[] = [];
  buttons.forEach((button, i) => {
    const typed = `${opts.prefix}${button.command}`;
    const emoji = emojis[i];
    const purpose = purposeOf(button.label);
    if (shown(button, inText)) {
      if (emoji) reactOnly.push({ emoji, purpose });
      return;
    }
    if (emoji) {
      body.push(`React with ${emoji} ${purpose} or type ${typed}`);
      html.push(`React with ${emoji} ${htmlEscape(purpose)} or type <code>${htmlEscape(typed)}</code>`);
    } else {
      body.push(`Type ${typed} ${purpose}`);
      html.push(`Type <code>${htmlEscape(typed)}</code> ${htmlEscape(purpose)}`);
    }
  });
  if (reactOnly.length) {
    const line = `React with ${reactOnly.map((r) => `${r.emoji} ${r.purpose}`).join(" or ")}`;
    body.unshift(line);
    html.unshift(htmlEscape(line));
  }
  return { body, html };
}

/** A whole outbound message: its text, then its buttons as instruction lines. */
export function renderMessage(message: OutboundMessage, mentions: Mentions, opts: RenderOptions): Rendered {
  const rendered = renderText(message.text, mentions, opts);
  const buttons = message.buttons ?? [];
  if (buttons.length === 0) return rendered;
  const lines = buttonLines(buttons, opts, message.text);
  return {
    body: [rendered.body, ...lines.body].join("\n"),
    html: [rendered.html, ...lines.html].join("<br>"),
    userIds: rendered.userIds,
  };
}

function mentionsOf(userIds: string[]): MessageContent["m.mentions"] {
  return userIds.length ? { user_ids: userIds } : {};
}

/** `m.relates_to` for a reply, in the thread when there is one. */
export function relationFor(relation: Relation | undefined): Record<string, unknown> | undefined {
  if (!relation?.thread && !relation?.replyTo) return undefined;
  if (relation.thread) {
    return {
      rel_type: "m.thread",
      event_id: relation.thread,
      // Not a fallback when we really answer one message in the thread.
      is_falling_back: !relation.replyTo,
      "m.in_reply_to": { event_id: relation.replyTo ?? relation.thread },
    };
  }
  return { "m.in_reply_to": { event_id: relation.replyTo } };
}

export function messageContent(rendered: Rendered, relation?: Relation): MessageContent {
  const userIds = [...rendered.userIds];
  if (relation?.replyTo && relation.replyToSender && !userIds.includes(relation.replyToSender)) userIds.push(relation.replyToSender);
  const content: MessageContent = {
    msgtype: "m.text",
    body: rendered.body,
    format: "org.matrix.custom.html",
    formatted_body: rendered.html,
    "m.mentions": mentionsOf(userIds),
  };
  const relatesTo = relationFor(relation);
  if (relatesTo) content["m.relates_to"] = relatesTo;
  return content;
}

export interface FileContent extends Omit<MessageContent, "msgtype" | "m.new_content"> {
  msgtype: "m.image" | "m.file";
  filename: string;
  url: string;
  info: { mimetype: string; size: number; w?: number; h?: number };
}

/**
 * A file already uploaded to the media repository (`url`, an mxc URI) as
 * `m.image` or `m.file`. With `filename` set, clients show `body` as the
 * caption (Matrix 1.10 media captions) and read it as the image's text, so
 * the body is the message's text followed by the file's alt text: for a
 * chart, every figure it shows.
 */
export function fileContent(rendered: Rendered, file: FileAttachment, url: string, relation?: Relation): FileContent {
  const base = messageContent(rendered, relation);
  const alt = file.alt.trim();
  return {
    ...base,
    msgtype: file.mimeType.startsWith("image/") ? "m.image" : "m.file",
    body: [rendered.body, alt].filter(Boolean).join("\n\n"),
    formatted_body: [rendered.html, htmlEscape(alt).replace(/\n/g, "<br>")].filter(Boolean).join("<br><br>"),
    filename: file.name,
    url,
    info: { mimetype: file.mimeType, size: Buffer.byteLength(file.data, "base64"), ...(file.width && file.height ? { w: file.width, h: file.height } : {}) },
  };
}

/**
 * An edit (`m.replace`) of an earlier message. The outer body is the
 * fallback older clients show; nobody is pinged again (`m.mentions` empty).
 */
export function editContent(rendered: Rendered, originalEventId: string): MessageContent {
  return {
    msgtype: "m.text",
    body: `* ${rendered.body}`,
    format: "org.matrix.custom.html",
    formatted_body: `* ${rendered.html}`,
    "m.mentions": {},
    "m.new_content": {
      msgtype: "m.text",
      body: rendered.body,
      format: "org.matrix.custom.html",
      formatted_body: rendered.html,
      "m.mentions": mentionsOf(rendered.userIds),
    },
    "m.relates_to": { rel_type: "m.replace", event_id: originalEventId },
  };
}
