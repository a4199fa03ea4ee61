// `dashboard`: a private link to the progress dashboard, for admins (the
// whole federation) and drivers (the targets and their own groups). The
// link carries who it is for and until when, signed (link-token.ts); each
// request is checked against the roles its member holds then. It comes by
// direct message, and the message's text leaves the bot's records a few
// minutes after it was sent, so a copy of the database holds no live link.
import { DateTime } from "luxon";
import { defineJob } from "../../bot/capability.ts";
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { getOutboxRow, redactDelivered } from "../../db/outbox.ts";
import { reportsConfig } from "./config.ts";
import { dashboardToken } from "./link-token.ts";
import { viewerFor, type Viewer } from "./viewer.ts";

export const dashboardUrl = (base: string, token: string): string => `${base.replace(/\/+$/, "")}/dashboard/${token}`;

function whatItShows(viewer: Viewer): string {
  if (viewer.admin) return "the whole federation: targets over time, groups and networks, meetings, recognition, the clinic's funnel, and CSV exports";
  return `the federation's targets, and for ${viewer.groups.map((g) => `*${esc(g.name)}*`).join(", ")}: members, meetings and recognition`;
}

function linkMessage(ctx: CommandContext, viewer: Viewer, url: string, expiresAt: number, hours: number): string {
  const until = DateTime.fromMillis(expiresAt, { zone: ctx.config.timezone }).toFormat("d LLL yyyy, HH:mm");
  return [
    `📊 Your dashboard link, showing ${whatItShows(viewer)}:`,
    url,
    `It works until ${until} (${hours} ${hours === 1 ? "hour" : "hours"}) and only while you are ${viewer.admin ? "an admin" : "a driver"}. It's yours alone and shows people's names, so keep it to yourself; ${cmd("dashboard")} gives you a new one any time.`,
  ].join("\n");
}

export const dashboard = defineCommand({
  name: "dashboard",
  summary: "A private link to the progress dashboard: charts of the targets, groups, meetings and recognition",
  description:
    "For admins (the whole federation, the clinic's funnel, and CSV exports) and drivers (the federation's targets and your own groups). The link comes by direct message, works for a day (the config's `reports.linkHours`) and only while you hold the role; it shows names, so keep it to yourself.",
  examples: ["dashboard"],
  args: NO_ARGS,
  allow: ["admin", "driver"],
  run(ctx) {
    const base = ctx.config.http?.publicUrl;
    if (!base) return ctx.fail("The dashboard isn't switched on here: an admin sets `http.port` and `http.publicUrl` in the config.");
    const viewer = viewerFor(ctx, ctx.actor.memberId);
    if (!viewer) return ctx.fail("The dashboard is for admins and the drivers of a group.");
    const { linkHours } = reportsConfig(ctx.config);
    const expiresAt = ctx.now + linkHours * 3600_000;
    const text = linkMessage(ctx, viewer, dashboardUrl(base, dashboardToken(ctx.db, viewer.memberId, expiresAt)), expiresAt, linkHours);
    const inDm = ctx.event.room.kind === "dm";
    forgetOnceSent(ctx, inDm ? ctx.reply(text) : ctx.toMember(ctx.actor.memberId, text));
    if (!inDm) ctx.reply("I've sent you the dashboard link in a direct message.");
  },
});

const FORGET_JOB = "reports.forget-dashboard-link";
const MINUTE = 60_000;
const SENT_LINK = "📊 A dashboard link (its text was taken out of the bot's records once sent).";

function forgetOnceSent(ctx: BaseContext, outboxId: number | undefined, attempt = 0): void {
  if (outboxId === undefined) return;
  ctx.schedule({ kind: FORGET_JOB, key: `dashboard-link:${outboxId}:${attempt}`, dueAt: ctx.now + (attempt === 0 ? 5 * MINUTE : 60 * MINUTE), payload: { outboxId, attempt } });
}

/** Still waiting to go out (a platform is down): look again in an hour; the resend needs the text. */
export const forgetDashboardLink = defineJob<{ outboxId: number; attempt: number }>({
  kind: FORGET_JOB,
  run(ctx, { outboxId, attempt }) {
    if (redactDelivered(ctx.db, outboxId, SENT_LINK)) return ctx.services.scrubWal?.();
    if (getOutboxRow(ctx.db, outboxId)?.state === "pending") return forgetOnceSent(ctx, outboxId, attempt + 1);
    ctx.skip("the message is no longer in the outbox");
  },
});
