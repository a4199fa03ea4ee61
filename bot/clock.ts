// The only place that reads the wall clock. Everything else asks a Clock, so
// tests and transcript replays can move time by hand.

export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
};

/** A clock that only moves when told to: for tests and `coopbot replay`. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError("a clock cannot go backwards by advance(); use set()");
    this.current += ms;
  }
}

const UNIT_MS: Record<string, number> = {
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
};

/**
 * Parses durations people and transcripts write: `2h30m`, `7d`, `45m`, `1w2d`.
 * Returns undefined for anything else (including an empty string or `0`).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[wdhms])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([wdhms])/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return total > 0 ? total : undefined;
}

/** `90000` → `1m30s`: the inverse of parseDuration, for messages. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  if (rest === 0) return "0s";
  let out = "";
  for (const unit of ["d", "h", "m", "s"]) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
