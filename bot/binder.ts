// Binds grammar tokens to a command's declared arguments and validates them
// with its zod schema. Every failure is a short message the user can act on.
import { z } from "zod";
import { type AnyCommand, isArrayField, isBooleanField, optionFlag, optionNames, positionalNames } from "./command.ts";
import { type Token, tokenText } from "./grammar.ts";

export type BindResult = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

export function bindArgs(spec: AnyCommand, tokens: Token[], source: string): BindResult {
  const result = bindTokens(spec, tokens, source);
  return result.ok ? result : explainUnclosedQuote(result, tokens);
}

/**
 * The grammar lets an unclosed quote run to the end of the line (kind to
 * phones); when that leaves the command short of arguments, the quote is the
 * real mistake, so say that rather than "when: required".
 */
function explainUnclosedQuote(result: BindResult & { ok: false }, tokens: Token[]): BindResult {
  const open = tokens.find((t) => t.unclosed);
  if (!open) return result;
  const inside = open.value.length > 40 ? `${open.value.slice(0, 40)}…` : open.value;
  return { ok: false, error: `the quote before \`${inside}\` is never closed, so I read the rest of the line as one value: put the closing " after the words that belong together` };
}

function bindTokens(spec: AnyCommand, tokens: Token[], source: string): BindResult {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const flags = new Map(optionNames(spec).map((k) => [optionFlag(k), k]));
  const raw: Record<string, unknown> = {};
  const loose: Token[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "option" || spec.freeText) {
      loose.push(token);
      continue;
    }
    const key = flags.get(token.name!);
    if (!key) {
      // `a=b` inside free text is just text; `--typo` is a mistake worth naming.
      if (token.keyValue && !source.startsWith("--", token.start)) {
        loose.push({ ...token, kind: "word" });
        continue;
      }
      return { ok: false, error: `unknown option \`--${token.name}\`` };
    }
    if (isBooleanField(shape[key]!)) {
      raw[key] = token.keyValue ? parseBool(token.value) : true;
      continue;
    }
    let value = token.value;
    if (!token.keyValue) {
      const next = tokens[i + 1];
      if (!next || next.kind === "option") return { ok: false, error: `\`--${token.name}\` needs a value` };
      value = tokenText(source, next);
      i++;
    }
    raw[key] = isArrayField(shape[key]!) ? [...((raw[key] as string[]) ?? []), ...splitList(value)] : value;
  }

  const bound = bindPositionals(spec, loose, source, raw);
  if (!bound.ok) return bound;
  const parsed = spec.args.safeParse(raw);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  return { ok: true, args: parsed.data as Record<string, unknown> };
}

function bindPositionals(spec: AnyCommand, loose: Token[], source: string, raw: Record<string, unknown>): BindResult {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  let i = 0;
  for (const { name, rest } of positionalNames(spec)) {
    if (i >= loose.length) break;
    if (rest) {
      const taken = loose.slice(i);
      raw[name] = isArrayField(shape[name]!) ? taken.map((t) => tokenText(source, t)) : restText(source, taken);
      i = loose.length;
    } else {
      raw[name] = tokenText(source, loose[i]!);
      i++;
    }
  }
  if (i < loose.length) {
    const extra = loose.slice(i).map((t) => tokenText(source, t)).join(" ");
    return { ok: false, error: `I didn't expect \`${extra}\`` };
  }
  return { ok: true, args: raw };
}

/** The user's own text for a rest argument, spacing kept, when it is one stretch. */
function restText(source: string, tokens: Token[]): string {
  if (tokens.length === 1 && tokens[0]!.kind === "quoted") return tokens[0]!.value;
  const contiguous = tokens.every((t, k) => k === 0 || !/\S/.test(source.slice(tokens[k - 1]!.end, t.start)));
  if (contiguous) return source.slice(tokens[0]!.start, tokens.at(-1)!.end).trim();
  return tokens.map((t) => tokenText(source, t)).join(" ");
}

function splitList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

function parseBool(value: string): boolean | string {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  return value;
}

/** zod issues → `group: required; hours: expected a number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `${issue.path.map(String).map(optionFlag).join(".")}: ` : "";
      return where + humanIssue(issue);
    })
    .join("; ");
}

function humanIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "required";
  if (issue.code === "invalid_type") return `expected ${issue.expected === "number" ? "a number" : issue.expected}`;
  if (issue.code === "invalid_value") return `expected one of ${issue.values.map(String).join(", ")}`;
  return issue.message.replace(/^Invalid input: /, "");
}
