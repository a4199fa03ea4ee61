// `export civicrm` and `export csv <table>` (admins): CSV files in the
// admin's direct messages, never a room (they name people). The same files
// are on the admin's dashboard under Exports, made when opened, for when a
// file is too big for chat or a browser suits better.
import { DateTime } from "luxon";
import { z } from "zod";
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { MAX_FILE_BYTES } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { civicrmActivities, civicrmContacts } from "./civicrm.ts";
import { count, type CsvFile, csvText } from "./csv.ts";
import { attachment, dropBytesOnceSent, FileTooLarge, withFile } from "../core/files.ts";
import { exportablePeople } from "./people.ts";
import { plainTable, TABLES } from "./tables.ts";

/** `civicrm-contacts.csv` → `civicrm-contacts-2026-08-17.csv`. */
export function datedName(ctx: CommandContext | { now: number; config: { timezone: string } }, name: string): string {
  const day = DateTime.fromMillis(ctx.now, { zone: ctx.config.timezone }).toFormat("yyyy-LL-dd");
  return name.replace(/\.csv$/, `-${day}.csv`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Each file as a message of its own in the asker's DM, with its bytes dropped from the outbox once sent. */
function sendFiles(ctx: CommandContext, intro: string, files: CsvFile[]): void {
  const messages = files.map((f) => {
    const name = datedName(ctx, f.name);
    const bytes = Buffer.from(csvText(f), "utf8");
    try {
      return withFile(`📄 *${esc(name)}*: ${esc(f.about)}`, attachment(name, "text/csv", bytes, `CSV, ${count(f.rows.length, "row")}: ${f.header.join(", ")}`));
    } catch (err) {
      if (!(err instanceof FileTooLarge)) throw err;
      return ctx.fail(`${esc(name)} would be ${mb(err.bytes)}, more than the ${mb(MAX_FILE_BYTES)} a file in chat may be here. Open the Exports on your dashboard (${cmd("dashboard")}) to download it instead.`);
    }
  });
  const me = ctx.actor.memberId;
  ctx.toMember(me, intro);
  for (const message of messages) dropBytesOnceSent(ctx, ctx.toMember(me, message));
  if (ctx.event.room.kind !== "dm") ctx.reply("I've sent the files to you in a direct message: they name people, so they stay out of rooms.");
}

export const exportCivicrm = defineCommand({
  name: "export civicrm",
  summary: "CiviCRM-ready CSV files (contacts, then activities), in your direct messages",
  description:
    "Contacts are members (by their chat accounts, as External Identifier) with their location, skills, interests, groups and roles; activities are verified actions, meetings attended, clinic transactions (category only) and thanks, each matched to its contact by External Identifier. Import the contacts first. No enquiry's words and nothing people wrote in chat are in them.",
  examples: ["export civicrm"],
  args: NO_ARGS,
  allow: ["admin"],
  run(ctx) {
    const people = exportablePeople(ctx);
    const intro = `📦 The CiviCRM export, in the next two messages: contacts first (Contacts → Import Contacts, as Individuals), then activities (Activities → Import Activities, matching contacts by External Identifier). Dates are yyyy-mm-dd HH:MM, ${esc(ctx.config.timezone)} time. The bot's README (“Exports for CiviCRM”) lists every column and the custom fields to create first.`;
    sendFiles(ctx, intro, [civicrmContacts(ctx, people), civicrmActivities(ctx, people)]);
  },
});

export const exportCsv = defineCommand({
  name: "export csv",
  summary: "One table as a plain CSV file, in your direct messages",
  description: "Tables: members, groups, memberships, actions (verified), attendance, thanks, clinic (transactions: category, adviser and dates only). Times are ISO 8601 in UTC.",
  examples: ["export csv members", "export csv attendance"],
  args: z.object({ table: z.enum(TABLES).describe("which table") }),
  positional: ["table"],
  allow: ["admin"],
  run(ctx, args) {
    const file = plainTable(ctx, args.table);
    sendFiles(ctx, `📦 The ${args.table} table as CSV (times in UTC):`, [file]);
  },
});

