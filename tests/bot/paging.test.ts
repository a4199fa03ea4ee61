// Long answers come a page at a time: no message is hundreds of KB (a
// 10,000-action `verify queue` was 978 KB), pages never cut markup in two,
// and `more` shows the rest, one member's latest long answer at a time.
import { afterEach, describe, expect, it } from "vitest";
import { CommandContext } from "../../bot/context.ts";
import { MAX_PAGES, MAX_WHOLE_CHARS, PAGE_CHARS, PAGE_LINES, paginate } from "../../bot/paging.ts";
import { inTransaction } from "../../db/connection.ts";
import { insertAction } from "../../db/actions.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import { actionsBot, meet, memberId } from "../actions/helpers.ts";
import type { TestBot } from "../helpers/bot.ts";

const ATOM = /<@\d+>|<cmd:[^>]*>|<(?:https?|mailto):[^>]*>|&(?:amp|lt|gt);/g;
const atoms = (text: string) => text.match(ATOM) ?? [];
/** What is left of the markup characters once whole tokens are taken out: nothing, if none was cut. */
const strayMarkup = (text: string) => text.replace(ATOM, "").match(/[<>]|&(?:a|am|amp|l|lt|g|gt)?(?=$|[^;a-z])/g) ?? [];
const fits = (page: string) => page.length <= PAGE_CHARS && page.split("\n").length <= PAGE_LINES;

describe("cutting a text into pages", () => {
  it("leaves a text that fits as it is", () => {
    const text = Array.from({ length: PAGE_LINES }, (_, i) => `line ${i}`).join("\n");
    expect(paginate(text)).toEqual([text]);
  });

  it("cuts at line ends, loses nothing, and leaves room on each page for the footer", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `• item ${i}: ${"x".repeat(i % 120)}`);
    const pages = paginate(lines.join("\n"));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.flatMap((p) => p.split("\n"))).toEqual(lines);
    for (const page of pages) expect(fits(`${page}\n… 9999 more lines — type <cmd:more>`)).toBe(true);
  });

  it("never cuts a mention, a command, a link or an escape in two", () => {
    const piece = "<@12> thanked <@345> for tea &amp; cake &lt;3, see <cmd:verify A-17> or <https://example.org/a/long/path|the notes &amp; minutes> ";
    for (const text of [piece.repeat(200), piece.replace(/ /g, "").repeat(200)]) {
      const pages = paginate(text);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.flatMap(atoms)).toEqual(atoms(text));
      for (const page of pages) {
        expect(strayMarkup(page), page.slice(0, 80)).toEqual([]);
        expect(fits(page)).toBe(true);
      }
    }
  });

  it("never cuts an emoji in two", () => {
    const pages = paginate("🎉".repeat(5000));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(pages.join("")).toBe("🎉".repeat(5000));
  });

  it("closes a code block at a page's end and opens it again on the next", () => {
    const text = ["Here it is:", "```", ...Array.from({ length: 120 }, (_, i) => `LINE:${i}`), "```", "Save it."].join("\n");
    const pages = paginate(text);
    expect(pages.length).toBe(3);
    for (const page of pages) expect(page.split("\n").filter((l) => l.startsWith("```")).length % 2).toBe(0);
  });

  it("never starts a page with a blank line", () => {
    const pages = paginate(Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? "" : `line ${i}`)).join("\n"));
    for (const page of pages) expect(page.split("\n")[0]).not.toBe("");
  });
});

