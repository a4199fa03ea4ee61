import type { Adapter } from "../bot/adapter.ts";

/** An in-memory adapter for benchmarks: delivers instantly and counts. */
export class CountingAdapter implements Adapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true };
  readonly commandPrefix = "/";
  delivered = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(): Promise<{ ref?: string }> {
    this.delivered++;
    return {};
  }
}
