// The dashboard's HTML for one viewer, without a browser: a leaderboard
// only where the federation turned one on, and names that stay text.
import { afterEach, describe, expect, it } from "vitest";
import { BaseContext } from "../../bot/context.ts";
import { dashboardData } from "../../commands/reports/dashboard-data.ts";
import { dashboardPage } from "../../commands/reports/page.ts";
import { viewerFor } from "../../commands/reports/viewer.ts";
import { actionsBot, meet, memberId } from "../actions/helpers.ts";
import type { TestBot } from "../helpers/bot.ts";

let t: TestBot;
afterEach(async () => t?.close());

async function pageFor(bot: TestBot, who: string): Promise<string> {
  const ctx = new BaseContext(bot.bot.services, "test");
  const viewer = viewerFor(ctx, memberId(bot, who))!;
  return dashboardPage(dashboardData(ctx, viewer, ctx.now + 3600_000), []);
}

async function someWork(bot: TestBot, name: string): Promise<void> {
  await meet(bot, name, "sam");
  await bot.say(name, "/log share-campaign posted the leaflet --group comms");
  await bot.say("sam", "/verify A-1");
  await meet(bot, "admin");
}

describe("the dashboard page", () => {
  it("has no leaderboard and no points unless the config turns the leaderboard on", async () => {
    t = actionsBot();
    await someWork(t, "amy");
    const page = await pageFor(t, "admin");
    expect(page).toContain("this is not a ranking");
    const words = page.replace(/<[^>]*>/g, " ");
    expect(words).not.toMatch(/leaderboard|\bpoints?\b/i);
  });

  it("shows this month's leaderboard where the federation chose to have one", async () => {
    t = actionsBot({ actions: { leaderboard: true } });
    await someWork(t, "amy");
    const page = await pageFor(t, "admin");
    expect(page).toContain("<h3>Leaderboard this month</h3>");
    expect(page).toMatch(/<ol><li>amy: \d+ points?<\/li><\/ol>/);
  });

  it("shows a name that looks like markup as text", async () => {
    t = actionsBot();
    await someWork(t, "amy");
    // Names come from the platforms (a Slack display name, a Matrix displayname): anything at all.
    t.db.$client.prepare("update members set display_name = ? where id = ?").run("<img src=x onerror=alert(1)>", memberId(t, "amy"));
    const page = await pageFor(t, "admin");
    expect(page).toContain("<li>&lt;img src=x onerror=alert(1)&gt;</li>");
    expect(page).not.toContain("<img");
  });
});
