// The clinic's funnel for the dashboard (admins only): how many enquiries
// came in, were claimed by a triager, were offered to an adviser, became a
// transaction (an adviser accepted), and were resolved; how long a claim
// took; enquiries per month by where they came from. Counts and dates only:
// the queries behind it never read an enquiry's words.
import type { BaseContext } from "../../bot/context.ts";
import { funnelEnquiries, handoffStates } from "../../db/reports.ts";
import { perMonth, type Month } from "./months.ts";

export interface Funnel {
  received: number;
  claimed: number;
  offered: number;
  accepted: number;
  resolved: number;
  /** Median time from an enquiry to its first claim, over those claimed; undefined when none was. */
  medianToClaimMs?: number;
  bySource: { chat: number[]; website: number[] };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The funnel for enquiries made in the months shown. */
export function clinicFunnel(ctx: BaseContext, months: readonly Month[]): Funnel {
  const enquiries = funnelEnquiries(ctx.db, months[0]?.from, months.at(-1)?.to ?? ctx.now + 1);
  const ids = new Set(enquiries.map((e) => e.id));
  const offered = new Set<number>();
  const accepted = new Set<number>();
  for (const h of handoffStates(ctx.db)) {
    if (!ids.has(h.enquiryId)) continue;
    offered.add(h.enquiryId);
    if (h.state === "accepted" || h.state === "resolved") accepted.add(h.enquiryId);
  }
  const claimed = enquiries.filter((e) => e.firstClaimedAt !== null);
  return {
    received: enquiries.length,
    claimed: claimed.length,
    offered: offered.size,
    accepted: accepted.size,
    resolved: enquiries.filter((e) => e.state === "resolved").length,
    medianToClaimMs: median(claimed.map((e) => e.firstClaimedAt! - e.createdAt)),
    bySource: {
      chat: perMonth(months, enquiries.filter((e) => e.source !== "website").map((e) => e.createdAt)),
      website: perMonth(months, enquiries.filter((e) => e.source === "website").map((e) => e.createdAt)),
    },
  };
}