describe("`verify queue` and `more`", () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  /** `n` actions by alice waiting in comms (inserted directly: logging them would take a month of the daily limit). */
  async function queueOf(n: number): Promise<void> {
    t = actionsBot();
    await meet(t, "alice", "sam", "admin");
    const alice = memberId(t, "alice");
    const comms = findGroupBySlug(t.db, "comms")!.id;
    inTransaction(t.db, () => {
      for (let i = 1; i <= n; i++) {
        insertAction(t.db, { memberId: alice, loggedBy: alice, jobId: null, note: `handed out leaflets & flyers, batch #${i}`, groupId: comms, hours: 1, evidence: null, doneAt: t.clock.now(), createdAt: t.clock.now() });
      }
    });
  }

  /** `more` until the end, a second apart (a person reads), returning each page. */
  async function readToTheEnd(who: string): Promise<string[]> {
    const pages: string[] = [];
    for (;;) {
      t.clock.advance(1000);
      await t.say(who, "/more");
      const [page] = t.texts();
      if (page === "There's nothing more to show: that was the end.") return pages;
      pages.push(page!);
    }
  }

  it("answers 10,000 waiting actions with one page, and keeps at most 100 pages", async () => {
    await queueOf(10_000);
    await t.say("sam", "/verify queue");
    const replies = t.texts();
    expect(replies).toHaveLength(1);
    const first = replies[0]!;
    expect(first.length).toBeLessThanOrEqual(PAGE_CHARS);
    expect(first.split("\n").length).toBeLessThanOrEqual(PAGE_LINES);
    expect(first).toMatch(/^\*Waiting for verification\*/);
    expect(first).toMatch(/\n… \d+ more lines — type \/more$/);
    const outbox = t.db.$client.prepare("select max(length(message)) as n from outbox").get() as { n: number };
    expect(outbox.n).toBeLessThan(PAGE_CHARS * 1.5);
    const kept = JSON.parse((t.db.$client.prepare("select pages from reply_pages").get() as { pages: string }).pages) as string[];
    expect(kept).toHaveLength(MAX_PAGES - 1);
    expect(kept.at(-1)).toMatch(/\n… and \d+ more lines I didn't keep: ask for a narrower list to see them\.$/);
  }, 60_000);

  it("shows every waiting action exactly once across the pages, then says there is no more", async () => {
    await queueOf(300);
    await t.say("sam", "/verify queue");
    const first = t.texts()[0]!;
    const rest = await readToTheEnd("sam");
    const pages = [first, ...rest];
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(fits(page)).toBe(true);
    // The footer counts what is left.
    const left = Number(/… (\d+) more lines/.exec(first)![1]);
    expect(rest.join("\n").split("\n").filter((l) => !l.startsWith("… ")).length).toBe(left);
    expect(rest.at(-1)).not.toMatch(/more lines? — type/);
    const counted = new Map<string, number>();
    for (const r of pages.join("\n").match(/\bA-\d+\b/g)!) counted.set(r, (counted.get(r) ?? 0) + 1);
    for (let i = 1; i <= 300; i++) expect(counted.get(`A-${i}`), `A-${i}`).toBe(1);
    expect(t.db.$client.prepare("select count(*) as n from reply_pages").get()).toEqual({ n: 0 });
  });

  it("keeps one long answer per member: a new one replaces the old", async () => {
    await queueOf(300);
    await t.say("admin", "/verify queue");
    t.clock.advance(1000);
    await t.say("admin", "/more");
    expect(t.texts()[1]).toMatch(/^• A-\d+/);
    // Another long answer: three weekly meetings' next 24 dates.
    for (const [title, day] of [["Mon", "monday"], ["Wed", "wednesday"], ["Fri", "friday"]]) {
      await t.say("admin", `/meeting schedule comms "${title}" every ${day} at 11:00 --remind none`);
      await t.say("admin", "/confirm");
    }
    t.texts();
    t.clock.advance(1000);
    await t.say("admin", "/meetings comms --next 24");
    t.clock.advance(1000);
    await t.say("admin", "/more");
    const [, next] = t.texts();
    expect(next).not.toMatch(/A-\d+/);
    expect(next).toMatch(/^ {2}– \w{3} \d+ \w{3} 11:00–12:00/m); // more of the meetings' dates
    // sam's pages are his own.
    await t.say("sam", "/more");
    expect(t.texts()).toEqual(["There's nothing more to show: that was the end."]);
  });

  it("a short answer in between leaves the long one to carry on", async () => {
    await queueOf(300);
    await t.say("sam", "/verify queue");
    await t.say("sam", "/whoami");
    t.clock.advance(1000);
    await t.say("sam", "/more");
    expect(t.texts().at(-1)).toMatch(/^• A-\d+/);
  });

  it("lets an hour-old answer go: a list is a snapshot", async () => {
    await queueOf(300);
    await t.say("sam", "/verify queue");
    t.clock.advance(3600_001);
    t.texts();
    await t.say("sam", "/more");
    expect(t.texts()).toEqual(["The rest of that answer is over an hour old, so I let it go: ask again for a fresh one."]);
    expect(t.db.$client.prepare("select count(*) as n from reply_pages").get()).toEqual({ n: 0 });
  });

  it("sends a file to save whole, up to one platform message", async () => {
    t = actionsBot();
    await meet(t, "alice");
    const event = t.event("alice", "/whoami");
    const actor = { memberId: memberId(t, "alice"), displayName: "alice", platform: "console" as const, platformId: "alice" };
    const reply = (text: string) => inTransaction(t.db, () => new CommandContext(t.bot.services, event, actor).reply(text, { whole: true }));
    const file = Array.from({ length: 200 }, (_, i) => `LINE:${i}`).join("\n");
    reply(file);
    reply("y".repeat(MAX_WHOLE_CHARS + 1));
    await t.bot.dispatcher.drain();
    const [whole, paged] = t.texts();
    expect(whole).toBe(file);
    expect(paged!.length).toBeLessThanOrEqual(PAGE_CHARS);
  });
});
