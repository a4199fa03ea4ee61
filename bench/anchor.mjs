// The bare-import anchor for the start bench: the libraries every coopbot
// start needs (SQLite, drizzle, zod, luxon) imported and touched once, in a
// plain Node process, then "ready". coopbot's start is measured against it.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { DateTime } from "luxon";
import { z } from "zod";

const db = drizzle({ client: new Database(":memory:") });
db.$client.prepare("select 1").get();
z.object({ a: z.string() }).parse({ a: "x" });
DateTime.now();
process.stdout.write("ready\n");
