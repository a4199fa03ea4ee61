// The one place commands are registered. Refuses duplicates at start, finds
// a command from the first words of a line, and suggests near misses.
import type { AnyCommand } from "./command.ts";
import type { Token } from "./grammar.ts";
import { nearest } from "./suggest.ts";

export interface Lookup {
  command: AnyCommand;
  /** Tokens after the command's name. */
  rest: Token[];
}

export class Registry {
  private readonly byName = new Map<string, AnyCommand>();
  private readonly list: AnyCommand[] = [];
  private readonly sections = new Map<AnyCommand, string>();

  /** `section` is the capability's name, used to group `help`. */
  register(command: AnyCommand, section = "general"): void {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const key = normalise(name);
      const existing = this.byName.get(key);
      if (existing) throw new Error(`command name "${name}" is declared twice (by "${existing.name}" and "${command.name}")`);
      this.byName.set(key, command);
    }
    this.list.push(command);
    this.sections.set(command, section);
  }

  sectionOf(command: AnyCommand): string {
    return this.sections.get(command) ?? "general";
  }

  all(): readonly AnyCommand[] {
    return this.list;
  }

  get(name: string): AnyCommand | undefined {
    return this.byName.get(normalise(name));
  }

  /** Longest run of leading words that names a command: `group driver add x` → `group driver add`. */
  lookup(tokens: Token[]): Lookup | undefined {
    const words: string[] = [];
    for (const token of tokens) {
      if (token.kind !== "word") break;
      words.push(token.value.toLowerCase());
    }
    for (let n = Math.min(words.length, 4); n > 0; n--) {
      const command = this.byName.get(words.slice(0, n).join(" "));
      if (command) return { command, rest: tokens.slice(n) };
    }
    return undefined;
  }

  /** The nearest command name to what was typed (tries the first one, two and three words). */
  suggest(tokens: Token[], visible: (c: AnyCommand) => boolean): string | undefined {
    const names = [...this.byName.entries()].filter(([, c]) => visible(c)).map(([n]) => n);
    const words = tokens.filter((t) => t.kind === "word").map((t) => t.value.toLowerCase());
    for (let n = Math.min(3, words.length); n > 0; n--) {
      const typed = words.slice(0, n).join(" ");
      const sameLength = names.filter((name) => name.split(" ").length === n);
      const hit = nearest(typed, sameLength);
      if (hit) return this.byName.get(hit)!.name;
    }
    return undefined;
  }

  /** Sub-commands of a word that is only a prefix (`meeting` → `meeting schedule`, ...). */
  under(prefix: string): AnyCommand[] {
    const p = normalise(prefix) + " ";
    return this.list.filter((c) => c.name.startsWith(p));
  }
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, " ");
}
