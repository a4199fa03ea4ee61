// Small helpers for benchmarks: repeated rounds, medians, percentiles, tables.
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export interface Timing {
  /** Operations per second over the whole round. */
  perSecond: number;
  p50us: number;
  p99us: number;
}

/**
 * Runs `op` n times, timing each; returns throughput and per-op latency
 * percentiles. `untimed` runs after each op and is left out of both.
 */
export async function timeOps(n: number, op: (i: number) => unknown | Promise<unknown>, untimed?: () => Promise<unknown>): Promise<Timing> {
  const each: number[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    const took = performance.now() - t0;
    each[i] = took * 1000;
    total += took;
    if (untimed) await untimed();
  }
  each.sort((a, b) => a - b);
  return { perSecond: (n / total) * 1000, p50us: percentile(each, 50), p99us: percentile(each, 99) };
}

/** Median of each field over several rounds (the first round warms up and is dropped). */
export async function rounds(count: number, run: () => Promise<Timing>): Promise<Timing> {
  await run();
  const results: Timing[] = [];
  for (let i = 0; i < count; i++) results.push(await run());
  return { perSecond: median(results.map((r) => r.perSecond)), p50us: median(results.map((r) => r.p50us)), p99us: median(results.map((r) => r.p99us)) };
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? format(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(headers), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.map(line)].join("\n");
}

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-GB");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
