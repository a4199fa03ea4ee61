// The dashboard on the bot's HTTP server: `GET /dashboard/<token>` (the
// page) and `GET /dashboard/<token>/<file>.csv` (an admin's exports, made
// when asked for). Read-only, so no transaction of its own. A link that was
// altered gets the same 404 as any unknown path; an expired one says so
// (410); one whose member no longer holds the role is refused (403).
import { BaseContext, type Services } from "../../bot/context.ts";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../bot/http.ts";
import { inSnapshot } from "../../db/transaction.ts";
import { civicrmActivities, civicrmContacts } from "./civicrm.ts";
import { type CsvFile, csvText } from "./csv.ts";
import { dashboardData } from "./dashboard-data.ts";
import { datedName } from "./exports.ts";
import { checkToken } from "./link-token.ts";
import { dashboardPage, refusalPage } from "./page.ts";
import { plainTable, TABLES } from "./tables.ts";
import { viewerFor, type Viewer } from "./viewer.ts";

const SECURITY: Record<string, string> = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  // Nothing may be fetched: no script at all, styles and images only inline.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const page = (status: number, body: string): HttpResponse => ({ status, headers: { "content-type": "text/html; charset=utf-8", ...SECURITY }, body });

const NOT_FOUND = () => page(404, refusalPage("Not found", "There is nothing here. If someone gave you a dashboard link, it may have been copied wrongly: ask for it again with `dashboard` in chat."));
const EXPIRED = () => page(410, refusalPage("This dashboard link has expired", "Dashboard links work for a limited time. Type `dashboard` in chat for a new one."));
const REFUSED = () => page(403, refusalPage("This link no longer opens the dashboard", "The dashboard is for admins and group drivers, checked each time a link is opened. Ask an admin if you think you should have access."));

/** What an admin can download, by the file's name in the link. */
const DOWNLOADS: Record<string, (ctx: BaseContext) => CsvFile> = {
  "civicrm-contacts.csv": (ctx) => civicrmContacts(ctx),
  "civicrm-activities.csv": (ctx) => civicrmActivities(ctx),
  ...Object.fromEntries(TABLES.map((t) => [`${t}.csv`, (ctx: BaseContext) => plainTable(ctx, t)])),
};

type Opened = { ok: true; ctx: BaseContext; viewer: Viewer; expiresAt: number } | { ok: false; response: HttpResponse };

function open(services: Services, req: HttpRequest): Opened {
  const ctx = new BaseContext(services, "http:dashboard");
  const check = checkToken(ctx.db, req.params.token ?? "", ctx.now);
  if (!check.ok) return { ok: false, response: check.reason === "expired" ? EXPIRED() : NOT_FOUND() };
  const viewer = viewerFor(ctx, check.memberId);
  return viewer ? { ok: true, ctx, viewer, expiresAt: check.expiresAt } : { ok: false, response: REFUSED() };
}

function downloadsFor(ctx: BaseContext, viewer: Viewer, token: string): { name: string; href: string; about: string }[] {
  if (!viewer.admin) return [];
  const about: Record<string, string> = {
    "civicrm-contacts.csv": "members as CiviCRM contacts (import first)",
    "civicrm-activities.csv": "actions, meetings attended, clinic transactions and thanks as CiviCRM activities",
  };
  return Object.keys(DOWNLOADS).map((file) => ({ name: datedName(ctx, file), href: `${encodeURIComponent(token)}/${file}`, about: about[file] ?? `the ${file.replace(/\.csv$/, "")} table, plainly` }));
}

export function dashboardRoutes(services: Services): HttpRoute[] {
  return [
    {
      method: "GET",
      path: "/dashboard/:token",
      handle(req) {
        const opened = open(services, req);
        if (!opened.ok) return opened.response;
        const { ctx, viewer, expiresAt } = opened;
        services.log.info({ memberId: viewer.memberId, admin: viewer.admin }, "dashboard opened");
        // One snapshot: the page's figures all count the same commands.
        const data = inSnapshot(ctx.db, () => dashboardData(ctx, viewer, expiresAt));
        return page(200, dashboardPage(data, downloadsFor(ctx, viewer, req.params.token!)));
      },
    },
    {
      method: "GET",
      path: "/dashboard/:token/:file",
      handle(req) {
        const opened = open(services, req);
        if (!opened.ok) return opened.response;
        const build = DOWNLOADS[req.params.file ?? ""];
        if (!build) return NOT_FOUND();
        if (!opened.viewer.admin) return REFUSED();
        const file = inSnapshot(opened.ctx.db, () => build(opened.ctx));
        services.log.info({ memberId: opened.viewer.memberId, file: file.name, rows: file.rows.length }, "export downloaded");
        return {
          status: 200,
          headers: { ...SECURITY, "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${datedName(opened.ctx, file.name)}"` },
          body: csvText(file),
        };
      },
    },
  ];
}
