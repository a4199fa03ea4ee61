// The dashboard in a real headless Chromium, opened from the link the bot
// gives in chat: its figures are the ones `progress` gives, every chart
// has its words, nothing is fetched from elsewhere, it works by keyboard and
// on a phone, a driver sees only their own groups, and an expired, altered
// or no-longer-entitled link opens nothing. It leaves a screenshot (the
// README's, with COOPBOT_UPDATE_SCREENSHOT=1).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer } from "../../bot/http.ts";
import { silentLogger } from "../../bot/log.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { TestBot } from "../helpers/bot.ts";
import { decodePng } from "../helpers/png.ts";
import { buildFederation, CONFIG, SECRET_ENQUIRY, SECRET_NOTE, SECRET_THANKS, START } from "./federation.ts";

let t: TestBot;
let server: Server;
let browser: Browser;
let base = "";

beforeAll(async () => {
  t = new TestBot({ start: START, config: CONFIG });
  await buildFederation(t);
  server = await startHttpServer(t.bot.httpRoutes, { port: 0, host: "127.0.0.1", log: silentLogger });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await t?.close();
});

/** What `member` is sent when they type `dashboard` in their DM, the link pointed at this test's server. */
async function linkFor(member: string): Promise<string> {
  t.lines.splice(0);
  await t.say(member, "dashboard", `dm:${member}`);
  const text = t.lines.splice(0).map((l) => l.text).join("\n");
  const link = /http:\/\/dashboard\.invalid(\/dashboard\/\S+)/.exec(text)?.[1];
  if (!link) throw new Error(`no dashboard link for ${member}: ${text}`);
  return base + link;
}

async function open(url: string, viewport = { width: 1100, height: 900 }): Promise<{ page: Page; status: number; requests: string[] }> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const response = await page.goto(url);
  return { page, status: response!.status(), requests };
}

/** `progress`'s lines as {label: [this month, since the start, target, share]}. */
async function progressFigures(): Promise<Record<string, string[]>> {
  t.lines.splice(0);
  await t.say("admin", "/progress");
  const text = t.lines.splice(0)[0]!.text;
  const out: Record<string, string[]> = {};
  for (const m of text.matchAll(/^• (.+?): (\d+) in August 2026 · (\d+) since the start, of (\d+) \((\d+)%\)/gm)) out[m[1]!] = [m[2]!, m[3]!, m[4]!, `${m[5]}%`];
  // Figures counted without a target (the welcome's newcomers) are rows too.
  for (const m of text.matchAll(/^• (.+?): (.+?) in August 2026 · (.+?) since the start \(no target set\)/gm)) out[m[1]!] = [m[2]!, m[3]!, "no target", "—"];
  return out;
}

