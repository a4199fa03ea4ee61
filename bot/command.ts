// How a command is declared: once, as data plus a handler. Help, usage,
// argument parsing and permission checks are all derived from this.
import { z } from "zod";
import type { Config } from "./config.ts";
import type { CommandContext } from "./context.ts";

/** `everyone` = any member; otherwise one of the listed roles (deny by default). */
export type Allow = "everyone" | readonly string[];

type ArgsShape = z.ZodObject<z.ZodRawShape>;
type Key<S extends ArgsShape> = keyof z.infer<S> & string;

export interface CommandSpec<S extends ArgsShape = ArgsShape> {
  /** One or more words: `join`, `meeting schedule`, `group driver add`. */
  name: string;
  aliases?: readonly string[];
  summary: string;
  /** Longer explanation shown by `help <command>`. */
  description?: string;
  examples?: readonly string[];
  args: S;
  /** Keys of `args` taken by position, in order; `name...` takes the rest. Other keys are `--options`. */
  positional?: readonly (Key<S> | `${Key<S>}...`)[];
  /**
   * Everything after the leading positionals is the user's own text, taken
   * verbatim: `--words` in it are text, not options (a clinic question may
   * say "--force"; refusing it would leave it visible in the room).
   */
  freeText?: boolean;
  /** Override the generated usage line only when the grammar can't say it (e.g. `thanks @a for <reason>`). */
  usage?: string;
  allow: Allow;
  /** For scoped roles (a group's driver): which scope these args refer to, e.g. `group:3`. */
  scope?: (ctx: CommandContext, args: z.infer<S>) => string | undefined;
  /** Left out of `help` (a greeting, say): it works, but isn't a thing to learn. */
  hidden?: boolean;
  /** Registered only when this says so (e.g. a command the config switches on). Default: always. */
  enabled?: (config: Config) => boolean;
  /**
   * Answers without changing anything (a list, help): run without a
   * transaction or a ledger row, its answer sent unstored (bot/read-only.ts).
   * A test runs every such command and checks it writes nothing.
   */
  readOnly?: boolean;
  /** Runs inside the command's transaction. Throw `ctx.fail(...)` to refuse; nothing is written then. */
  run: (ctx: CommandContext, args: z.infer<S>) => void;
}

export type AnyCommand = CommandSpec<ArgsShape>;

export function defineCommand<S extends ArgsShape>(spec: CommandSpec<S>): AnyCommand {
  return spec as unknown as AnyCommand;
}

/** A refusal the user can fix. The router rolls back and replies with the message. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export const NO_ARGS = z.object({});

/** Reads what a field allows, looking through optional/default/nullable wrappers. */
export function fieldInfo(field: z.ZodType): { optional: boolean; base: z.ZodType; description?: string } {
  const optional = field.safeParse(undefined).success;
  let base: z.ZodType = field;
  let description = field.description;
  for (let guard = 0; guard < 8; guard++) {
    const def = (base as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
    if (!def.innerType || !["optional", "default", "nullable", "prefault", "readonly"].includes(def.type)) break;
    base = def.innerType;
    description ??= base.description;
  }
  return { optional, base, description };
}

export function isBooleanField(field: z.ZodType): boolean {
  return fieldInfo(field).base instanceof z.ZodBoolean;
}

export function isArrayField(field: z.ZodType): boolean {
  return fieldInfo(field).base instanceof z.ZodArray;
}

export function positionalNames(spec: AnyCommand): { name: string; rest: boolean }[] {
  return (spec.positional ?? []).map((p) => (p.endsWith("...") ? { name: p.slice(0, -3), rest: true } : { name: p, rest: false }));
}

export function optionNames(spec: AnyCommand): string[] {
  const positional = new Set(positionalNames(spec).map((p) => p.name));
  return Object.keys(spec.args.shape).filter((k) => !positional.has(k));
}

/** `--when-is` style name for an args key `whenIs`. */
export function optionFlag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function placeholder(key: string, field: z.ZodType): string {
  const { base } = fieldInfo(field);
  if (base instanceof z.ZodEnum) return (base.options as string[]).join("|");
  return optionFlag(key);
}

/** The usage line, generated from the declaration (unless it overrides it). */
export function usageOf(spec: AnyCommand): string {
  if (spec.usage) return spec.usage;
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const parts = [spec.name];
  for (const { name, rest } of positionalNames(spec)) {
    const field = shape[name]!;
    const label = placeholder(name, field) + (rest ? "..." : "");
    parts.push(fieldInfo(field).optional ? `[${label}]` : `<${label}>`);
  }
  for (const key of optionNames(spec)) {
    const field = shape[key]!;
    const flag = `--${optionFlag(key)}`;
    const text = isBooleanField(field) ? flag : `${flag} <${placeholder(key, field)}>`;
    parts.push(fieldInfo(field).optional ? `[${text}]` : text);
  }
  return parts.join(" ");
}
