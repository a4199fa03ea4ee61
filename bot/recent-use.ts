// What members asked of the read-only commands lately. Those commands write
// nothing (bot/read-only.ts), so the inbound ledger, which `help` reads to
// put a member's own commands first, never sees them: a member who mostly
// types `groups` and `meetings` would be offered the starters instead. This
// keeps the count in memory (lost on a restart, like any hint), bounded.
export interface Use {
  command: string;
  uses: number;
  last: number;
}

const MAX_MEMBERS = 5_000;
const MAX_COMMANDS_PER_MEMBER = 20;

export class RecentUse {
  /** Insertion order is recency: a member noted again moves to the end, the oldest goes first. */
  private readonly byMember = new Map<number, Map<string, Use>>();

  note(memberId: number, command: string, at: number): void {
    let uses = this.byMember.get(memberId);
    if (uses) this.byMember.delete(memberId);
    else uses = new Map();
    this.byMember.set(memberId, uses);
    if (this.byMember.size > MAX_MEMBERS) this.byMember.delete(this.byMember.keys().next().value!);
    const use = uses.get(command) ?? { command, uses: 0, last: at };
    uses.set(command, { command, uses: use.uses + 1, last: at });
    if (uses.size > MAX_COMMANDS_PER_MEMBER) uses.delete(leastRecent(uses, command));
  }

  /** This member's uses since `since`. */
  of(memberId: number, since: number): Use[] {
    return [...(this.byMember.get(memberId)?.values() ?? [])].filter((u) => u.last >= since);
  }

  /** Everything known of a member goes (they asked to be forgotten). */
  forget(memberId: number): void {
    this.byMember.delete(memberId);
  }
}

/** The command used longest ago, other than the one just used (a new command must be able to get in). */
function leastRecent(uses: Map<string, Use>, current: string): string {
  let least: Use | undefined;
  for (const u of uses.values()) if (u.command !== current && (!least || u.last < least.last)) least = u;
  return least!.command;
}

/** Two lists of uses as one, most used first (ties: most recent first). */
export function rankUses(...lists: Use[][]): string[] {
  const merged = new Map<string, Use>();
  for (const u of lists.flat()) {
    const seen = merged.get(u.command);
    merged.set(u.command, seen ? { command: u.command, uses: seen.uses + u.uses, last: Math.max(seen.last, u.last) } : u);
  }
  return [...merged.values()].sort((a, b) => b.uses - a.uses || b.last - a.last).map((u) => u.command);
}
