// A bot with a small federation for the actions tests: comms has two
// drivers (sam and kim, for the races), mobilising has one (jo).
import { inTransaction } from "../../db/connection.ts";
import { BaseContext } from "../../bot/context.ts";
import type { DomainEventName, DomainEvents } from "../../bot/domain.ts";
import { TestBot, type TestBotOptions } from "../helpers/bot.ts";

export const GROUPS = [
  { slug: "comms", name: "Comms", kind: "working", drivers: ["console:sam", "console:kim"], rooms: ["console:comms"] },
  { slug: "mobilising", name: "Mobilising", kind: "working", drivers: ["console:jo"], rooms: ["console:mobilising"] },
];

export const JOBS = [
  { slug: "share-campaign", title: "Share campaign material", journey: "motivate", weight: 1 },
  { slug: "contact-coop", title: "Contact a co-op", journey: "motivate", weight: 3 },
  { slug: "welcome-newcomer", title: "Welcome a newcomer", journey: "motivate", weight: 2 },
  { slug: "run-webinar", title: "Run a webinar", journey: "educate", weight: 5 },
];

export function actionsBot(opts: TestBotOptions & { actions?: Record<string, unknown> } = {}): TestBot {
  const { actions, ...rest } = opts;
  return new TestBot({ ...rest, config: { groups: GROUPS, actions: { jobs: JOBS, ...actions }, ...rest.config } });
}

/** Emits a domain event the way another capability would: inside a transaction. */
export function emit<E extends DomainEventName>(t: TestBot, name: E, payload: DomainEvents[E]): void {
  inTransaction(t.db, () => new BaseContext(t.bot.services, "test").emit(name, payload));
}

/** Members say something first so they exist (and a later snapshot only sees what a command changed). */
export async function meet(t: TestBot, ...names: string[]): Promise<void> {
  for (const name of names) await t.say(name, "/whoami");
  t.texts();
}

export function memberId(t: TestBot, name: string): number {
  const row = t.db.$client.prepare("select member_id as id from identities where platform = 'console' and platform_id = ?").get(name) as { id: number } | undefined;
  if (!row) throw new Error(`${name} has not spoken yet`);
  return row.id;
}

export function actionRows(t: TestBot): { id: number; member_id: number; state: string; source: string | null; job_id: number | null; group_id: number | null; decided_by: number | null }[] {
  return t.db.$client.prepare("select * from actions order by id").all() as never;
}
