// Prints the SQL statements one command runs on the bench's bot (shipped
// config, after three warm-up runs of the same command), and how many write
// transactions they make: where a command's statements come from.
//   npx tsx bench/trace-command.ts "log share-campaign posted the leaflet --group comms" [member]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchBot, event } from "./command-path.ts";

const command = process.argv[2] ?? "groups";
const member = process.argv[3] ?? "m1";
const dir = mkdtempSync(join(tmpdir(), "coopbot-trace-"));
const b = benchBot(dir, "trace");
// Each run's text differs a little, as a member's commands do (a log repeated word for word is the same action).
const text = (i: number) => (command.startsWith("log ") ? `${command} (${i})` : command);
for (let i = 0; i < 3; i++) {
  b.bot.receive(event(member, text(i)));
  await b.bot.dispatcher.sendDue();
}
b.counter.trace = [];
b.counter.counting = true;
b.bot.receive(event(member, text(3)));
await b.bot.dispatcher.sendDue();
b.counter.counting = false;
console.log(b.counter.trace.join("\n"));
console.log(`\n${b.counter.statements} statements, ${b.counter.writes} write transactions (the previous command's "sent" marks ride this one's transaction)`);
b.bot.close();
rmSync(dir, { recursive: true, force: true });
