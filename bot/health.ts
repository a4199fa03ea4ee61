// `/healthz`, `/readyz` and `/metrics` on the bot's HTTP server, when the
// config says `http.monitoring: true`. Liveness says only that the process
// answers; readiness that it can do its work now: the database takes a
// write, every configured adapter is connected, and the scheduler keeps up.
import { fileSizes, jobsDue, pendingOutbox, probeWrite, schedulerLagMs, waitingInbox } from "../db/monitoring.ts";
import type { Adapter } from "./adapter.ts";
import type { Services } from "./context.ts";
import type { HttpResponse, HttpRoute } from "./http.ts";
import { safeText } from "./log-safety.ts";
import type { BotMetrics, Snapshot } from "./metrics.ts";

/**
 * The scheduler runs due jobs every second, in batches; a job overdue by
 * more than this means it is falling behind (or stuck), not merely busy.
 */
export const READY_MAX_SCHEDULER_LAG_MS = 60_000;

export interface Monitored {
  services: Services;
  /** Every configured adapter, started or not (one that failed to start is not connected). */
  adapters(): readonly Adapter[];
}

export interface Check {
  ok: boolean;
  detail?: string;
}

export function readiness(bot: Monitored): { ready: boolean; checks: Record<string, Check> } {
  const { db, clock } = bot.services;
  const now = clock.now();
  const checks: Record<string, Check> = {};
  try {
    probeWrite(db, String(now));
    checks.database = { ok: true };
  } catch (err) {
    checks.database = { ok: false, detail: `not writable: ${safeText((err as Error).message, 200)}` };
  }
  for (const adapter of bot.adapters()) {
    const up = adapter.connected?.() ?? true;
    checks[`adapter:${adapter.platform}`] = up ? { ok: true } : { ok: false, detail: "disconnected" };
  }
  let lag = 0;
  try {
    lag = schedulerLagMs(db, now);
    checks.scheduler = lag <= READY_MAX_SCHEDULER_LAG_MS ? { ok: true } : { ok: false, detail: `the oldest due job is ${Math.round(lag / 1000)} s late` };
  } catch (err) {
    checks.scheduler = { ok: false, detail: safeText((err as Error).message, 200) };
  }
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

export function snapshot(bot: Monitored): Snapshot {
  const { db, clock } = bot.services;
  const now = clock.now();
  const platforms = new Set<string>(bot.adapters().map((a) => a.platform));
  const outbox = new Map(pendingOutbox(db).map((o) => [o.platform, o]));
  const inbox = new Map(waitingInbox(db).map((i) => [i.platform, i]));
  const seconds = (ms: number) => Math.max(0, ms) / 1000;
  const sizes = fileSizes(db);
  return {
    outbox: [...new Set([...platforms, ...outbox.keys()])].map((platform) => {
      const o = outbox.get(platform);
      return { platform, pending: o?.count ?? 0, oldestAgeSeconds: o?.oldestAt == null ? 0 : seconds(now - o.oldestAt) };
    }),
    inbox: [...new Set([...platforms, ...inbox.keys()])].map((platform) => ({ platform, waiting: inbox.get(platform)?.count ?? 0 })),
    jobsDue: jobsDue(db, now),
    schedulerLagSeconds: seconds(schedulerLagMs(db, now)),
    databaseBytes: sizes.database,
    walBytes: sizes.wal,
    adapters: bot.adapters().map((a) => ({ platform: a.platform, connected: a.connected?.() ?? true })),
  };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { "cache-control": "no-store" }, body: JSON.stringify(body) });

export function monitoringRoutes(bot: Monitored, metrics: BotMetrics): HttpRoute[] {
  return [
    { method: "GET", path: "/healthz", handle: () => json(200, { status: "alive" }) },
    {
      method: "GET",
      path: "/readyz",
      handle: () => {
        const { ready, checks } = readiness(bot);
        return json(ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks });
      },
    },
    {
      method: "GET",
      path: "/metrics",
      handle: async () => ({ status: 200, headers: { "content-type": metrics.contentType, "cache-control": "no-store" }, body: await metrics.render(snapshot(bot)) }),
    },
  ];
}
