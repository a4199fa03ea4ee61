// Config problems an operator can find and fix: each names the line and
// column in the file (the `yaml` parser's LineCounter), the field, what was
// expected and what was there, and a likely meant key for a typo.
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument } from "yaml";
import type { z } from "zod";
import { nearest } from "./suggest.ts";

/** What the config file's text became, and where each of its values is. */
export interface SourceMap {
  doc: Document;
  lines: LineCounter;
}

/** The parts of a zod issue the messages use. */
export interface ConfigIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/**
 * Parses the text (JSON is read by the YAML parser as well, for positions:
 * YAML 1.2 is a superset of JSON), or says where it stops making sense.
 */
export function readSource(text: string, kind: "YAML" | "JSON"): { doc: unknown; map: SourceMap } | { problem: string } {
  const lines = new LineCounter();
  if (kind === "JSON") {
    try {
      JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message.split("\n")[0]!.replace(/ in JSON at position \d+.*$/, "");
      const { line, col } = positionIn(text, jsonErrorOffset(text));
      return { problem: `line ${line}, column ${col}: not valid JSON: ${message}` };
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    return { problem: `line ${line}, column ${col}: not valid ${kind}: ${error.message.split("\n")[0]}` };
  }
  return { doc: doc.toJS() as unknown, map: { doc, lines } };
}

/**
 * Where JSON.parse gives up (its messages carry no position on Node 20):
 * the shortest prefix that fails for a reason other than ending too soon.
 * Any longer prefix fails too, so a binary search finds it.
 */
function jsonErrorOffset(text: string): number {
  const failsEarly = (end: number) => {
    try {
      JSON.parse(text.slice(0, end));
      return false;
    } catch (err) {
      const message = (err as Error).message;
      const at = /at position (\d+)/.exec(message)?.[1];
      const ranOut = /end of (JSON )?input|Unterminated string/i.test(message) || (at !== undefined && Number(at) >= end);
      return !ranOut;
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsEarly(mid)) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo - 1);
}

function positionIn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

/** One line per problem: `line 3, column 12: storage.retentionDays: Too small: expected number to be >=2 (got 1)`. */
export function describeIssue(issue: ConfigIssue, schema: z.ZodType, map?: SourceMap): string[] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys" && issue.keys) {
    const known = knownKeys(schema, path);
    return issue.keys.map((key) => {
      const guess = known ? nearest(key, known) : undefined;
      const hint = guess ? `; did you mean "${guess}"?` : known ? `; expected one of ${known.join(", ")}` : "";
      return `${where(map && keyNode(map, path, key), map)}${field([...path, key])}: Unrecognized key "${key}"${hint}`;
    });
  }
  const found = map ? deepestNode(map, path) : undefined;
  const exact = found !== undefined && found.depth === path.length;
  let message = issue.message;
  if (found && !exact) message = `missing (${message.replace(/, received undefined$/, "")})`;
  else if (exact && isScalar(found.node)) message += ` (got ${shown(found.node.value)})`;
  return [`${where(found?.node, map)}${field(path)}: ${message}`];
}

const field = (path: readonly string[]) => (path.length > 0 ? path.join(".") : "(top level)");

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function where(node: Node | undefined, map: SourceMap | undefined): string {
  const offset = node?.range?.[0];
  if (!map || offset === undefined) return "";
  const { line, col } = map.lines.linePos(offset);
  return `line ${line}, column ${col}: `;
}

/** The node at `path`, or the nearest ancestor that exists (a missing key points at its parent). */
function deepestNode(map: SourceMap, path: readonly string[]): { node: Node; depth: number } | undefined {
  let node = map.doc.contents as Node | null;
  if (!node) return undefined;
  let depth = 0;
  for (const key of path) {
    let next: Node | undefined;
    if (isMap(node)) {
      const pair: Pair<unknown, unknown> | undefined = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
      // `backups:` with nothing after it: point at the key.
      next = (pair?.value as Node | null) ?? (pair?.key as Node | undefined);
      if (pair && !pair.value) return { node: next!, depth: depth + 1 };
    } else if (isSeq(node)) {
      next = node.items[Number(key)] as Node | undefined;
    }
    if (!next) break;
    node = next;
    depth++;
  }
  return { node, depth };
}

function keyNode(map: SourceMap, path: readonly string[], key: string): Node | undefined {
  const parent = deepestNode(map, path);
  if (!parent || !isMap(parent.node)) return parent?.node;
  const pair = parent.node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
  return (pair?.key as Node | undefined) ?? parent.node;
}

// ---- The keys the schema allows at a path, for "did you mean".

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Past wrappers (optional, default, prefault, transform pipes) to the object or array inside. */
function structural(schema: unknown): Def | undefined {
  let def = defOf(schema);
  for (let i = 0; def && i < 20; i++) {
    if (def.type === "object" || def.type === "array") return def;
    def = defOf(def.innerType ?? def.in);
  }
  return undefined;
}

function knownKeys(schema: z.ZodType, path: readonly string[]): string[] | undefined {
  let def = structural(schema);
  for (const key of path) {
    if (def?.type === "object") def = structural(def.shape?.[key]);
    else if (def?.type === "array") def = structural(def.element);
    else return undefined;
  }
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}
