// The small toolkit the charts share: escaping, the palette, text that fits,
// and the accessible frame every chart sits in (role="img", a <title> and a
// <desc> that says in words what the chart shows). Hand-made SVG: the same
// markup goes inline into the dashboard page and through resvg into a PNG
// for chat, so a chart never fetches anything and looks the same in both.

/** Colours chosen for contrast on white: text at least 7:1, marks at least 3:1 (WCAG 1.4.3, 1.4.11). */
export const PALETTE = {
  background: "#ffffff",
  ink: "#1b1b1b",
  muted: "#4d4d4d",
  grid: "#d0d0d0",
  track: "#e4e9e5",
  primary: "#2d5a3d",
  accent: "#a3461a",
  blue: "#1f5f8b",
} as const;

/** Fonts resvg finds on Debian (fonts-dejavu-core) and most desktops; browsers fall back to their sans-serif. */
export const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

export function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rough width of text in DejaVu Sans (a wide face): enough to decide where to wrap, never exact. */
export function textWidth(text: string, size: number, bold = false): number {
  return [...text].length * size * (bold ? 0.66 : 0.6);
}

/** Splits text into lines no wider than `width`, at most `max` of them (the last ends with … if cut). */
export function wrap(text: string, size: number, width: number, max = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = `${kept[max - 1]} ${lines.slice(max).join(" ")}`;
  while (last.length > 1 && textWidth(`${last}…`, size) > width) last = last.slice(0, -1);
  kept[max - 1] = `${last.trimEnd()}…`;
  return kept;
}

export interface TextOptions {
  size?: number;
  bold?: boolean;
  anchor?: "start" | "middle" | "end";
  fill?: string;
}

export function text(x: number, y: number, content: string, opts: TextOptions = {}): string {
  const attrs = [`x="${round(x)}"`, `y="${round(y)}"`, `font-size="${opts.size ?? 14}"`, `fill="${opts.fill ?? PALETTE.ink}"`];
  if (opts.bold) attrs.push(`font-weight="bold"`);
  if (opts.anchor && opts.anchor !== "start") attrs.push(`text-anchor="${opts.anchor}"`);
  return `<text ${attrs.join(" ")}>${xml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, extra = ""): string {
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, width))}" height="${round(height)}" fill="${fill}"${extra ? ` ${extra}` : ""}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ""): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ""}/>`;
}

export const round = (n: number): number => Math.round(n * 10) / 10;

/** `1234` → `1,234`: figures read the same on the page, in the PNG and in the alt text. */
export const figure = (n: number): string => (Number.isInteger(n) ? n.toLocaleString("en-GB") : n.toLocaleString("en-GB", { maximumFractionDigits: 1 }));

export interface Frame {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  width: number;
  height: number;
  title: string;
  /** What the chart shows, in words: screen readers read it, and it is the chart's alt text. */
  description: string;
}

/** The outer <svg>: sized for a PNG, scaled by its viewBox on a page. */
export function frame(f: Frame, body: string[]): string {
  const ids = `${f.id}-title ${f.id}-desc`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-labelledby="${ids}" font-family="${FONT}">`,
    `<title id="${f.id}-title">${xml(f.title)}</title>`,
    `<desc id="${f.id}-desc">${xml(f.description)}</desc>`,
    rect(0, 0, f.width, f.height, PALETTE.background),
    ...body,
    `</svg>`,
  ].join("\n");
}
