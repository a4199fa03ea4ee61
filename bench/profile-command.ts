// A CPU profile of one command on the bench's path (shipped config, CountingAdapter):
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-command.ts groups|help|write [n]
// then `npx tsx bench/profile-summary.ts /tmp/prof/*.cpuprofile` for self time by function.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coopbotCommands } from "./command-path.ts";

const kind = (process.argv[2] ?? "groups") as "write" | "groups" | "help";
const n = Number(process.argv[3] ?? 20_000);
const result = await coopbotCommands(mkdtempSync(join(tmpdir(), "coopbot-prof-")), n, 3, kind);
console.log(kind, Math.round(result.timing.perSecond), "commands/s, p50", result.timing.p50us.toFixed(1), "µs");
