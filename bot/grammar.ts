// One command grammar for every platform. Adapters strip their prefix
// (`/coop`, `!coop`, console `/`) and normalise mentions to `@id` and room
// links to `#id`; everything after that is parsed here.

export type TokenKind = "word" | "quoted" | "mention" | "room" | "option";

export interface Token {
  kind: TokenKind;
  /** Unquoted value; for options, the value if written `--k=v` / `k=v`. */
  value: string;
  /** For options: the option name, lower-cased, without dashes. */
  name?: string;
  /** Whether an option was written `k=v` (may then be plain text if k is not an option). */
  keyValue?: boolean;
  /** For quoted tokens: the quote was never closed, so the token ran to the end of the line. */
  unclosed?: boolean;
  /** Offsets in the source text, so a rest argument can keep the user's own spacing. */
  start: number;
  end: number;
}

const QUOTES: Record<string, string> = { '"': '"', "\u201c": "\u201d", "\u201e": "\u201d" };

/**
 * Splits a command line into tokens. Lenient by design: an unclosed quote
 * runs to the end of the line rather than failing, because the people typing
 * are volunteers on phones, not shell users.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (/\s/.test(source[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const close = QUOTES[source[i]!];
    if (close) {
      const { value, end, closed } = readQuoted(source, i + 1, close);
      tokens.push({ kind: "quoted", value, start, end, ...(closed ? {} : { unclosed: true }) });
      i = end;
      continue;
    }
    while (i < source.length && !/\s/.test(source[i]!)) i++;
    tokens.push(classify(source.slice(start, i), start, i));
  }
  return tokens;
}

function readQuoted(source: string, from: number, close: string): { value: string; end: number; closed: boolean } {
  let value = "";
  let i = from;
  while (i < source.length && source[i] !== close && !(close === "\u201d" && source[i] === '"')) {
    if (source[i] === "\\" && i + 1 < source.length) i++;
    value += source[i];
    i++;
  }
  return { value, end: Math.min(i + 1, source.length), closed: i < source.length };
}

function classify(raw: string, start: number, end: number): Token {
  const long = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/i.exec(raw);
  if (long) return { kind: "option", name: long[1]!.toLowerCase(), value: long[2] ?? "", keyValue: long[2] !== undefined, start, end };
  const kv = /^([a-z][a-z0-9-]*)=(.+)$/i.exec(raw);
  if (kv) return { kind: "option", name: kv[1]!.toLowerCase(), value: kv[2]!, keyValue: true, start, end };
  if (/^@\S+$/.test(raw)) return { kind: "mention", value: raw, start, end };
  if (/^#[\w-]+$/.test(raw)) return { kind: "room", value: raw, start, end };
  return { kind: "word", value: raw, start, end };
}

/** How a token reads as plain text (an unrecognised `k=v` is just text). */
export function tokenText(source: string, token: Token): string {
  return token.kind === "quoted" ? token.value : source.slice(token.start, token.end);
}
