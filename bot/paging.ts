// Long answers come a page at a time. One rule for every reply (see
// CommandContext.reply): a text longer than a page is cut into pages at
// line ends; the first is sent with a line saying how much is left, and the
// rest wait for `more`. Pure: cutting and counting only.
import { cmd } from "./markup.ts";

/**
 * A page: about a phone screen, and one Slack message of two sections.
 * A member's own `help` (under 50 lines) fits; an admin's doesn't.
 */
export const PAGE_LINES = 50;
export const PAGE_CHARS = 3500;
/**
 * A reply that must stay whole (an .ics file to save) may be as long as one
 * platform message (Slack cuts past 40,000 characters); past that it is
 * paged too, so no message is ever hundreds of KB.
 */
export const MAX_WHOLE_CHARS = 36_000;
/** Room kept on every page for what paging adds: the "… 37 more lines" line, and a code block's closing fence. */
const FOOTER_ROOM = 80;
const FOOTER_LINES = 2;
/**
 * Pages kept for `more`, at most (350 KB): nobody reads further, and the
 * row is written whole at every long answer. Past it the last page says so.
 */
export const MAX_PAGES = 100;

/**
 * What must never be cut in two: a mention, a command, a link, an escape.
 * Cutting `<cmd:verify A-1>` or `&amp;` would show markup to people.
 */
const ATOM = /<@\d+>|<cmd:[^>]*>|<(?:https?|mailto):[^>]*>|&(?:amp|lt|gt);/g;
const FENCE = "```";

export const lineCount = (text: string): number => text.split("\n").length;

export const fitsOnePage = (text: string): boolean => text.length <= PAGE_CHARS && lineCount(text) <= PAGE_LINES;

/**
 * `text` as pages, each with room for the footer; one page if it fits. A
 * code block cut by a page end is closed there and opened again on the next
 * page, so each page renders on its own.
 */
export function paginate(text: string): string[] {
  if (fitsOnePage(text)) return [text];
  const maxLines = PAGE_LINES - FOOTER_LINES;
  const maxChars = PAGE_CHARS - FOOTER_ROOM;
  const pages: string[] = [];
  let page: string[] = [];
  let size = 0;
  let inCode = false;
  const add = (line: string) => {
    size = page.length === 0 ? line.length : size + 1 + line.length;
    page.push(line);
    if (line.trimStart().startsWith(FENCE)) inCode = !inCode;
  };
  const flush = () => {
    while (page.length > 0 && !page.at(-1)!.trim()) page.pop();
    if (page.length === 0) return;
    const open = inCode;
    if (open) page.push(FENCE);
    pages.push(page.join("\n"));
    page = [];
    inCode = false;
    if (open) add(FENCE);
  };
  for (const line of text.split("\n").flatMap((l) => cutLine(l, maxChars - FENCE.length - 1))) {
    if (page.length > 0 && (page.length >= maxLines || size + 1 + line.length > maxChars)) flush();
    if (page.length === 0 && !line.trim()) continue; // a page never opens with a blank line
    add(line);
  }
  flush();
  return pages;
}

/** "… 37 more lines — type /more", under a page that has more after it. */
export function footer(rest: readonly string[]): string {
  const n = rest.reduce((sum, page) => sum + lineCount(page), 0);
  return `… ${n} more line${n === 1 ? "" : "s"} — type ${cmd("more")}`;
}

/** Said at the end of the last page kept when an answer had more than MAX_PAGES. */
export function droppedNote(pages: readonly string[]): string {
  const n = pages.reduce((sum, page) => sum + lineCount(page), 0);
  return `… and ${n} more line${n === 1 ? "" : "s"} I didn't keep: ask for a narrower list to see them.`;
}

/** A line longer than `max` as pieces of at most `max`. */
function cutLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const at = cutPoint(rest, max);
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Where to cut: the last space outside every token, else just before the
 * token `max` falls in (only a token longer than a page, which no command
 * makes, is cut: a page is never longer than a page).
 */
function cutPoint(text: string, max: number): number {
  const atoms = [...text.slice(0, max + 1000).matchAll(ATOM)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const inside = (i: number) => atoms.find(([start, end]) => start < i && i < end);
  for (let i = max; i > max / 2; i--) {
    if (text[i] === " " && !inside(i)) return i;
  }
  let at = max;
  const atom = inside(at);
  if (atom && atom[0] > 0) at = atom[0];
  // Never between the two halves of an emoji (a surrogate pair).
  if (/[\uD800-\uDBFF]/.test(text[at - 1] ?? "")) at -= 1;
  return at;
}
