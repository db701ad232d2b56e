/**
 * Vendor status feed parsers on fixtures of all four formats.
 *
 * The fixtures in __fixtures__/ are HAND-ASSEMBLED, not recorded: realistic
 * documents built from the documented/observed shapes — Statuspage v2
 * summary.json (developer.statuspage.io), incident.io's proxy feed behind
 * status.openai.com (as read by open-source clients) and its documented Widget
 * API (docs.incident.io/status-pages/widget-api), Instatus' public summary.json
 * and components.json (instatus.com/help/api/public-data, /help/webhooks), and
 * Google Cloud's status.cloud.google.com/incidents.json — with incidents
 * modelled on 2024-06-04 and 2024-12-11. One JSON document per file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFeed } from './parse-feed.js';
import { FeedParseError, type FeedFormat, type VendorStatus } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const AT = Date.parse('2024-12-12T01:10:00Z');

function ok(format: FeedFormat, text: string, extra: { componentsText?: string; products?: string[]; fetchedAt?: number; pageUrl?: string; provider?: string } = {}): VendorStatus {
  const r = parseFeed(format, { text, ...(extra.componentsText ? { componentsText: extra.componentsText } : {}) }, {
    provider: extra.provider ?? 'p',
    fetchedAt: extra.fetchedAt ?? AT,
    ...(extra.pageUrl ? { pageUrl: extra.pageUrl } : {}),
    ...(extra.products ? { products: extra.products } : {}),
  });
  if (!r.ok) assert.fail(r.error.message);
  return r.status;
}

test('Statuspage v2 summary (Anthropic): indicator, components with groups and maintenance, incident timeline', () => {
  const s = ok('statuspage', fixture('statuspage-anthropic.summary.json'), { provider: 'anthropic', fetchedAt: Date.parse('2024-06-04T16:00:00Z') });
  assert.equal(s.indicator, 'partial_outage', 'indicator "major" is a partial outage');
  assert.equal(s.description, 'Partial System Outage');
  assert.equal(s.pageUrl, 'https://status.anthropic.com');
  assert.deepEqual(s.components, [
    { id: 'rwppv331jlwc', name: 'claude.ai', state: 'partial_outage' },
    { id: '0qbwn08sd68x', name: 'Console (console.anthropic.com)', state: 'operational' },
    { id: 'k8w3r06qmzrp', name: 'API', group: 'Developer platform', state: 'degraded_performance' },
    { id: 'yyzkbfz2thpt', name: 'Claude Code', group: 'Developer platform', state: 'operational', underMaintenance: true },
  ]);
  assert.equal(s.incidents.length, 1);
  const i = s.incidents[0]!;
  assert.deepEqual(
    { id: i.id, source: i.source, provider: i.provider, status: i.status, impact: i.impact, startedAt: i.startedAt, url: i.url, components: i.components },
    {
      id: 'vendor:anthropic:1s8x4w9d0pbz',
      source: 'vendor',
      provider: 'anthropic',
      status: 'identified',
      // Updates named claude.ai as a major outage at first: the worst seen, not just the current.
      impact: 'major_outage',
      startedAt: Date.parse('2024-06-04T14:50:00.000Z'),
      url: 'https://stspg.io/x3l9b1kq0m2',
      components: ['claude.ai', 'API'],
    },
  );
  assert.deepEqual(
    i.updates.map((u) => [new Date(u.at).toISOString(), u.status, u.state]),
    [
      ['2024-06-04T14:52:10.311Z', 'investigating', 'major_outage'],
      ['2024-06-04T15:40:01.002Z', 'identified', 'partial_outage'],
    ],
    'oldest first',
  );
  assert.equal(i.resolvedAt, undefined);
});

test('incident.io proxy feed (OpenAI): grouped components, full_outage as major_outage, hidden ones left out, ongoing incident', () => {
  const s = ok('incident-io', fixture('incident-io-openai.proxy.json'), { provider: 'openai', pageUrl: 'https://status.openai.com' });
  assert.equal(s.indicator, 'major_outage');
  assert.deepEqual(
    s.components.map((c) => [c.group ?? '-', c.name, c.state]),
    [
      ['APIs', 'Chat Completions', 'major_outage'],
      ['APIs', 'Responses', 'partial_outage'],
      ['APIs', 'Embeddings', 'operational'],
      ['ChatGPT', 'Login', 'operational'],
      ['ChatGPT', 'Conversations', 'major_outage'],
      ['-', 'Video generation', 'degraded_performance'],
    ],
  );
  const i = s.incidents[0]!;
  assert.equal(i.id, 'vendor:openai:01JEW6D4Z6XQ2M9N3V5R7T8K1C');
  assert.equal(i.title, 'API, ChatGPT & Sora Facing Issues');
  assert.equal(i.status, 'identified');
  assert.equal(i.impact, 'major_outage');
  assert.equal(i.startedAt, Date.parse('2024-12-11T23:16:54.000Z'));
  assert.equal(i.url, 'https://status.openai.com/incidents/01JEW6D4Z6XQ2M9N3V5R7T8K1C');
  assert.deepEqual(i.components, ['Chat Completions', 'Responses', 'Conversations', 'Video generation']);
  assert.deepEqual(
    i.updates.map((u) => [u.status, u.state, u.message.slice(0, 28)]),
    [
      ['investigating', 'major_outage', 'We are currently experiencin'],
      ['identified', 'major_outage', 'We have identified the issue'],
    ],
  );
});

test('incident.io widget API: components from affected ones, maintenance flagged, page URL from the feed', () => {
  const s = ok('incident-io', fixture('incident-io-widget.json'), { provider: 'openai' });
  assert.equal(s.pageUrl, 'https://status.openai.com');
  assert.equal(s.indicator, 'major_outage');
  assert.deepEqual(
    s.components.map((c) => [c.name, c.state, c.underMaintenance ?? false]),
    [
      ['Chat Completions', 'major_outage', false],
      ['Responses', 'partial_outage', false],
      ['Conversations', 'major_outage', false],
      ['Fine-tuning', 'operational', true],
    ],
  );
  assert.equal(s.incidents.length, 1, 'maintenance is not an incident');
  assert.equal(s.incidents[0]!.url, 'https://status.openai.com/incidents/01JEW6D4Z6XQ2M9N3V5R7T8K1C');
  assert.match(s.incidents[0]!.updates[0]!.message, /partially recovering/);
});

test('Instatus (Perplexity): summary + components, upper-case states, JavaScript date strings', () => {
  const s = ok('instatus', fixture('instatus-perplexity.summary.json'), { provider: 'perplexity', componentsText: fixture('instatus-perplexity.components.json'), fetchedAt: Date.parse('2024-06-04T17:00:00Z') });
  assert.equal(s.indicator, 'partial_outage');
  assert.equal(s.pageUrl, 'https://status.perplexity.com');
  assert.deepEqual(s.components, [
    { id: 'clrk1comp0000api000000001', name: 'API', group: 'Developer platform', state: 'partial_outage' },
    { id: 'clrk1comp0000web000000002', name: 'perplexity.ai', state: 'degraded_performance' },
    { id: 'clrk1comp0000lab000000003', name: 'Labs', state: 'operational', underMaintenance: true },
    { id: 'clrk1comp0000app000000004', name: 'Mobile apps', state: 'operational' },
  ]);
  const i = s.incidents[0]!;
  assert.equal(i.id, 'vendor:perplexity:clx2p8k3f0012abcd9xyz0001');
  assert.equal(i.status, 'monitoring');
  assert.equal(i.impact, 'partial_outage');
  assert.equal(i.startedAt, Date.parse('2024-06-04T15:02:41Z'), '"Tue Jun 04 2024 15:02:41 GMT+0000 (...)" parsed');
  assert.equal(i.url, 'https://status.perplexity.com/incident/clx2p8k3f0012abcd9xyz0001');

  // summary.json alone (no components document) still says what is wrong.
  const only = ok('instatus', fixture('instatus-perplexity.summary.json'), { fetchedAt: Date.parse('2024-06-04T17:00:00Z') });
  assert.deepEqual(only.components, []);
  assert.equal(only.indicator, 'partial_outage');
  const up = ok('instatus', JSON.stringify({ page: { name: 'P', url: 'https://s.example', status: 'UP' }, activeIncidents: [], activeMaintenances: [] }));
  assert.equal(up.indicator, 'operational');
});

test('Google Cloud incidents.json: only Gemini/Vertex AI products, ongoing and recent, old ones dropped', () => {
  const s = ok('google-cloud', fixture('google-cloud-incidents.json'), { provider: 'gemini' });
  assert.equal(s.pageUrl, 'https://status.cloud.google.com');
  assert.equal(s.indicator, 'partial_outage', 'SERVICE_DISRUPTION on Vertex Gemini API; the BigQuery outage does not count');
  assert.deepEqual(
    s.incidents.map((i) => [i.id, i.status, i.impact]),
    [
      ['vendor:gemini:vTqZ3a9mWcY2pR8sLx1K', 'investigating', 'partial_outage'],
      ['vendor:gemini:Hn3Rt8uVb1Lk0Ws5Qe2M', 'resolved', 'degraded_performance'],
    ],
  );
  const live = s.incidents[0]!;
  assert.equal(live.url, 'https://status.cloud.google.com/incidents/vTqZ3a9mWcY2pR8sLx1K');
  assert.deepEqual(live.components, ['Vertex Gemini API']);
  assert.equal(live.updates.length, 2);
  assert.ok(live.updates[0]!.at < live.updates[1]!.at, 'oldest first');
  assert.match(live.updates[1]!.message, /Mitigation work is underway/);
  assert.equal(s.incidents[1]!.resolvedAt, Date.parse('2024-12-09T15:30:00Z'));
  assert.deepEqual(
    s.components.map((c) => [c.name, c.state]),
    [
      ['Vertex Gemini API', 'partial_outage'],
      ['Vertex AI Online Prediction', 'operational'],
    ],
  );
  // A narrower product filter.
  const narrow = ok('google-cloud', fixture('google-cloud-incidents.json'), { products: ['BigQuery'] });
  assert.deepEqual(narrow.incidents.map((i) => i.title), ['Google BigQuery: elevated query latency in europe-west3']);
  assert.equal(narrow.indicator, 'operational', 'resolved');
});

test('malformed input gives a typed FeedParseError, never a throw', () => {
  const cases: [FeedFormat, string, string, RegExp][] = [
    ['statuspage', '<html><body>502 Bad Gateway</body></html>', 'invalid_json', /not JSON \(starts with "<html><body>502 Bad Gateway<\/body><\/html"\)/],
    ['statuspage', '{"page": {"name": "x"}', 'invalid_json', /not JSON/],
    ['statuspage', '[]', 'unexpected_shape', /expected \{ page, components, incidents \}/],
    ['statuspage', 'null', 'unexpected_shape', /expected/],
    ['incident-io', '{"summary": 3}', 'unexpected_shape', /proxy feed/],
    ['incident-io', '{"ongoing_incidents": "none"}', 'unexpected_shape', /widget API/],
    ['instatus', '{"page": {"name": "P"}}', 'unexpected_shape', /summary\.json/],
    ['google-cloud', '{"incidents": []}', 'unexpected_shape', /JSON array/],
    ['google-cloud', '', 'invalid_json', /not JSON/],
  ];
  for (const [format, text, kind, message] of cases) {
    const r = parseFeed(format, { text }, { provider: 'p', fetchedAt: AT });
    assert.equal(r.ok, false, `${format}: ${text}`);
    if (r.ok) continue;
    assert.ok(r.error instanceof FeedParseError);
    assert.equal(r.error.format, format);
    assert.equal(r.error.kind, kind, `${format}: ${text}`);
    assert.match(r.error.message, message);
  }
  // Instatus components document of the wrong shape.
  const bad = parseFeed('instatus', { text: fixture('instatus-perplexity.summary.json'), componentsText: '{"components": {}}' }, { provider: 'p', fetchedAt: AT });
  assert.equal(bad.ok, false);

  // Wrong types inside otherwise valid documents are skipped, not fatal.
  const odd = parseFeed(
    'statuspage',
    { text: JSON.stringify({ page: { url: 5 }, components: [null, 7, { id: 1, name: 'x' }, { id: 'a', name: 'A', status: 'melting' }], incidents: [{ id: 'i', name: 'I', incident_updates: 'nope', created_at: 'yesterday' }] }) },
    { provider: 'p', fetchedAt: AT },
  );
  assert.ok(odd.ok);
  if (!odd.ok) return;
  assert.deepEqual(odd.status.components, [{ id: 'a', name: 'A', state: 'degraded_performance' }], 'an unknown status is not "fine"');
  assert.equal(odd.status.incidents[0]!.startedAt, AT);
  assert.equal(odd.status.pageUrl, '');
});
