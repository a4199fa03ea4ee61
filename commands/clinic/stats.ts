// `clinic stats`: how the clinic is doing, never any enquiry's text. And
// the figures it contributes to `progress` against the strategy's targets
// (5 trained triagers, 20 onboarded advisers, 30 transactions, 100 website
// enquiries).
import { z } from "zod";
import { parseDuration, formatDuration } from "../../bot/clock.ts";
import { defineCommand } from "../../bot/command.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { mention } from "../../bot/markup.ts";
import { messagesOfEnquiriesBetween } from "../../db/clinic-conversation.ts";
import type { Db } from "../../db/connection.ts";
import { countEnquiries, enquiriesCreatedBetween, unresolvedEnquiries, type Enquiry } from "../../db/clinic.ts";
import { acceptedHandoffs, countAdvisersAt, countRoleHoldersAt, liveHandoffsOf, transactionsBetween } from "../../db/clinic-network.ts";
import { TRIAGERS, when } from "./access.ts";
import { businessTimeBetween } from "./business-hours.ts";
import { clinicSettings } from "./config.ts";

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const roundToMinute = (ms: number) => Math.round(ms / 60_000) * 60_000;
const shown = (ms: number | undefined, n: number) => (ms === undefined ? "none yet" : `${formatDuration(roundToMinute(ms))} (${n})`);

function counted(items: (string | null)[], empty: string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item ?? empty, (counts.get(item ?? empty) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
}

/** Messages either way in the period's enquiries, and the median time from an enquiry to the clinic's first message to its enquirer. */
function conversationLine(ctx: { db: Db }, enquiries: Enquiry[], from: number | undefined, to: number): string {
  const messages = messagesOfEnquiriesBetween(ctx.db, from, to);
  const out = messages.filter((m) => m.direction === "out");
  const inbound = messages.filter((m) => m.direction === "in");
  const firstOut = new Map<number, number>();
  for (const m of out) if (!firstOut.has(m.enquiryId)) firstOut.set(m.enquiryId, m.createdAt);
  const toReply = enquiries.filter((e) => firstOut.has(e.id)).map((e) => firstOut.get(e.id)! - e.createdAt);
  const byEmail = out.filter((m) => m.via === "email").length;
  const onPage = inbound.filter((m) => m.via === "page").length;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return `Conversations: ${n(out.length, "reply", "replies")} to enquirers (${byEmail} by email), ${n(inbound.length, "message", "messages")} from them (${onPage} on the reply page) · median time to first reply: ${shown(median(toReply), toReply.length)}`;
}

export const clinicStats = defineCommand({
  name: "clinic stats",
  summary: "The clinic's figures for a period: enquiries, time to claim, to a first reply and to an adviser, conversations, transactions (never any text)",
  examples: ["clinic stats", "clinic stats 7d", "clinic stats all"],
  args: z.object({ period: z.string().default("30d").describe("how far back: 7d, 4w, 90d or all (default 30d)") }),
  positional: ["period"],
  allow: [...TRIAGERS, "admin"],
  run(ctx, args) {
    const all = args.period.toLowerCase() === "all";
    const span = all ? undefined : parseDuration(args.period);
    if (!all && span === undefined) return ctx.fail(`\`${args.period}\` isn't a period; write it like 7d, 4w or all.`, { showUsage: true });
    const from = span === undefined ? undefined : ctx.now - span;
    const enquiries = enquiriesCreatedBetween(ctx.db, from, ctx.now);
    const ids = new Set(enquiries.map((e) => e.id));
    const firstAccepted = new Map<number, number>();
    for (const h of acceptedHandoffs(ctx.db)) if (ids.has(h.enquiryId) && !firstAccepted.has(h.enquiryId)) firstAccepted.set(h.enquiryId, h.decidedAt!);
    const toClaim = enquiries.filter((e) => e.firstClaimedAt !== null).map((e) => e.firstClaimedAt! - e.createdAt);
    const toAdviser = enquiries.filter((e) => firstAccepted.has(e.id)).map((e) => firstAccepted.get(e.id)! - e.createdAt);
    const transactions = transactionsBetween(ctx.db, from, ctx.now);
    const perAdviser = new Map<number, number>();
    for (const t of transactions) perAdviser.set(t.adviserId, (perAdviser.get(t.adviserId) ?? 0) + 1);

    const { hours, roomAfterMs, checkInAfterMs } = clinicSettings(ctx.config);
    const open = unresolvedEnquiries(ctx.db);
    const silentSince = (adviserId: number, enquiryId: number) => liveHandoffsOf(ctx.db, adviserId).find((h) => h.enquiryId === enquiryId)?.lastActivityAt ?? ctx.now;
    const stale = open.filter((e) =>
      e.state === "open" ? businessTimeBetween(e.createdAt, ctx.now, hours) >= roomAfterMs : e.state === "with-adviser" && ctx.now - silentSince(e.adviserId!, e.id) >= checkInAfterMs,
    );
    const byState = (state: string) => open.filter((e) => e.state === state).length;

    const lines = [
      `*Co-op Clinic, ${all ? "since the start" : `last ${args.period} (since ${when(ctx, from!)})`}*`,
      `Enquiries: ${enquiries.length} (by source: ${counted(enquiries.map((e) => e.source), "?")}) · by category: ${counted(enquiries.map((e) => e.category), "uncategorised")}`,
      `Median time to claim: ${shown(median(toClaim), toClaim.length)} · to an adviser: ${shown(median(toAdviser), toAdviser.length)}`,
      conversationLine(ctx, enquiries, from, ctx.now),
      `Transactions (accepted handoffs): ${transactions.length}, ${transactions.filter((t) => t.resolvedAt !== null).length} resolved · per adviser: ${[...perAdviser].map(([id, n]) => `${mention(id)} ${n}`).join(", ") || "none"}`,
      `Now: ${open.length} open (${byState("open")} unclaimed, ${byState("claimed")} with a triager, ${byState("with-adviser")} with an adviser), ${stale.length} stale (unclaimed past ${roomAfterMs / 3600_000} working hours, or an adviser silent ${checkInAfterMs / 86_400_000}+ days)`,
    ];
    ctx.reply(lines.join("\n"));
  },
});

export const clinicMetrics: MetricSpec[] = [
  { key: "clinic.triagers", label: "Trained triagers", compute: (ctx, range) => countRoleHoldersAt(ctx.db, TRIAGERS, range.to) },
  { key: "clinic.advisers", label: "Onboarded advisers", compute: (ctx, range) => countAdvisersAt(ctx.db, range.to) },
  { key: "clinic.transactions", label: "Clinic transactions (accepted handoffs)", compute: (ctx, range) => transactionsBetween(ctx.db, range.from, range.to).length },
  { key: "clinic.website-enquiries", label: "Enquiries through the website", compute: (ctx, range) => countEnquiries(ctx.db, { source: "website", from: range.from, to: range.to }) },
];
