// Reads that must agree (a dashboard page, an export): inSnapshot keeps them
// to one read transaction, so another process's commit in the middle is
// either wholly in or wholly out.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { type Db, openDatabase } from "../../db/connection.ts";
import { inSnapshot, readScope } from "../../db/transaction.ts";

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.$client.close();
});

function twoConnections(): [Db, Db] {
  const path = join(mkdtempSync(join(tmpdir(), "coopbot-snapshot-")), "db.sqlite");
  const reader = openDatabase(path);
  const writer = openDatabase(path);
  open.push(reader, writer);
  writer.$client.exec("create table figures (n integer)");
  return [reader, writer];
}

const count = (db: Db) => (db.$client.prepare("select count(*) as n from figures").get() as { n: number }).n;
const commitElsewhere = (db: Db) => db.$client.prepare("insert into figures (n) values (1)").run();

/** Counts in `scope`, has the other connection commit, counts again. */
function readTwiceAroundACommit(scope: <T>(db: Db, fn: () => T) => T, reader: Db, writer: Db): [number, number] {
  return scope(reader, () => {
    const before = count(reader);
    commitElsewhere(writer);
    return [before, count(reader)];
  });
}

it("two reads in one snapshot agree, though another connection commits between them", () => {
  const [reader, writer] = twoConnections();
  const [first, second] = readTwiceAroundACommit(inSnapshot, reader, writer);
  expect(second).toBe(first);
  expect(count(reader)).toBe(first + 1); // and the commit is there once the snapshot ends
});

it("without one, the second read sees the commit (what the dashboard did before)", () => {
  const [reader, writer] = twoConnections();
  const [first, second] = readTwiceAroundACommit(readScope, reader, writer);
  expect(second).toBe(first + 1);
});
