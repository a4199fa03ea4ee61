// The real bot process on Slack (Bolt's HTTP receiver, and Socket Mode),
// SIGKILLed again and again while several hundred slash commands and button
// clicks stream in. Each kill is timed by state, not by the clock: either
// while requests Slack was told about wait in the inbox, unhandled, or while
// Slack holds a message whose send the bot hasn't recorded. After the last
// restart settles: every acknowledged request applied exactly once, nothing
// applied twice, no message posted twice, nothing left unsent.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MANY_AT_ONCE } from "../helpers/bot.ts";
import { FakeSlackApi, type FakeMessage } from "../slack/fake-slack-api.ts";
import { FakeSocketMode } from "../slack/fake-socket-mode.ts";
import { type BotProcess, deliver, dmOf, freePort, type Mode, newTrigger, type Request, startBotProcess, waitForReady } from "./slack-process.ts";

const MEMBERS = Array.from({ length: 20 }, (_, i) => `U0M${String(i).padStart(2, "0")}`);
const DRIVERS = Array.from({ length: 5 }, (_, i) => `U0DRV${i}`);
const LOGS = 180;
const KILLS = 5;
const IN_FLIGHT = 6;
/** Requests acknowledged in a round before the stream pauses and waits for that round's kill: each round takes a bounded share. */
const ROUND_BUDGET = 25;
/** Slack is slow to say who someone is: acknowledged requests wait, unhandled, in the inbox meanwhile. */
const LOOKUP_DELAY_MS = 150;
/** More logs than planned, at most, when rounds' kills are slow to come on a busy machine. */
const MAX_EXTRA_LOGS = 300;

type KillKind = "acked, not yet run" | "sent, not yet recorded";
interface Evidence {
  kind: KillKind;
  inFlightAtKill: number;
  inboxRowsAfterKill: number;
  postsSlackHasButTheBotDoesNot: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function slashRequests(): Request[] {
  const logs: Request[] = Array.from({ length: LOGS }, (_, i) => ({ kind: "slash", id: newTrigger(), user: MEMBERS[i % MEMBERS.length]!, text: `log crash-note-${i} handed out leaflets --group g${i % DRIVERS.length}` }));
  const joins: Request[] = MEMBERS.map((user, m) => ({ kind: "slash", id: newTrigger(), user, text: `join g${m % DRIVERS.length} I can help, ${m}` }));
  // Interleaved: a join after every ninth log.
  return logs.flatMap((log, i) => (i % 9 === 0 && joins.length ? [joins.shift()!, log] : [log])).concat(joins);
}

const noteOf = (text: string) => /^log (crash-note-\d+ handed out leaflets)/.exec(text)?.[1];
const buttonsOf = (m: FakeMessage): { label: string; value: string }[] =>
  (m.blocks ?? []).flatMap((b: any) => (b.type === "actions" ? b.elements : [])).map((e: any) => ({ label: e.text.text, value: e.value }));

class Stream {
  readonly queue: Request[] = slashRequests();
  readonly all: Request[] = [...this.queue];
  readonly acked = new Set<string>();
  readonly unacked: Request[] = [];
  private readonly clicked = new Set<string>();
  private flip = 0;

  /** Drivers press Verify / Approve on every card that reached them; every third card is double-clicked. */
  addClicks(fake: FakeSlackApi): void {
    for (const [key, message] of fake.messages) {
      const driver = DRIVERS.find((d) => dmOf(d) === message.channel);
      const button = buttonsOf(message).find((b) => b.label === "Verify" || b.label === "Approve");
      if (!driver || !button || this.clicked.has(key)) continue;
      this.clicked.add(key);
      const copies = ++this.flip % 3 === 0 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const click: Request = { kind: "click", id: newTrigger(), user: driver, message: { ...message }, label: button.label, value: button.value };
        this.queue.push(click);
        this.all.push(click);
      }
    }
  }

  /** Logs added past the planned ones, so a round whose kill is slow to come (a busy machine) still has requests to send. */
  private extra = 0;

  private topUp(): void {
    if (this.queue.length > 0 || this.extra >= MAX_EXTRA_LOGS) return;
    const i = LOGS + this.extra++;
    const log: Request = { kind: "slash", id: newTrigger(), user: MEMBERS[i % MEMBERS.length]!, text: `log crash-note-${i} handed out leaflets --group g${i % DRIVERS.length}` };
    this.queue.push(log);
    this.all.push(log);
  }