describe("an admin's dashboard", () => {
  let url = "";
  let page: Page;
  let requests: string[];

  beforeAll(async () => {
    url = await linkFor("admin");
    ({ page, requests } = await open(url));
  }, 60_000);

  it("shows the targets with exactly the figures `progress` gives", async () => {
    const expected = await progressFigures();
    expect(Object.keys(expected)).toHaveLength(12); // 9 targets, and the welcome's 3 figures with none
    const shown: Record<string, string[]> = {};
    for (const row of await page.locator("#targets-table tbody tr").all()) {
      const label = (await row.locator("th").innerText()).trim();
      const cells = await row.locator("td").allInnerTexts();
      shown[label] = cells.map((c) => c.replace(" ✓", "").replace(/,/g, "").trim());
    }
    // Every target as `progress` gives it; beside them the figure with no target (network members joined).
    expect(Object.fromEntries(Object.entries(shown).filter(([label]) => label in expected))).toEqual(expected);
    expect(Object.keys(shown).filter((label) => !(label in expected))).toEqual(["Peer network members (joined a network)"]);
    expect(shown["Activists carrying out actions (members with verified actions)"]![1]).not.toBe("0");
  });

  it("gives every chart a title and a description with its figures, and the page its sections", async () => {
    const charts = await page.locator("svg[role=img][aria-labelledby]").all();
    expect(charts.length).toBeGreaterThanOrEqual(14);
    for (const chart of charts) {
      const [title, desc] = (await chart.getAttribute("aria-labelledby"))!.split(" ");
      expect((await page.locator(`[id="${title}"]`).textContent())!.length).toBeGreaterThan(3);
      expect(await page.locator(`[id="${desc}"]`).textContent()).toMatch(/\d/);
    }
    expect(await page.locator("h2").allInnerTexts()).toEqual(["Targets", "Over time", "Groups and networks", "Recognition", "Co-op Clinic", "Exports"]);
    expect(await page.locator("#targets svg desc").textContent()).toContain("Peer network participants (attended a network meeting): 11 of 150 · 7%");
    expect(await page.locator("[data-group=glasgow] td").allInnerTexts()).toEqual(["peer network", "8", "3", "", "15", "4"]);
  });

  it("shows recognition by the fairness rules: new and quiet contributors by name, alphabetically, no ranking", async () => {
    const section = page.locator("#recognition");
    expect(await section.innerText()).toContain("this is not a ranking");
    // New this month: first verified action ever in August (the clinic's adviser and triager count too).
    expect(await section.locator("ul.names").nth(0).locator("li").allInnerTexts()).toEqual(["bea", "gus", "lou", "tara"]);
    // Quiet work: verified work this month and no thanks this month (gus was thanked).
    expect(await section.locator("ul.names").nth(1).locator("li").allInnerTexts()).toEqual(["alice", "bea", "bob", "lou", "tara"]);
    expect(await section.innerText()).not.toMatch(/leaderboard|points/i);
  });

  it("shows the clinic's funnel in counts, and no enquiry's words anywhere", async () => {
    expect(await page.locator("#clinic-funnel-desc").textContent()).toBe(
      "From enquiry to advice (enquiries made in the last 4 months). Enquiries received: 2. Claimed by a triager: 1 (50%). Offered to an adviser: 1 (50%). Taken on by an adviser (transactions): 1 (50%). Resolved: 1 (50%).",
    );
    const html = await page.content();
    for (const secret of [SECRET_ENQUIRY, SECRET_NOTE, SECRET_THANKS, "SECRET"]) expect(html).not.toContain(secret);
    expect(html).not.toContain("zed");
  });

  it("fetches nothing but itself, and forbids fetching anything (Content-Security-Policy)", async () => {
    expect(requests).toEqual([url]);
    const response = await fetch(url);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("works from the keyboard: the first Tab is the skip link, which takes focus to the figures", async () => {
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to the figures");
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement?.id")).toBe("main");
    const region = page.locator("#targets .table");
    await region.focus();
    expect(await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).toBe("solid");
  });

  it("downloads the CiviCRM files from its Exports, the same rows as the chat export", async () => {
    const href = await page.locator("#exports a", { hasText: "civicrm-activities" }).getAttribute("href");
    const download = await fetch(new URL(href!, url));
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="civicrm-activities-2026-08-17.csv"');
    const rows = parse(await download.text(), { columns: true }) as Record<string, string>[];
    t.lines.splice(0);
    await t.say("admin", "export civicrm", "dm:admin");
    const sent = t.lines.splice(0).find((l) => l.file?.name === "civicrm-activities-2026-08-17.csv")!;
    expect(rows).toEqual(parse(Buffer.from(sent.file!.data, "base64").toString("utf8"), { columns: true }));
  });

  it("has text in colours that pass WCAG AA contrast on its background, everywhere on the page", async () => {
    // Every element with text of its own: its computed colour against the nearest background behind it.
    const ratios = await page.evaluate<{ text: string; ratio: number }[]>(`(() => {
      const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => v / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((a, c, i) => a + c * [0.2126, 0.7152, 0.0722][i], 0);
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); }
        return [255, 255, 255];
      };
      const out = [];
      for (const el of document.querySelectorAll("body *")) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || el.closest("svg") || el.closest(".skip")) continue;
        const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))].sort((x, y) => y - x);
        out.push({ text: el.textContent.trim().slice(0, 30), ratio: (a + 0.05) / (b + 0.05) });
      }
      return out;
    })()`);
    expect(ratios.length).toBeGreaterThan(100);
    expect(ratios.filter((r) => !(r.ratio >= 4.5))).toEqual([]);
    expect(Math.max(...ratios.map((r) => r.ratio))).toBeGreaterThan(15);
  });

  it("reads on a phone: nothing wider than the screen, the charts scaled to it", async () => {
    const phone = await open(url, { width: 375, height: 800 });
    expect(await phone.page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    const widths = await phone.page.locator("figure svg").evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    expect(Math.max(...widths)).toBeLessThanOrEqual(375);
    await phone.page.close();
  });

  it("saves a screenshot (the README's)", async () => {
    const dir = join(tmpdir(), "coopbot-screenshots");
    mkdirSync(dir, { recursive: true });
    const shot = await page.screenshot({ fullPage: true });
    writeFileSync(join(dir, "dashboard.png"), shot);
    // The README's: the top of the page as it first opens, untouched by the keyboard test.
    if (process.env.COOPBOT_UPDATE_SCREENSHOT) {
      const fresh = await open(url, { width: 1100, height: 1500 });
      writeFileSync("docs/dashboard.png", await fresh.page.screenshot());
      await fresh.page.close();
    }
    const png = decodePng(shot);
    expect(png.width).toBe(1100);
    expect(png.height).toBeGreaterThan(2000);
  });
});

describe("a driver's dashboard", () => {
  it("shows the federation's targets and their own groups only: no other group, no clinic, no exports", async () => {
    const url = await linkFor("kim");
    const { page, status } = await open(url);
    expect(status).toBe(200);
    const text = await page.locator("body").innerText();
    expect(text).toContain("For kim, driver of Glasgow network, Mobilising Group");
    expect(await page.locator("[data-group]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-group")))).toEqual(["glasgow", "mobilising"]);
    for (const other of ["Leeds", "Tech network", "Communications Group", "Co-op Clinic", "Exports", "console:"]) expect(await page.content()).not.toContain(other);
    expect(await page.locator("#targets-table tbody tr").count()).toBe(13); // 9 targets, the members joined beside participants, the welcome's 3 figures
    expect((await fetch(`${url}/civicrm-contacts.csv`)).status).toBe(403);
    await page.close();
  });

  it("closes once they are no longer a driver, whatever the link's expiry says", async () => {
    const url = await linkFor("jo");
    expect((await fetch(url)).status).toBe(200);
    await t.say("admin", "/group driver remove leeds @jo");
    const refused = await open(url);
    expect(refused.status).toBe(403);
    expect(await refused.page.locator("h1").innerText()).toBe("This link no longer opens the dashboard");
    await refused.page.close();
  });
});

describe("links that open nothing", () => {
  it("an altered link is not found, like any path that doesn't exist", async () => {
    const url = await linkFor("admin");
    const [, member, expiry, sig] = /\/dashboard\/(\d+)\.([0-9a-z]+)\.(\S+)$/.exec(url)!;
    const flipped = sig!.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    for (const altered of [url.replace(`/${member}.`, `/${Number(member) + 1}.`), url.replace(`.${expiry}.`, `.${(parseInt(expiry!, 36) + 3600_000).toString(36)}.`), url.replace(sig!, flipped), `${base}/dashboard/nothing`]) {
      expect((await fetch(altered)).status).toBe(404);
    }
  });

  it("an expired link says so, and asking again gives one that works", async () => {
    const url = await linkFor("admin");
    await t.advance(24 * 3600_000 + 60_000);
    const { page, status } = await open(url);
    expect(status).toBe(410);
    expect(await page.locator("h1").innerText()).toBe("This dashboard link has expired");
    expect(await page.locator("p code").innerText()).toBe("dashboard");
    expect(await page.content()).not.toContain("Progress against our targets");
    await page.close();
    expect((await fetch(await linkFor("admin"))).status).toBe(200);
  });

  it("is only given to admins and drivers", async () => {
    t.lines.splice(0);
    await t.say("alice", "/dashboard");
    expect(t.lines.splice(0).map((l) => l.text)).toEqual(["Sorry, `dashboard` is for admins and drivers."]);
  });
});
