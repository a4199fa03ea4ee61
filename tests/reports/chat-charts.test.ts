// Charts in chat, on the console: `progress --chart` posts the progress
// chart as a PNG to the room it was typed in, its alt text the same figures
// `progress` gives; the weekly digest posts it after the digest when the
// config asks (`actions.digest.chart: true`), and not otherwise.
import { afterEach, describe, expect, it } from "vitest";
import type { ConsoleLine } from "../../adapters/console/render.ts";
import { formatLine } from "../../adapters/console/render.ts";
import { TestBot } from "../helpers/bot.ts";
import { decodePng, pixelsUnlikeBackground } from "../helpers/png.ts";
import { actionsBot, meet } from "../actions/helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const DAY = 24 * 3600_000;
const digest = { room: "console:general", weekday: "friday", time: "16:00" };

function pngOf(line: ConsoleLine) {
  expect(line.file?.mimeType).toBe("image/png");
  const png = decodePng(Buffer.from(line.file!.data, "base64"));
  expect([png.width, png.height]).toEqual([line.file!.width, line.file!.height]);
  expect(png.width).toBeGreaterThanOrEqual(800);
  expect(png.height).toBeGreaterThanOrEqual(400);
  expect(pixelsUnlikeBackground(png)).toBeGreaterThan(png.width * png.height * 0.02);
  return png;
}

async function verifiedWork(bot: TestBot): Promise<void> {
  await meet(bot, "zed", "amy", "sam");
  await bot.say("zed", "/log share-campaign posted the leaflet --group comms");
  await bot.say("amy", "/log contact-coop rang the bakery --group comms");
  for (const ref of ["A-1", "A-2"]) await bot.say("sam", `/verify ${ref}`);
  bot.lines.splice(0);
}

describe("progress --chart", () => {
  it("posts a PNG to the room for everyone there, whose alt text carries progress's own figures", async () => {
    t = actionsBot();
    await verifiedWork(t);
    await t.say("amy", "/progress --chart", "comms");
    const [line, ...rest] = t.lines.splice(0);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ room: "comms", private: false, text: "📊 *Progress against our targets*, since the start (as of 17 Aug 2026)" });
    expect(line!.file).toMatchObject({ name: "progress-2026-08-17.png", mimeType: "image/png" });
    pngOf(line!);
    expect(line!.file!.alt).toContain("Activists carrying out actions (members with verified actions): 2 of 50 · 4%.");
    // progress is read-only: the picture went out from memory, its bytes never stored.
    expect(t.db.$client.prepare("select count(*) as n from outbox where message like '%progress-2026%'").get()).toEqual({ n: 0 });

    await t.say("amy", "/progress", "comms");
    expect(t.lines.splice(0)[0]!.text).toContain("Activists carrying out actions (members with verified actions): 2 in August 2026 · 2 since the start, of 50 (4%)");
  });

  it("shows on the console as the file and its figures in words", async () => {
    t = actionsBot();
    await t.say("amy", "/progress --chart", "comms");
    const printed = formatLine(t.lines.splice(0)[0]!).split("\n");
    expect(printed[0]).toBe("[2026-08-17 09:00] bot -> comms: 📊 *Progress against our targets*, since the start (as of 17 Aug 2026)");
    expect(printed[1]).toMatch(/^ {2}📎 progress-2026-08-17\.png \(image\/png, \d+×\d+\)$/);
    expect(printed[2]).toMatch(/^ {2}Progress against our targets \(since the start, as of 17 Aug 2026\)\. /);
  });
});

describe("the weekly digest's chart", () => {
  it("follows the digest as a picture when the config asks for it", async () => {
    t = actionsBot({ actions: { digest: { ...digest, chart: true } } });
    await verifiedWork(t);
    await t.advance(4 * DAY + 7 * 3600_000);
    const [post, chart, ...rest] = t.lines.splice(0);
    expect(rest).toEqual([]);
    expect(post).toMatchObject({ room: "general", at: "2026-08-21T16:00" });
    expect(post!.text).toMatch(/^🌻 \*This week in the federation\*/);
    expect(post!.file).toBeUndefined();
    expect(chart).toMatchObject({ room: "general", at: "2026-08-21T16:00", text: "📊 *Progress against our targets*, since the start (as of 21 Aug 2026)" });
    pngOf(chart!);
    expect(chart!.file!.alt).toContain("Activists carrying out actions (members with verified actions): 2 of 50 · 4%.");
  });

  it("is not posted unless the config asks", async () => {
    t = actionsBot({ actions: { digest } });
    await verifiedWork(t);
    await t.advance(4 * DAY + 7 * 3600_000);
    const lines = t.lines.splice(0);
    expect(lines.map((l) => l.text.slice(0, 2))).toEqual(["🌻"]);
    expect(lines.some((l) => l.file)).toBe(false);
  });
});
