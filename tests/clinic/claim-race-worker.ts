// Run by claim-race.test.ts in its own OS process: a whole bot on the shared
// SQLite file, clicking Claim for its triagers on every enquiry as fast as
// it can once the parent says go. It reports each click's outcome.
import { Bot } from "../../bot/app.ts";
import { ManualClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";

interface Plan {
  dbPath: string;
  now: number;
  config: Record<string, unknown>;
  triagers: string[];
  refs: string[];
}

process.once("message", (plan: Plan) => {
  const bot = new Bot({ config: buildConfig(plan.config, capabilities), capabilities, clock: new ManualClock(plan.now), log: silentLogger, db: plan.dbPath });
  process.send!({ ready: true });
  process.once("message", ({ startAt }: { startAt: number }) => {
    // Both workers spin until the same wall-clock moment, so their clicks overlap.
    while (Date.now() < startAt);
    const outcomes: string[] = [];
    // When this process's clicks began and ended (the same clock in both processes), to show they overlapped.
    const began = performance.timeOrigin + performance.now();
    for (const ref of plan.refs) {
      for (const triager of plan.triagers) {
        const result = bot.receive({
          platform: "console",
          eventId: `race:${process.pid}:${ref}:${triager}`,
          sender: { platformId: triager, displayName: triager },
          room: { id: "triage", kind: "private", name: "triage" },
          text: `claim ${ref}`,
          addressed: true,
          button: { messageRef: `card:${ref}` },
        });
        outcomes.push(result.outcome);
      }
    }
    const ended = performance.timeOrigin + performance.now();
    bot.close();
    process.send!({ outcomes, began, ended }, () => process.exit(0));
  });
});
