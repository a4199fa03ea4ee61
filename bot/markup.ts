// Light markup shared by every platform (see OutboundMessage in events.ts).
// The core writes it; each adapter renders it in its own idiom.

/** Escape user-written text so it can never forge a mention, command or link. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function unesc(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export const mention = (memberId: number): string => `<@${memberId}>`;
export const cmd = (command: string): string => `<cmd:${esc(command)}>`;
export const link = (url: string, label?: string): string => (label ? `<${url}|${esc(label)}>` : `<${url}>`);

export interface TokenRenderers {
  mention(memberId: number): string;
  command(command: string): string;
  link(url: string, label: string | undefined): string;
  /** Plain text between tokens (still escaped with &amp; etc.). */
  text(text: string): string;
}

const TOKEN = /<@(\d+)>|<cmd:([^>]*)>|<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g;

/** Walks the text, handing each token and each run of plain text to a renderer. */
export function renderTokens(text: string, r: TokenRenderers): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    out += r.text(text.slice(last, m.index));
    if (m[1] !== undefined) out += r.mention(Number(m[1]));
    else if (m[2] !== undefined) out += r.command(unesc(m[2]));
    else out += r.link(m[3]!, m[4] === undefined ? undefined : unesc(m[4]));
    last = m.index! + m[0].length;
  }
  return out + r.text(text.slice(last));
}

/** Member ids mentioned in a text, so the dispatcher can resolve them once. */
export function mentionedMembers(text: string): number[] {
  return [...new Set([...text.matchAll(/<@(\d+)>/g)].map((m) => Number(m[1])))];
}

/** Plain rendering (console, Matrix `body`): markup characters kept, tokens resolved. */
export function renderPlain(
  text: string,
  opts: { mentionName(memberId: number): string; prefix: string },
): string {
  return renderTokens(text, {
    mention: (id) => `@${opts.mentionName(id)}`,
    command: (c) => `${opts.prefix}${c}`,
    link: (url, label) => (label ? `${label} (${url})` : url),
    text: unesc,
  });
}
