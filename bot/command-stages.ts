// What to do with a command, decided before anything is written: a list of
// stages (rate, length, parse, permission, arguments), each of which may
// stop the command with an outcome and a reply. Nothing here touches the
// database except to read the asker's roles, so the router can decide, then
// record the event and act in the same transaction, or answer a read-only
// command without one.
import { bindArgs } from "./binder.ts";
import type { ListenerSpec } from "./capability.ts";
import { type AnyCommand, usageOf } from "./command.ts";
import type { CommandContext } from "./context.ts";
import type { InboundEvent } from "./events.ts";
import { type Token, tokenize } from "./grammar.ts";
import { cmd } from "./markup.ts";
import type { RateLimiter, RateVerdict } from "./rate-limit.ts";
import type { Registry } from "./registry.ts";

export type Outcome = "ok" | "duplicate" | "ignored" | "unknown" | "denied" | "invalid" | "refused" | "limited" | "error";

/** Longest accepted command text; anything longer is refused before parsing. */
export const MAX_COMMAND_LENGTH = 8000;

/** A command's text, read once. */
export interface Parsed {
  tokens: Token[];
  found: { command: AnyCommand; rest: Token[] } | undefined;
  /** Taken already (a read-only attempt that fell back to writing): not taken twice. */
  rate?: RateVerdict;
}

export function parse(registry: Registry, event: InboundEvent): Parsed {
  if (event.text.length > MAX_COMMAND_LENGTH) return { tokens: [], found: undefined };
  const tokens = tokenize(event.text);
  return { tokens, found: registry.lookup(tokens) };
}

/** What happens: a reply alone (a refusal, a notice), a handler to run, or nothing. */
export interface Verdict {
  outcome: Outcome;
  /** The name recorded with the event (`log`, `listener:actions`). */
  recorded: string | null;
  reply?: string;
  run?: { name: string; command?: AnyCommand; handler: (ctx: CommandContext) => void };
}

export interface StageInput {
  ctx: CommandContext;
  event: InboundEvent;
  parsed: Parsed;
}

export interface StageDeps {
  registry: Registry;
  listeners: readonly ListenerSpec[];
  limiter: RateLimiter;
}

type Stage = (input: StageInput, deps: StageDeps) => Verdict | undefined;

/** Too fast: recorded (a redelivery is still a duplicate), and nothing else but one notice per burst. */
const rate: Stage = ({ ctx, parsed }, { limiter }) => {
  const verdict = parsed.rate ?? limiter.take(ctx.actor.memberId, ctx.now);
  parsed.rate = verdict;
  if (verdict === "allow") return undefined;
  return { outcome: "limited", recorded: null, reply: verdict === "warn" ? limiter.notice() : undefined };
};

const length: Stage = ({ event }) =>
  event.text.length > MAX_COMMAND_LENGTH
    ? { outcome: "invalid", recorded: null, reply: `That message is too long for a command (${event.text.length} characters; the limit is ${MAX_COMMAND_LENGTH}).` }
    : undefined;

/**
 * No command by that name. `/coop #action @bea send the minutes`: a line a
 * listener understands, typed to the bot (on Slack the bot hears nothing
 * else in a channel), runs the listener.
 */
const known: Stage = ({ ctx, event, parsed }, { registry, listeners }) => {
  if (parsed.found) return undefined;
  // Two listeners may both take DMs (the welcome tour, the clinic relay): the first that claims the line from what it knows of the sender gets it.
  const listener = listeners.find((l) => l.matches(event) && (l.claims?.(ctx) ?? true));
  if (listener) {
    const name = `listener:${listener.name}`;
    return { outcome: "ok", recorded: name, run: { name, handler: (c) => listener.run(c) } };
  }
  return { outcome: parsed.tokens.length ? "unknown" : "ok", recorded: null, reply: unknownCommandReply(ctx, registry, parsed.tokens) };
};

const permitted: Stage = ({ ctx, event, parsed }) => {
  const { command, rest } = parsed.found!;
  const bound = bindArgs(command, rest, event.text);
  const scope = bound.ok && command.scope ? safeScope(ctx, command, bound.args) : undefined;
  if (!ctx.can(command.allow, scope)) return { outcome: "denied", recorded: command.name, reply: `Sorry, \`${command.name}\` is for ${describeAllow(command)}.` };
  if (!bound.ok) return { outcome: "invalid", recorded: command.name, reply: `${capitalise(bound.error)}.\nUsage: ${cmd(usageOf(command))}` };
  return { outcome: "ok", recorded: command.name, run: { name: command.name, command, handler: (c) => command.run(c, bound.args) } };
};

const STAGES: readonly Stage[] = [rate, length, known, permitted];

export function decide(input: StageInput, deps: StageDeps): Verdict {
  for (const stage of STAGES) {
    const verdict = stage(input, deps);
    if (verdict) return verdict;
  }
  throw new Error("the last stage always decides");
}

/** Exported for a listener that claims a line and then finds it isn't its own (the welcome tour's and the clinic relay's, in a DM). */
export function unknownCommandReply(ctx: CommandContext, registry: Registry, tokens: Token[]): string {
  if (tokens.length === 0) return `Hello! Type ${cmd("help")} to see what I can do.`;
  const first = tokens[0]!.value.toLowerCase();
  const family = registry.under(first).filter((c) => ctx.can(c.allow));
  if (family.length > 0) {
    return `\`${first}\` needs one more word: ${family.map((c) => cmd(c.name)).join(", ")}.`;
  }
  const suggestion = registry.suggest(tokens, (c) => ctx.can(c.allow));
  const typed = tokens[0]!.value;
  return suggestion
    ? `I don't know \`${typed}\`. Did you mean ${cmd(suggestion)}? (${cmd("help")} lists everything.)`
    : `I don't know \`${typed}\`. Type ${cmd("help")} to see what I can do.`;
}

function safeScope(ctx: CommandContext, command: AnyCommand, args: Record<string, unknown>): string | undefined {
  try {
    return command.scope!(ctx, args);
  } catch {
    return undefined;
  }
}

export function describeAllow(command: AnyCommand): string {
  if (command.allow === "everyone") return "everyone";
  const names = command.allow.map((r) => (r === "admin" ? "admins" : `${r}s`));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