  /**
   * Sends until `stop()` says so or nothing is left; requests not acknowledged are kept to send again.
   * `refill`: never run dry before `stop()` (a kill round), up to MAX_EXTRA_LOGS more logs in all.
   */
  async run(send: (r: Request) => Promise<boolean>, fake: FakeSlackApi, stop: () => boolean, inFlight: Set<Promise<void>>, width: () => number = () => IN_FLIGHT, refill = false): Promise<void> {
    while (!stop()) {
      this.addClicks(fake);
      if (refill) this.topUp();
      while (inFlight.size < width() && this.queue.length > 0 && !stop()) {
        const request = this.queue.shift()!;
        const p: Promise<void> = send(request).then((ok) => {
          if (ok) this.acked.add(request.id);
          else this.unacked.push(request);
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      if (this.queue.length === 0 && inFlight.size === 0) return;
      await Promise.race([...inFlight, sleep(5)]);
    }
  }
}

function ids(dbPath: string, sql: string): number[] {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    return (db.prepare(sql).all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

function count(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.each(["http", "socket"] as const)("the bot process on Slack (%s), killed with SIGKILL mid-stream", (mode: Mode) => {
  it("applies every acknowledged request exactly once, posts nothing twice and leaves nothing unsent", async () => {
    const dir = mkdtempSync(join(tmpdir(), `coopbot-slack-crash-${mode}-`));
    const paths = { db: join(dir, "bot.sqlite"), config: join(dir, "config.json"), log: join(dir, "bot.log") };
    const groups = DRIVERS.map((driver, k) => ({ slug: `g${k}`, name: `Group ${k}`, kind: "working", drivers: [`slack:${driver}`] }));
    // Each driver clicks through dozens of cards in a few seconds: a stress test, not a person.
    writeFileSync(paths.config, JSON.stringify({ admins: ["slack:UADMIN"], groups, limits: MANY_AT_ONCE }));

    const fake = await FakeSlackApi.start();
    cleanup.push(() => fake.close());
    fake.now = () => Date.now(); // the bot runs on the wall clock here: Slack's timestamps must match it
    for (const user of [...MEMBERS, ...DRIVERS, "UADMIN"]) fake.users.set(user, { name: user.toLowerCase() });
    const socket = mode === "socket" ? await FakeSocketMode.start() : undefined;
    if (socket) cleanup.push(() => socket.close());
    fake.socketUrl = socket?.url;
    const port = await freePort();

    let bot: BotProcess | undefined;
    cleanup.push(() => void bot?.child.kill("SIGKILL"));
    let holdPostAndKill: (() => Promise<void>) | undefined;
    // While set, Slack doesn't answer who someone is: the bot's worker waits (up to its 2 s look-up
    // timeout), and requests it has already acknowledged pile up in the inbox, unhandled.
    let lookupsHeld: Promise<void> | undefined;
    fake.beforeAnswer = async (method) => {
      if (method === "users.info") await (lookupsHeld ?? sleep(LOOKUP_DELAY_MS));
      if (method === "chat.postMessage" && holdPostAndKill) await holdPostAndKill();
    };

    const start = async () => {
      const connections = socket?.connections ?? 0;
      bot = startBotProcess({ mode, port, apiUrl: fake.apiUrl, ...paths });
      if (socket) await socket.whenConnections(connections);
      await waitForReady(paths.log, bot);
    };
    const stream = new Stream();
    const failures = new Map<string, number>();
    const send = (r: Request) => deliver(mode, r, fake, socket, port, (reason) => failures.set(reason, (failures.get(reason) ?? 0) + 1));
    const evidence: Evidence[] = [];

    for (let round = 0; round < KILLS; round++) {
      await start();
      const kind: KillKind = round % 2 === 0 ? "acked, not yet run" : "sent, not yet recorded";
      if (process.env.CRASH_TEST_VERBOSE) console.log("round", round, kind, "acked", stream.acked.size, "queued", stream.queue.length, "all", stream.all.length);
      const ackedBefore = stream.acked.size;
      const inFlight = new Set<Promise<void>>();
      let killed: { inFlight: number } | undefined;
      let releaseLookups = () => {};
      const kill = async () => {
        if (killed) return;
        killed = { inFlight: inFlight.size };
        bot!.child.kill("SIGKILL");
        await bot!.exited;
        releaseLookups();
      };
      failures.clear();
      const warmedUp = () => stream.acked.size - ackedBefore >= 5;
      if (kind === "sent, not yet recorded") holdPostAndKill = async () => (warmedUp() ? kill() : undefined);
      let streamEnded = false;
      const watcher = (async () => {
        while (!killed && !streamEnded && kind === "acked, not yet run") {
          if (warmedUp() && !lookupsHeld) lookupsHeld = new Promise<void>((resolve) => (releaseLookups = resolve));
          if (lookupsHeld && count(paths.db, "select count(*) as n from inbox") >= 2) await kill();
          await sleep(2);
        }
      })();
      // Past its share, the round slows to one request at a time until the state its kill waits for is reached.
      const spent = () => stream.acked.size - ackedBefore >= ROUND_BUDGET;
      await stream.run(send, fake, () => killed !== undefined, inFlight, () => (spent() ? 1 : IN_FLIGHT), true);
      streamEnded = true;
      await watcher;
      await Promise.all(inFlight);
      holdPostAndKill = undefined;
      lookupsHeld = undefined;
      releaseLookups();
      expect(killed, `round ${round} ran out of requests before its kill; sends that failed: ${JSON.stringify([...failures])}; the bot's exit: ${bot!.child.exitCode ?? bot!.child.signalCode}; stderr: ${bot!.stderr().slice(-2000)}`).toBeDefined();
      const posted = [...fake.messages.values()].map((m) => m.metadata?.event_payload?.uid as string | undefined);
      const unsentIds = new Set(ids(paths.db, "select id from outbox where state = 'pending'"));
      evidence.push({
        kind,
        inFlightAtKill: killed!.inFlight,
        inboxRowsAfterKill: count(paths.db, "select count(*) as n from inbox"),
        postsSlackHasButTheBotDoesNot: posted.filter((uid) => uid && unsentIds.has(Number(uid.split(".")[1]))).length,
      });
      // As Slack would, and as people retyping would: what was never acknowledged comes again, with the same id.
      stream.queue.unshift(...stream.unacked.splice(0));
    }

    // The last start: everything left goes through (cards that arrive are clicked), and everything settles.
    await start();
    const drained = () => count(paths.db, "select count(*) as n from outbox where state = 'pending'") === 0 && count(paths.db, "select count(*) as n from inbox") === 0;
    for (let pass = 0; stream.queue.length > 0 || stream.unacked.length > 0 || pass === 0; pass++) {
      expect(pass, "requests still unacknowledged after 10 passes").toBeLessThan(10);
      stream.queue.push(...stream.unacked.splice(0));
      await stream.run(send, fake, () => false, new Set());
      await waitUntil(drained, "the outbox and inbox to drain");
      stream.addClicks(fake);
    }
    bot!.child.kill("SIGTERM");
    expect(await bot!.exited).toBe(0);

    if (process.env.CRASH_TEST_VERBOSE) console.log(mode, JSON.stringify(evidence), stream.all.length, "requests");
    // Each kill landed where it was meant to, with requests in flight.
    for (const e of evidence) {
      expect(e.inFlightAtKill).toBeGreaterThan(0);
      if (e.kind === "acked, not yet run") expect(e.inboxRowsAfterKill).toBeGreaterThan(0);
      else expect(e.postsSlackHasButTheBotDoesNot).toBeGreaterThan(0);
    }

    const db = new Database(paths.db, { readonly: true });
    cleanup.push(() => void db.close());
    // Every request was acknowledged in the end, and each is in the ledger once.
    expect(stream.all.filter((r) => !stream.acked.has(r.id))).toEqual([]);
    const ledger = db.prepare("select event_id as id, outcome from inbound_events where platform = 'slack'").all() as { id: string; outcome: string }[];
    expect(new Set(ledger.map((l) => l.id))).toEqual(new Set(stream.all.map((r) => r.id)));
    expect(ledger.filter((l) => l.outcome === "error")).toEqual([]);

    // Effects: each log is one action, each join one request; no decision twice.
    const notes = db.prepare("select note, count(*) as n from actions group by note").all() as { note: string; n: number }[];
    const expectedNotes = stream.all.flatMap((r) => (r.kind === "slash" && noteOf(r.text) ? [noteOf(r.text)!] : []));
    expect(notes.filter((n) => n.n !== 1)).toEqual([]);
    expect(notes.map((n) => n.note).sort()).toEqual(expectedNotes.sort());
    const joinRows = db.prepare("select member_id, group_id, count(*) as n from join_requests group by member_id, group_id").all() as { n: number }[];
    expect(joinRows).toHaveLength(MEMBERS.length);
    expect(joinRows.filter((j) => j.n !== 1)).toEqual([]);
    const verifiedTwice = db.prepare("select action_id from action_trail where what = 'verified' group by action_id having count(*) > 1").all();
    expect(verifiedTwice).toEqual([]);
    const clickedVerify = new Set(stream.all.flatMap((r) => (r.kind === "click" && r.label === "Verify" ? [r.value] : [])));
    expect(count(paths.db, "select count(*) as n from actions where state = 'verified'")).toBe(clickedVerify.size);
    const clickedApprove = new Set(stream.all.flatMap((r) => (r.kind === "click" && r.label === "Approve" ? [r.value] : [])));
    expect(count(paths.db, "select count(*) as n from join_requests where state = 'approved'")).toBe(clickedApprove.size);

    // Outbound: every message posted exactly once, nothing left unsent.
    const rows = db.prepare("select id, kind, state, target from outbox").all() as { id: number; kind: string; state: string; target: string }[];
    expect(rows.filter((r) => r.state !== "sent")).toEqual([]);
    const postedUids = fake.callsTo("chat.postMessage").filter((c) => c.response.ok && !c.args.metadata?.event_payload?.part).map((c) => c.args.metadata?.event_payload?.uid as string);
    const instance = (db.prepare("select value from meta where key = 'instance'").get() as { value: string }).value;
    const posts = rows.filter((r) => r.kind === "post");
    expect(posts.filter((r) => JSON.parse(r.target).kind === "ephemeral")).toEqual([]); // all in DMs: every reply is checkable
    expect(postedUids.sort()).toEqual(posts.map((r) => `${instance}.${r.id}`).sort());
    expect(fake.callsTo("response_url")).toEqual([]);
  }, 300_000);
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
