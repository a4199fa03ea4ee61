// `/metrics` in Prometheus's text format. prom-client is loaded only when
// monitoring is switched on (`http.monitoring: true`), so a bot without it
// never pays for it at start. Each bot has its own registry: two bots in one
// process (tests) never share a counter.
import type { FailureReason, MetricSink } from "./observe.ts";

/** What the database and the adapters look like at one scrape (bot/health.ts takes it). */
export interface Snapshot {
  outbox: { platform: string; pending: number; oldestAgeSeconds: number }[];
  inbox: { platform: string; waiting: number }[];
  jobsDue: number;
  schedulerLagSeconds: number;
  databaseBytes: number;
  walBytes: number;
  adapters: { platform: string; connected: boolean }[];
}

export interface BotMetrics extends MetricSink {
  readonly contentType: string;
  /** The exposition text, with the gauges set from `snapshot`. */
  render(snapshot: Snapshot): Promise<string>;
}

/**
 * Command latency buckets, in seconds: a command costs a few hundred
 * microseconds when all is well (bench/RESULTS.md), a slow disk or a lock
 * held by another process shows up in the upper ones.
 */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export async function createMetrics(): Promise<BotMetrics> {
  // A CommonJS package: Node's ESM loader gives its exports as named ones too, a bundle only as `default`.
  const loaded = (await import("prom-client")) as typeof import("prom-client") & { default?: typeof import("prom-client") };
  const prom = loaded.default ?? loaded;
  const registry = new prom.Registry();
  // The process's own figures (CPU, memory, event-loop delay, open files): what a small VPS runs out of first.
  prom.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[]) => new prom.Counter({ name, help, labelNames, registers });
  const gauge = (name: string, help: string, labelNames: string[] = []) => new prom.Gauge({ name, help, labelNames, registers });

  const commands = counter("coopbot_commands_total", "Inbound events handled, by command name and outcome (ok, refused, invalid, denied, unknown, limited, duplicate, error).", ["command", "outcome"]);
  const latency = new prom.Histogram({ name: "coopbot_command_duration_seconds", help: "Time from an inbound event reaching the core to its transaction committing, by command.", labelNames: ["command"], buckets: LATENCY_BUCKETS, registers });
  const jobs = counter("coopbot_jobs_total", "Scheduled jobs run, by kind and outcome (ok, skipped, failed).", ["kind", "outcome"]);
  const deliveries = counter("coopbot_deliveries_total", "Messages the platforms accepted, by platform.", ["platform"]);
  const failures = counter("coopbot_delivery_failures_total", "Delivery attempts that failed, by platform and reason (rate_limited and transient are retried; permanent is given up).", ["platform", "reason"]);
  const outboxPending = gauge("coopbot_outbox_pending", "Messages waiting to be sent, by platform.", ["platform"]);
  const outboxAge = gauge("coopbot_outbox_oldest_pending_age_seconds", "Age of the oldest message waiting to be sent, by platform (0 when none waits).", ["platform"]);
  const inbox = gauge("coopbot_inbox_backlog", "Inbound events stored and not yet handled, by platform.", ["platform"]);
  const jobsDue = gauge("coopbot_jobs_due", "Scheduled jobs due now and not yet run.");
  const lag = gauge("coopbot_scheduler_lag_seconds", "How late the most overdue scheduled job is (0 when none is due).");
  const dbSize = gauge("coopbot_database_size_bytes", "Size of the SQLite database file.");
  const walSize = gauge("coopbot_database_wal_size_bytes", "Size of the database's write-ahead log.");
  const connected = gauge("coopbot_adapter_connected", "1 when the platform adapter is connected, 0 when not.", ["platform"]);

  return {
    contentType: registry.contentType,
    command(name: string, outcome: string, seconds: number) {
      commands.inc({ command: name, outcome });
      latency.observe({ command: name }, seconds);
    },
    job(kind: string, outcome: string) {
      jobs.inc({ kind, outcome });
    },
    delivered(platform: string) {
      deliveries.inc({ platform });
    },
    deliveryFailed(platform: string, reason: FailureReason) {
      failures.inc({ platform, reason });
    },
    async render(s: Snapshot): Promise<string> {
      // Reset first: a platform that no longer has anything pending must show 0, not its last value.
      for (const g of [outboxPending, outboxAge, inbox, connected]) g.reset();
      for (const o of s.outbox) {
        outboxPending.set({ platform: o.platform }, o.pending);
        outboxAge.set({ platform: o.platform }, o.oldestAgeSeconds);
      }
      for (const i of s.inbox) inbox.set({ platform: i.platform }, i.waiting);
      for (const a of s.adapters) connected.set({ platform: a.platform }, a.connected ? 1 : 0);
      jobsDue.set(s.jobsDue);
      lag.set(s.schedulerLagSeconds);
      dbSize.set(s.databaseBytes);
      walSize.set(s.walBytes);
      return registry.metrics();
    },
  };
}
