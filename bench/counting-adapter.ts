import type { Adapter } from "../bot/adapter.ts";

/**
 * An in-memory adapter for benchmarks: delivers instantly, counts, and answers
 * like a real one (each post gets a platform reference, which the bot records).
 */
export class CountingAdapter implements Adapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true };
  readonly commandPrefix = "/";
  delivered = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(d: { id: number; kind: string }): Promise<{ ref?: string }> {
    this.delivered++;
    return { ref: `ref-${d.kind}-${d.id}` };
  }
}
