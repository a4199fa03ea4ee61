// A TestBot with the federation's example config (its groups, drivers and
// rooms), and small readers for what meetings tests look at.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { inTransaction } from "../../db/connection.ts";
import { BaseContext } from "../../bot/context.ts";
import { TestBot, type TestBotOptions } from "../helpers/bot.ts";

export function exampleConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(parse(readFileSync("examples/workers-coop.yaml", "utf8")) as Record<string, unknown>), ...extra };
}

export function meetingsBot(opts: TestBotOptions = {}): TestBot {
  return new TestBot({ ...opts, config: exampleConfig(opts.config) });
}

/** Rows of one table, for before/after comparisons. */
export function rows(t: TestBot, table: string): Record<string, unknown>[] {
  return t.db.$client.prepare(`select * from "${table}" order by rowid`).all() as Record<string, unknown>[];
}

export function jobStates(t: TestBot, prefix: string): { key: string; state: string; note: string | null }[] {
  return t.db.$client.prepare("select key, state, note from jobs where key like ? order by due_at, id").all(`${prefix}%`) as { key: string; state: string; note: string | null }[];
}

/** Runs `fn` in one transaction with a context, as a job or an HTTP route would. */
export function withContext<T>(t: TestBot, fn: (ctx: BaseContext) => T): T {
  return inTransaction(t.db, () => fn(new BaseContext(t.bot.services, "test")));
}

export function groupId(t: TestBot, slug: string): number {
  return (t.db.$client.prepare("select id from groups where slug = ?").get(slug) as { id: number }).id;
}
