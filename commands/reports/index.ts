// Reports: the progress dashboard (a private, expiring link to a page of
// charts on the bot's HTTP server), charts in chat (progress --chart and
// the digest use progress-chart.ts from here), and exports for the
// federation's CRM (CiviCRM-ready CSV files, and plain tables).
import { defineCapability } from "../../bot/capability.ts";
import { reportsConfigSchema } from "./config.ts";
import { dashboard, forgetDashboardLink } from "./dashboard.ts";
import { exportCivicrm, exportCsv } from "./exports.ts";
import { dashboardRoutes } from "./routes.ts";

export const reports = defineCapability({
  name: "reports",
  commands: [dashboard, exportCivicrm, exportCsv],
  jobs: [forgetDashboardLink],
  config: { key: "reports", schema: reportsConfigSchema },
  http: (services) => dashboardRoutes(services),
});
