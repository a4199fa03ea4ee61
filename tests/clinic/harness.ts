// Clinic tests run on bots made here: the example's private triage room,
// and, after every test, the privacy guard over everything each bot queued.
import { afterEach } from "vitest";
import { TestBot, type TestBotOptions } from "../helpers/bot.ts";
import { assertNoEnquiryTextInPublic } from "./privacy-guard.ts";

export const CLINIC_CONFIG = {
  console: { rooms: { triage: "private" as const } },
  clinic: { triageRoom: "console:triage" },
};

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface ClinicBots {
  /** A bot with the clinic config (plus `opts.config`); guarded and closed after the test. */
  (opts?: TestBotOptions): TestBot;
  /** Texts the guard should also look for (erased enquiries are no longer in the database). */
  secrets: string[];
}

export function useClinicBots(): ClinicBots {
  const bots: TestBot[] = [];
  const make = ((opts: TestBotOptions = {}) => {
    const bot = new TestBot({ ...opts, config: { ...CLINIC_CONFIG, ...opts.config } });
    bots.push(bot);
    return bot;
  }) as ClinicBots;
  make.secrets = [];
  afterEach(async () => {
    try {
      for (const bot of bots) {
        if (bot.db.$client.open) assertNoEnquiryTextInPublic(bot.db, (_p, room) => bot.adapter.roomKind(room), make.secrets);
      }
    } finally {
      for (const bot of bots.splice(0)) if (bot.db.$client.open) await bot.close();
      make.secrets = [];
    }
  });
  return make;
}

/** Sets up triagers, a lead and the usual advisers by talking to the bot like an admin would. */
export async function staffClinic(t: TestBot, opts: { triagers?: string[]; leads?: string[]; advisers?: string[] } = {}): Promise<void> {
  const adviserNames = (opts.advisers ?? []).map((line) => line.split(" ")[0]!);
  for (const name of [...(opts.triagers ?? ["tara", "uma"]), ...(opts.leads ?? []), ...adviserNames]) await t.say(name, "whoami", `dm:${name}`); // known to the bot (a hello would start the welcome tour)
  for (const name of opts.triagers ?? ["tara", "uma"]) await t.say("admin", `/role grant @${name} triager`);
  for (const name of opts.leads ?? []) await t.say("admin", `/role grant @${name} triage-lead`);
  for (const line of opts.advisers ?? []) await t.say("admin", `/adviser add @${line}`);
  t.take();
}
