// The dashboard page: server-rendered HTML with the charts inline as SVG.
// Nothing is fetched from anywhere (no script, no font, no image, and a
// Content-Security-Policy that would stop one); it reads on a phone (one
// column, charts that scale, tables that scroll); every chart has its
// figures in words (its <desc>) and in a table; it works with a keyboard
// alone (a skip link, native links and <details>, visible focus).
import { type DashboardData } from "./dashboard-data.ts";
import { escapeHtml, html, type Html, raw } from "./html.ts";
import { clinicSection, exportsSection, groupsSection, historySection, recognitionSection, targetsSection } from "./page-sections.ts";
import { PALETTE } from "./charts/svg.ts";

const STYLE = `
:root { color: ${PALETTE.ink}; background: #fff; font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; }
a { color: ${PALETTE.blue}; }
a:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid ${PALETTE.accent}; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0.5rem; background: #fff; padding: 0.5rem 1rem; }
.skip:focus { left: 1rem; }
header { border-bottom: 2px solid ${PALETTE.primary}; margin-bottom: 1.5rem; }
h1 { margin: 1rem 0 0.25rem; font-size: 1.75rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid ${PALETTE.grid}; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
.meta, .note, figcaption { color: ${PALETTE.muted}; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
figure { margin: 0 0 1rem; }
figure svg { width: 100%; height: auto; max-width: 40rem; display: block; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 0 2rem; align-items: start; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr)); gap: 1rem 1.5rem; }
.grid figure svg { max-width: 100%; }
.table { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; min-width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid ${PALETTE.grid}; padding: 0.35rem 0.6rem; text-align: right; vertical-align: top; }
th:first-child, td.text { text-align: left; }
thead th { border-bottom: 2px solid ${PALETTE.ink}; }
td svg { vertical-align: middle; }
details { margin: 0.25rem 0 1rem; }
summary { cursor: pointer; color: ${PALETTE.blue}; }
ul.names { padding-left: 1.25rem; }
.reached { color: ${PALETTE.primary}; font-weight: bold; }
`;

function viewerLine(data: DashboardData): Html {
  const { viewer } = data;
  if (viewer.admin) return html`For ${viewer.name}, as an admin: the whole federation.`;
  return html`For ${viewer.name}, driver of ${viewer.groups.map((g) => g.name).join(", ")}: the federation's targets and your groups.`;
}

function nav(sections: { id: string; title: string }[]): Html {
  return html`<nav aria-label="Sections"><ul>${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ul></nav>`;
}

/** The whole page for one viewer. `downloads`: where the admin's CSV files are (relative links). */
export function dashboardPage(data: DashboardData, downloads: { name: string; href: string; about: string }[]): string {
  const sections = [
    { id: "targets", title: "Targets", body: targetsSection(data) },
    { id: "over-time", title: "Over time", body: historySection(data) },
    { id: "groups", title: data.viewer.admin ? "Groups and networks" : "Your groups", body: groupsSection(data) },
    { id: "recognition", title: "Recognition", body: recognitionSection(data) },
    ...(data.clinic ? [{ id: "clinic", title: "Co-op Clinic", body: clinicSection(data, data.clinic) }] : []),
    ...(downloads.length ? [{ id: "exports", title: "Exports", body: exportsSection(downloads) }] : []),
  ];
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>Progress dashboard — ${data.federation}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the figures</a>
<header>
<h1>Progress dashboard — ${data.federation}</h1>
<p class="meta">As of ${data.asOf}. ${viewerLine(data)}</p>
<p class="note">This link is yours alone and works until ${data.expiresAt}: it shows people's names, so keep it to yourself. Type <code>dashboard</code> in chat for a new one.</p>
${nav(sections)}
</header>
<main id="main" tabindex="-1">
${sections.map((s) => html`<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">${s.title}</h2>${s.body}</section>\n`)}
</main>
</body>
</html>
`;
  return page.value;
}

/** A plain page for a link that opens nothing (expired, altered, or its holder lost the role); `a command` in backquotes shows as code. */
export function refusalPage(title: string, message: string): string {
  const words = escapeHtml(message).replace(/`([^`]+)`/g, "<code>$1</code>");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main id="main"><h1>${escapeHtml(title)}</h1><p>${words}</p></main></body></html>`;
}
