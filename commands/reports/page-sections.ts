// The dashboard's sections. Each chart comes with its figures in a table
// (open, or behind a <details> where the chart's description already says
// them), so nothing is only a picture.
import { figureText, percentOf } from "../actions/targets.ts";
import { barChart, type BarRow, type Chart } from "./charts/bars.ts";
import { columnChart, lineChart, sparkline } from "./charts/series.ts";
import { figure, PALETTE } from "./charts/svg.ts";
import type { Funnel } from "./clinic-funnel.ts";
import type { DashboardData } from "./dashboard-data.ts";
import type { GroupFigures } from "./group-figures.ts";
import { html, type Html, raw } from "./html.ts";
import { progressChart } from "./progress-chart.ts";
import type { RecognitionBlock } from "./recognition-data.ts";
import { formatDuration } from "../../bot/clock.ts";

const fig = (chart: Chart, caption?: string): Html => html`<figure>${raw(chart.svg)}${caption ? html`<figcaption>${caption}</figcaption>` : ""}</figure>`;

/** A table in a region that scrolls sideways on a phone, reachable by keyboard. */
function table(id: string, caption: string, head: string[], rows: Html[]): Html {
  return html`<div class="table" role="region" aria-labelledby="${id}-caption" tabindex="0"><table id="${id}"><caption id="${id}-caption">${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function targetsSection(data: DashboardData): Html {
  const rows = data.targets.map((r) => {
    const tracked = r.sinceStart !== undefined;
    const share = tracked && r.target !== undefined ? percentOf(r.sinceStart!, r.target) : undefined;
    const reached = share !== undefined && r.sinceStart! >= r.target!;
    return html`<tr data-metric="${r.key}"><th scope="row">${r.label}</th>
<td data-field="period">${tracked ? figureText(r, r.inPeriod!, figure) : "not tracked yet"}</td><td data-field="since-start">${tracked ? figureText(r, r.sinceStart!, figure) : "—"}</td>
<td data-field="target">${r.target === undefined ? "no target" : figure(r.target)}</td><td data-field="share"${reached ? raw(' class="reached"') : ""}>${share === undefined ? "—" : `${share}%${reached ? " ✓" : ""}`}</td></tr>`;
  });
  return html`<div class="pair">${fig(progressChart(data.targets, data.asOf, "progress"))}
${table("targets-table", "The figures, as progress gives them in chat", ["Figure", `This month (${data.period.label})`, "Since the start", "Target", "Share"], rows)}</div>`;
}

export function historySection(data: DashboardData): Html {
  if (data.history.length === 0) return html`<p>No target is counted yet.</p>`;
  const charts = data.history.map(({ row, values }, i) => fig(lineChart({ id: `history-${i}`, title: row.label, months: data.months, values, target: row.target })));
  const rows = data.history.map(({ row, values }) => html`<tr><th scope="row">${row.label}</th>${values.map((v) => html`<td>${figure(v)}</td>`)}<td>${figure(row.target ?? 0)}</td></tr>`);
  return html`<p>Each figure since the start, at the end of each month (this month: so far), against its target (dashed).</p>
<div class="grid">${charts}</div>
<details><summary>These figures in a table</summary>${table("history-table", "Since the start, at the end of each month", ["Figure", ...data.months.map((m) => m.long), "Target"], rows)}</details>`;
}

function groupRow(g: GroupFigures, data: DashboardData): Html {
  const months = data.months;
  const trend = `People at its meetings by month: ${months.map((m, i) => `${m.long} ${g.people[i]}`).join(", ")}`;
  return html`<tr data-group="${g.group.slug}"><th scope="row">${g.group.name}</th><td class="text">${g.group.kind === "network" ? "peer network" : "working group"}</td>
<td>${figure(g.members)}</td><td>${figure(g.people.at(-1) ?? 0)}</td><td>${raw(sparkline(g.people, trend))}</td><td>${figure(sum(g.attendances))}</td><td>${figure(sum(g.held))}</td></tr>`;
}

export function groupsSection(data: DashboardData): Html {
  if (data.groups.length === 0) return html`<p>No groups to show.</p>`;
  const span = `the last ${data.months.length} months`;
  const networks = data.groups.some((g) => g.group.kind === "network");
  const people = networks
    ? fig(columnChart({ id: "network-people", title: "People at peer network meetings", subtitle: "different people each month, across the networks shown", months: data.months, series: [{ name: "people", colour: PALETTE.primary, values: data.networkPeople }] }))
    : "";
  const held: BarRow[] = data.groups.map((g) => ({ label: g.group.name, value: sum(g.held), note: `${figure(sum(g.held))} ${sum(g.held) === 1 ? "meeting" : "meetings"}` }));
  const heldRows = data.groups.map((g) => html`<tr><th scope="row">${g.group.name}</th>${g.held.map((n) => html`<td>${figure(n)}</td>`)}</tr>`);
  return html`<div class="pair">${people}${fig(barChart({ id: "meetings-held", title: "Meetings held per group", subtitle: span, rows: held, colour: PALETTE.blue }))}</div>
${table("groups-table", `Members and meetings (${span})`, ["Group", "Kind", "Members now", `People at meetings, ${data.months.at(-1)?.long ?? ""}`, "Trend", "Attendances", "Meetings held"], data.groups.map((g) => groupRow(g, data)))}
<details><summary>Meetings held, month by month</summary>${table("held-table", "Meetings held per group and month", ["Group", ...data.months.map((m) => m.long)], heldRows)}</details>`;
}

const names = (list: string[], none: string): Html => (list.length ? html`<ul class="names">${list.map((n) => html`<li>${n}</li>`)}</ul>` : html`<p>${none}</p>`);

function recognitionBlockHtml(block: RecognitionBlock, data: DashboardData, i: number): Html {
  const months = data.months.slice(-block.newcomers.length);
  const chart = columnChart({
    id: `recognition-${i}`,
    title: "People who did verified work",
    subtitle: block.group ? block.group.name : "the whole federation, by month",
    months,
    series: [
      { name: "returning", colour: PALETTE.primary, values: block.returning },
      { name: "new", colour: PALETTE.accent, values: block.newcomers },
    ],
  });
  const former = block.former ? html`<p>And ${block.former} ${block.former === 1 ? "former member" : "former members"} (counted, not named).</p>` : "";
  // Headings never skip a level: h3 under the section, h4 under a group's own h3.
  const sub = (title: string) => (block.group ? html`<h4>${title}</h4>` : html`<h3>${title}</h3>`);
  return html`${block.group ? html`<h3>${block.group.name}</h3>` : ""}<div class="pair">${fig(chart)}<div>
${sub(`New contributors this month (${data.period.label})`)}${names(block.newNames, "Nobody new yet this month.")}
${sub("Quiet work not yet thanked this month")}${names(block.quietNames, "Everyone who contributed has been thanked.")}${former}
<p>Journeys this month: ${block.journeys.map((j) => `${j.label} ${j.actions} ${j.actions === 1 ? "action" : "actions"} by ${j.people} ${j.people === 1 ? "person" : "people"}`).join(" · ")}.${block.pending ? ` ${block.pending} waiting for verification.` : ""}</p></div></div>`;
}

export function recognitionSection(data: DashboardData): Html {
  const board = data.leaderboard
    ? html`<h3>Leaderboard this month</h3><p class="note">Shown because this federation turned it on (points reward breadth).</p><ol>${data.leaderboard.map((r) => html`<li>${r.name}: ${figure(r.points)} points</li>`)}</ol>`
    : "";
  return html`<p class="note">Names are listed alphabetically: this is not a ranking. New contributors and quiet work are shown so that breadth and quiet effort are seen, not only the busiest.</p>
${data.recognition.map((b, i) => recognitionBlockHtml(b, data, i))}${board}`;
}

export function clinicSection(data: DashboardData, f: Funnel): Html {
  const of = (n: number) => `${figure(n)}${f.received ? ` (${Math.round((n / f.received) * 100)}%)` : ""}`;
  const rows: BarRow[] = [
    { label: "Enquiries received", value: f.received, note: figure(f.received) },
    { label: "Claimed by a triager", value: f.claimed, note: of(f.claimed) },
    { label: "Offered to an adviser", value: f.offered, note: of(f.offered) },
    { label: "Taken on by an adviser (transactions)", value: f.accepted, note: of(f.accepted) },
    { label: "Resolved", value: f.resolved, note: of(f.resolved) },
  ];
  const span = `enquiries made in the last ${data.months.length} months`;
  const claim = f.medianToClaimMs === undefined ? "No enquiry has been claimed yet." : `Median time from an enquiry to its first claim: ${formatDuration(Math.round(f.medianToClaimMs / 60_000) * 60_000)}.`;
  return html`<p class="note">Counts only: no enquiry's words, and nobody who asked, appear here.</p>
<p>${claim}</p>
<div class="pair">${fig(barChart({ id: "clinic-funnel", title: "From enquiry to advice", subtitle: span, rows }))}
${fig(columnChart({ id: "clinic-months", title: "Enquiries by month", months: data.months, series: [{ name: "chat", colour: PALETTE.primary, values: f.bySource.chat }, { name: "website", colour: PALETTE.blue, values: f.bySource.website }] }))}</div>`;
}

export function exportsSection(downloads: { name: string; href: string; about: string }[]): Html {
  return html`<p>CSV files for the federation's CRM, made when you open them (the README explains the columns and how to import them into CiviCRM). No enquiry's words and nothing people wrote in chat are in them.</p>
<ul>${downloads.map((d) => html`<li><a href="${d.href}" download>${d.name}</a>: ${d.about}</li>`)}</ul>`;
}
