// The strategy's figures against its targets, computed once for everything
// that shows them: `progress` in words, its chart in chat, and the
// dashboard. Every capability contributes the figures it knows (`metrics`);
// targets come from the `actions` config. A target whose figure no
// installed capability provides is marked untracked rather than shown as a
// misleading 0.
import type { BaseContext } from "../../bot/context.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { actionsConfig } from "./config.ts";

/** How the strategy's figures read before the capability that counts them is installed. */
export const STRATEGY_LABELS: Record<string, string> = {
  "meetings.networks-active": "Active peer networks",
  "meetings.network-participants": "Peer network participants",
  "meetings.webinars": "Webinars and workshops run",
  "clinic.triagers": "Trained clinic triagers",
  "clinic.advisers": "Onboarded clinic advisers",
  "clinic.transactions": "Clinic transactions recorded",
  "clinic.website-enquiries": "Enquiries through the website",
};

export interface TargetRow {
  key: string;
  label: string;
  /** Undefined for a figure counted without a target. */
  target?: number;
  /** The figure in the period and since the start; undefined when nothing installed counts it. */
  inPeriod?: number;
  sinceStart?: number;
  /** How a figure reads when it isn't a plain count (a median of days: NaN reads "none yet"). */
  format?: (value: number) => string;
}

/** A row's figure as people read it: its own format, else `plain` (a count). */
export const figureText = (row: TargetRow, value: number, plain: (v: number) => string = String): string => (row.format ? row.format(value) : plain(value));

/** Targets first, in the config's order, then figures with no target (one that reads with another, `after`, right after it). */
export function targetRows(ctx: BaseContext, period: { from: number; to: number }): TargetRow[] {
  const { targets } = actionsConfig(ctx.config);
  const metrics = new Map(ctx.services.metrics.map((m) => [m.key, m]));
  const sinceStart = { to: ctx.now + 1 };
  const counted = (m: MetricSpec) => ({ label: m.label, inPeriod: m.compute(ctx, period), sinceStart: m.compute(ctx, sinceStart), ...(m.format ? { format: m.format } : {}) });
  const rows: TargetRow[] = Object.entries(targets).map(([key, target]) => {
    const metric = metrics.get(key);
    return metric ? { key, target, ...counted(metric) } : { key, target, label: STRATEGY_LABELS[key] ?? key };
  });
  for (const m of metrics.values()) {
    if (m.key in targets) continue;
    // Joined network members go beside attended participants, so the two aren't confused.
    const anchor = m.after === undefined ? -1 : rows.findIndex((r) => r.key === m.after);
    rows.splice(anchor >= 0 ? anchor + 1 : rows.length, 0, { key: m.key, ...counted(m) });
  }
  return rows;
}

/** A target's figure since the start at each of these instants (the ends of months), for a chart over time. */
export function sinceStartAt(ctx: BaseContext, key: string, instants: readonly number[]): number[] | undefined {
  const metric = ctx.services.metrics.find((m) => m.key === key);
  return metric && instants.map((to) => metric.compute(ctx, { to }));
}

export const percentOf = (figure: number, target: number): number => Math.floor((figure / target) * 100);
