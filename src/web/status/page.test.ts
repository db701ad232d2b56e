/**
 * The status page renderer, on hand-built snapshots: what a reader relies on
 * (banner wording, 90 bars with their tooltips, charts with text summaries,
 * incident order and durations) and that hostile names cannot inject markup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComponentSnapshot, Incident, StatusSnapshot } from '../../health/types.js';
import { emptyStatusSnapshot } from './empty-snapshot.js';
import { escapeHtml, safeHref } from './escape.js';
import { formatDuration, formatPct } from './format.js';
import { renderStatusPage } from './page.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { dayTitle } from './uptime-bars.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0);
const MIN = 60_000;

function component(over: Partial<ComponentSnapshot> = {}): ComponentSnapshot {
  const base = emptyStatusSnapshot([{ provider: 'acme', model: 'm1' }], NOW).components[0]!;
  return { ...base, ...over };
}

function snapshot(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return { generatedAt: NOW, overall: 'operational', intervalMs: 5 * MIN, components: [], traffic24h: [], incidents: [], ...over };
}

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc_1',
    source: 'switchyard',
    title: 'Elevated errors',
    components: ['acme/m1'],
    provider: 'acme',
    status: 'investigating',
    impact: 'partial_outage',
    startedAt: NOW - 42 * MIN,
    peakErrorRate: 0.5,
    updates: [],
    ...over,
  };
}

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

test('a hostile provider, model, incident title and vendor URL cannot inject markup or script', () => {
  const evil = '<script>alert(1)</script>';
  const c = component({ id: `${evil}/"><img src=x onerror=alert(2)>`, provider: evil, model: '"><img src=x onerror=alert(2)>', state: 'major_outage', since: NOW - 5 * MIN });
  const html = renderStatusPage(
    snapshot({
      overall: 'major_outage',
      components: [c],
      traffic24h: [{ at: NOW - 5 * MIN, byProvider: { [evil]: 3 } }],
      incidents: [incident({ title: evil, components: [evil], source: 'vendor', provider: evil, url: 'javascript:alert(3)', updates: [{ at: NOW, status: 'identified', state: 'major_outage', message: evil }] })],
    }),
    { title: `Status ${evil}` },
  );
  assert.equal(html.includes('<script'), false, 'no script element anywhere');
  assert.equal(html.includes('<img'), false);
  assert.equal(html.includes('javascript:'), false, 'non-http vendor links are dropped, not escaped');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the name is still shown, as text');
  assert.ok(html.includes('&quot;&gt;&lt;img'), 'quotes are escaped so attributes cannot be closed');
});

test('escapeHtml and safeHref', () => {
  assert.equal(escapeHtml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  assert.equal(escapeHtml('plain'), 'plain');
  assert.equal(safeHref('https://status.example.com/i/1?a=1&b=2'), 'https://status.example.com/i/1?a=1&amp;b=2');
  assert.equal(safeHref('javascript:alert(1)'), undefined);
  assert.equal(safeHref('data:text/html,hi'), undefined);
  assert.equal(safeHref('not a url'), undefined);
});

test('a component gets 90 day bars, no_data days grey with a "no data" tooltip, and uptime %', () => {
  const c = component({ uptime90dPct: 99.5 });
  c.days = c.days.map((d, i) => (i === 88 ? { ...d, worst: 'partial_outage', uptimePct: 99.8, requests: 100, errors: 1 } : i === 89 ? { ...d, worst: 'operational', uptimePct: 100, requests: 50, errors: 0 } : d));
  const html = renderStatusPage(snapshot({ components: [c] }));
  assert.equal(count(html, /<rect class="bar /g), 90);
  assert.equal(count(html, /class="bar s-no_data"/g), 88);
  const bad = c.days[88]!.day;
  assert.ok(html.includes(`<title>${bad}: 99.8% uptime, partial outage</title>`));
  assert.ok(html.includes(`<title>${c.days[0]!.day}: no data</title>`));
  assert.ok(html.includes('99.50% uptime'));
  assert.match(html, new RegExp(`aria-label="90-day uptime for acme/m1: 99.50%. 1 day with problems: ${bad} partial outage. 88 days without data."`));
});

test('day tooltip wording and a 99.996% day never rounds up to 100%', () => {
  assert.equal(dayTitle({ day: '2026-11-20', worst: 'partial_outage', uptimePct: 99.84, requests: 1, errors: 0 }), '2026-11-20: 99.8% uptime, partial outage');
  assert.equal(formatPct(99.996), '99.99%');
  assert.equal(formatDuration(134 * MIN), '2 h 14 min');
  assert.equal(formatDuration(30_000), 'under 1 min');
  assert.equal(formatDuration(3 * 1440 * MIN + 4 * 60 * MIN), '3 d 4 h');
});

test('all operational with traffic: the banner says so', () => {
  const c = component({ uptime90dPct: 100 });
  c.errors24h = c.errors24h.map((p) => ({ ...p, requests: 10 }));
  const html = renderStatusPage(snapshot({ components: [c] }));
  assert.match(html, /<h2 id="banner-h">All systems operational<\/h2>/);
  assert.match(html, /aria-label="Errors for acme\/m1, last 24 hours: none in 2,880 requests."/);
});

test('an outage names the worst state and what is affected, in words', () => {
  const ok = component({ id: 'acme/ok', model: 'ok', uptime90dPct: 100 });
  const bad = component({ id: 'acme/bad', model: 'bad', state: 'major_outage', since: NOW - 75 * MIN, uptime90dPct: 97 });
  const slow = component({ id: 'acme/slow', model: 'slow', state: 'degraded_performance', since: NOW - 5 * MIN, uptime90dPct: 99 });
  const html = renderStatusPage(snapshot({ overall: 'major_outage', components: [ok, slow, bad], incidents: [incident()] }));
  assert.match(html, /<h2 id="banner-h">Major outage: 2 of 3 components affected<\/h2>/);
  // Worst first in the banner's list.
  assert.ok(html.indexOf('<strong>acme/bad</strong>: major outage since') < html.indexOf('<strong>acme/slow</strong>: degraded performance since'));
  assert.ok(html.includes('(1 h 15 min)'));
  assert.ok(html.includes('<a href="#active-incidents">1 active incident</a>'));
  assert.ok(html.includes('<span class="badge s-major_outage"><span class="dot" aria-hidden="true"></span>Major outage</span>'), 'state in words beside the colour');
});

test('open incidents come first with "ongoing"; resolved ones show start, end and duration; vendor ones are marked and linked', () => {
  const resolved = incident({ id: 'old', title: 'Resolved one', status: 'resolved', startedAt: NOW - 2 * 86_400_000, resolvedAt: NOW - 2 * 86_400_000 + 27 * MIN });
  const vendor = incident({ id: 'v', title: 'Vendor one', source: 'vendor', status: 'resolved', startedAt: NOW - 86_400_000, resolvedAt: NOW - 86_400_000 + 134 * MIN, url: 'https://status.example.com/incidents/abc', components: ['API'] });
  const open = incident({ id: 'new', title: 'Open one', updates: [{ at: NOW - 40 * MIN, status: 'investigating', state: 'partial_outage', message: 'Half of requests fail' }] });
  const html = renderStatusPage(snapshot({ components: [component()], incidents: [resolved, vendor, open] }));
  const iOpen = html.indexOf('Open one');
  assert.ok(iOpen > 0 && iOpen < html.indexOf('Vendor one') && html.indexOf('Vendor one') < html.indexOf('Resolved one'), 'open first, then newest first');
  assert.ok(html.indexOf('id="active-incidents"') < iOpen && iOpen < html.indexOf('id="history-h"'));
  assert.ok(html.includes('ongoing for 42 min'));
  assert.ok(html.includes('lasted 27 min'));
  assert.ok(html.includes('lasted 2 h 14 min'));
  assert.ok(html.includes('Declared by acme on its status page'));
  assert.ok(html.includes('<a href="https://status.example.com/incidents/abc" rel="noopener noreferrer external">'));
  assert.ok(html.includes('peak error rate 50.0%'));
  assert.ok(html.includes('Half of requests fail'));
});

test('empty state: configured components without data say "No data yet", never "operational"', () => {
  const s = emptyStatusSnapshot([{ provider: 'p', model: 'a' }, { provider: 'p', model: 'a' }, { provider: 'q', model: 'b' }], NOW);
  assert.equal(s.components.length, 2, 'duplicate targets are one component');
  assert.equal(s.components[0]!.days.length, 90);
  assert.equal(s.components[0]!.days[89]!.day, '2026-11-22', 'the last bar is today (UTC)');
  const html = renderStatusPage(s);
  assert.match(html, /<h2 id="banner-h">No data yet<\/h2>/);
  assert.equal(html.includes('All systems operational'), false);
  assert.equal(count(html, /class="bar s-no_data"/g), 180);
  assert.equal(count(html, /No data in the last 24 hours/g), 5, 'two charts per component and the traffic chart');
  assert.ok(html.includes('No resolved incidents in the last 90 days.'));
  assert.equal(html.includes('id="active-incidents"'), false);
});

test('no components at all still renders a page', () => {
  const html = renderStatusPage(snapshot());
  assert.match(html, /No components configured/);
  assert.match(html, /^<!doctype html>/);
});

test('auto-refresh defaults to 30 s, follows the option, and can be off', () => {
  assert.ok(renderStatusPage(snapshot()).includes('<meta http-equiv="refresh" content="30">'));
  assert.ok(renderStatusPage(snapshot(), { refreshSeconds: 10 }).includes('<meta http-equiv="refresh" content="10">'));
  const off = renderStatusPage(snapshot(), { refreshSeconds: 0 });
  assert.equal(off.includes('http-equiv="refresh"'), false);
  assert.ok(off.includes('Automatic refresh is off.'));
});

test('charts are images with text summaries; the traffic chart tells where requests went', () => {
  const html = renderStatusPage(sampleSnapshot({ now: NOW }));
  assert.equal(count(html, /<svg class="chart" [^>]*role="img" aria-label="Errors for /g), 3);
  assert.equal(count(html, /<svg class="chart" [^>]*role="img" aria-label="Time to first token for /g), 3);
  assert.match(html, /aria-label="Share of requests by provider, last 24 hours: sim-anthropic \d+%, sim-gemini \d+%, sim-openai \d+%\. Latest interval \(11:55 UTC\): /);
  assert.match(html, /sim-openai<\/span> <span class="share">\d+% over 24 h · [0-3]% now/, 'the failing provider lost its share');
  assert.match(html, /<main>[\s\S]*<\/main>/);
  assert.equal(html.includes('<script'), false);
  assert.equal(/(src|href)="(https?:)?\/\//.test(html.replace(/href="https:\/\/status\.example\.com[^"]*"/g, '')), false, 'no external asset');
});

test('nothing secret: an API key in config never reaches the page (only names, models, counts)', () => {
  const html = renderStatusPage(sampleSnapshot({ now: NOW }));
  assert.equal(/sk-|AIza|api[_-]?key/i.test(html), false);
});

test('20 components x 90 days render in a few ms', () => {
  const big = sampleSnapshot({ now: NOW, components: 20 });
  for (let i = 0; i < 5; i++) renderStatusPage(big);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    renderStatusPage(big);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // Generous bound (CI machines are shared); typical is a few ms. The <= 50 ms p99 acceptance covers the whole request.
  assert.ok(times[10]! < 50, `median render ${times[10]!.toFixed(1)} ms`);
});

test('a component without any observation reads "No data", not "Operational", even when others have traffic', () => {
  const seen = component({ id: 'acme/seen', model: 'seen', uptime90dPct: 100 });
  seen.errors24h = seen.errors24h.map((p) => ({ ...p, requests: 1 }));
  const unseen = component({ id: 'acme/unseen', model: 'unseen' });
  const html = renderStatusPage(snapshot({ components: [seen, unseen] }));
  const card = (name: string) => html.slice(html.indexOf(`</span> ${name}</h3>`), html.indexOf('</section>', html.indexOf(`</span> ${name}</h3>`)));
  assert.match(card('seen'), /<\/span>Operational<\/span>/);
  assert.match(card('unseen'), /<\/span>No data<\/span>/);
  assert.equal(card('unseen').includes('class="since"'), false);
});

test('today with a known outage but no measured minute yet says the state, not "no data"', async () => {
  const { renderUptimeBars } = await import('./uptime-bars.js');
  const days = [
    { day: '2026-11-21', worst: 'operational' as const, uptimePct: 100, requests: 10, errors: 0 },
    { day: '2026-11-22', worst: 'major_outage' as const, uptimePct: null, requests: 5, errors: 5 },
  ];
  const html = renderUptimeBars('sim-openai/gpt-4o-mini', days, 100);
  assert.match(html, /2026-11-22: major outage \(uptime not measured yet\)/);
  assert.doesNotMatch(html, /2026-11-22: no data/);
});
