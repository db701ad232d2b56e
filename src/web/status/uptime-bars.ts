/**
 * The 90-day uptime bar of one component: one bar a day, coloured by the
 * day's worst state, grey without data (Atlassian Statuspage's familiar
 * layout). Each bar carries its day, uptime and state in words (<title>, the
 * hover tooltip), and the whole SVG an aria-label summary naming the bad days,
 * because role="img" hides the individual bars from screen readers.
 */
import type { DayBar } from '../../health/types.js';
import { escapeHtml } from './escape.js';
import { formatPct } from './format.js';
import { stateClass, stateLabel } from './states.js';

const BAR_W = 4;
const GAP = 1;
const BAR_H = 34;
/** Bad days listed by name in the summary; beyond that, a count. */
const MAX_NAMED_DAYS = 10;

export function dayTitle(d: DayBar): string {
  if (d.worst === 'no_data') return `${d.day}: no data`;
  // Today, before a full minute has been measured, the state is known but the uptime isn't yet.
  if (d.uptimePct === null) return `${d.day}: ${stateLabel(d.worst).toLowerCase()} (uptime not measured yet)`;
  return `${d.day}: ${formatPct(d.uptimePct, 1)} uptime, ${stateLabel(d.worst).toLowerCase()}`;
}

export function renderUptimeBars(name: string, days: DayBar[], uptimePct: number | null): string {
  const rects: string[] = [];
  const bad: string[] = [];
  let noData = 0;
  days.forEach((d, i) => {
    const title = escapeHtml(dayTitle(d));
    rects.push(
      `<rect class="bar ${stateClass(d.worst)}" data-day="${escapeHtml(d.day)}" x="${i * (BAR_W + GAP)}" width="${BAR_W}" height="${BAR_H}"><title>${title}</title></rect>`,
    );
    if (d.worst === 'no_data') noData++;
    else if (d.worst !== 'operational') bad.push(`${d.day} ${stateLabel(d.worst).toLowerCase()}`);
  });

  const n = days.length;
  const parts = [`${n}-day uptime for ${name}: ${uptimePct === null ? 'no data' : formatPct(uptimePct)}.`];
  if (bad.length === 0) parts.push(noData === n ? '' : 'No days with problems.');
  else {
    const named = bad.slice(-MAX_NAMED_DAYS).reverse(); // most recent first
    parts.push(`${bad.length} day${bad.length === 1 ? '' : 's'} with problems: ${named.join('; ')}${bad.length > named.length ? `; and ${bad.length - named.length} earlier` : ''}.`);
  }
  if (noData > 0 && noData < n) parts.push(`${noData} day${noData === 1 ? '' : 's'} without data.`);
  const label = parts.filter(Boolean).join(' ');

  const width = Math.max(1, n * (BAR_W + GAP) - GAP);
  // preserveAspectRatio="none": the row of bars always spans the card, on a phone or a wide screen.
  return (
    `<div class="uptime"><svg class="bars" viewBox="0 0 ${width} ${BAR_H}" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}" focusable="false">${rects.join('')}</svg>` +
    `<div class="bars-axis" aria-hidden="true"><span>${n} days ago</span><span>${uptimePct === null ? 'No data' : `${formatPct(uptimePct)} uptime`}</span><span>Today</span></div></div>`
  );
}
