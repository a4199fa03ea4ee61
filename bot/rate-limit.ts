// How fast one member may send commands: a token bucket per member. A full
// bucket holds `burst` commands (a pasted list, a run of button clicks);
// each command takes one, and `perSecond` come back each second.
//
// A command that finds the bucket empty is refused before it is parsed.
// The first refusal after a full bucket gets one short notice; the rest
// get nothing until the member has paused long enough for the bucket to
// fill again, so a flood of commands can never become a flood of replies.
//
// The buckets live in memory, not the database. That is enough for what
// they are for (keeping one member from swamping the bot and everyone it
// writes to), and it keeps a refused command from writing anything but its
// ledger row. What it gives up: a restart refills every bucket (a member
// can't cause one), and two bot processes on one database each keep their
// own (at most twice the rate).
import { type Limits, limitNote } from "./limits.ts";

/** `allow`: go ahead; `warn`: refuse with the notice; `quiet`: refuse without a word. */
export type RateVerdict = "allow" | "warn" | "quiet";

interface Bucket {
  tokens: number;
  at: number;
  /** The notice was given since the bucket was last full. */
  warned: boolean;
}

/** Buckets kept before full ones (members who have paused) are forgotten. */
const SWEEP_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly limits: Limits["commands"]) {}

  /** Takes one command's token for `memberId` at `now` (the injected clock). */
  take(memberId: number, now: number): RateVerdict {
    const bucket = this.refilled(memberId, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return "allow";
    }
    if (bucket.warned) return "quiet";
    bucket.warned = true;
    return "warn";
  }

  /**
   * Undoes a take() whose event turned out to be a redelivery: a platform
   * sending the same event twice shouldn't use up the member's burst.
   */
  giveBack(memberId: number, verdict: RateVerdict): void {
    const bucket = this.buckets.get(memberId);
    if (!bucket) return;
    if (verdict === "allow") bucket.tokens = Math.min(this.limits.burst, bucket.tokens + 1);
    else if (verdict === "warn") bucket.warned = false;
  }

  /** What a member is told once per burst. */
  notice(): string {
    const { burst, perSecond } = this.limits;
    const pause = Math.ceil(burst / perSecond);
    return [
      `⏳ Slow down, please: that's more than ${burst} commands at once, so I skipped this one and changed nothing.`,
      `I take ${perSecond} a second from here, and skip the rest without a word until you pause for ${pause} second${pause === 1 ? "" : "s"}.`,
      limitNote("commands"),
    ].join(" ");
  }

  private refilled(memberId: number, now: number): Bucket {
    const { burst, perSecond } = this.limits;
    let bucket = this.buckets.get(memberId);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      bucket = { tokens: burst, at: now, warned: false };
      this.buckets.set(memberId, bucket);
      return bucket;
    }
    // A clock set back (a replay's @clock) refills nothing, and counts on from there.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsed * perSecond) / 1000);
    bucket.at = now;
    if (bucket.tokens >= burst) bucket.warned = false;
    return bucket;
  }

  /** Forgets buckets that have filled up again: they are the same as no bucket. */
  private sweep(now: number): void {
    const { burst, perSecond } = this.limits;
    for (const [id, b] of this.buckets) {
      if (b.tokens + (Math.max(0, now - b.at) * perSecond) / 1000 >= burst) this.buckets.delete(id);
    }
  }
}
