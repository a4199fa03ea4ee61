// An adapter whose deliveries succeed or fail as a test scripts them, to
// exercise the dispatcher's retry, ordering and failure rules.
import { type Adapter, type CorePort, DeliveryError } from "../../bot/adapter.ts";
import type { Delivery, Platform } from "../../bot/events.ts";

export type Fault = { rateLimitMs: number } | { outage: true } | { permanent: string };

export class ScriptedAdapter implements Adapter {
  readonly capabilities = { buttons: false, ephemeral: false, edit: true };
  readonly commandPrefix = "!coop ";
  readonly delivered: Delivery[] = [];
  readonly attempts: Delivery[] = [];
  /** Faults to apply to the next deliveries, in order. */
  readonly faults: Fault[] = [];
  down = false;
  /** While set, deliveries wait on it (a platform that hangs rather than fails). */
  gate: Promise<void> | undefined;

  constructor(readonly platform: Platform = "matrix") {}

  async start(_core: CorePort): Promise<void> {}
  async stop(): Promise<void> {}

  async deliver(delivery: Delivery): Promise<{ ref?: string }> {
    this.attempts.push(delivery);
    if (this.gate) await this.gate;
    if (this.down) throw new Error("connect ECONNREFUSED");
    const fault = this.faults.shift();
    if (fault && "rateLimitMs" in fault) throw new DeliveryError("rate limited", { retryAfterMs: fault.rateLimitMs });
    if (fault && "outage" in fault) throw new Error("502 bad gateway");
    if (fault && "permanent" in fault) throw new DeliveryError(fault.permanent, { permanent: true });
    this.delivered.push(delivery);
    return { ref: `ref-${delivery.id}` };
  }

  texts(): string[] {
    return this.delivered.map((d) => d.message.text);
  }
}
