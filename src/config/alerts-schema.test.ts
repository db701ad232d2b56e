/**
 * The `alerts:` and `status.vendor_feeds` sections: resolved shapes, defaults,
 * messages a person can act on, and secrets (webhook URLs, header values)
 * never echoed in errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';

const SLACK = 'https://hooks.slack.com/services/T0FAKE/B0FAKE/slackSECRET123';

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, 'gw.yaml', env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

test('alerts resolve with env interpolation, headers and event filters', () => {
  const cfg = parseConfigText(
    `
alerts:
  - { name: ops-slack, type: slack, url: "\${SLACK_WEBHOOK_URL}", events: [incident.opened, incident.resolved, credential.parked] }
  - { name: pager, type: webhook, url: https://example.com/hook, headers: { Authorization: "Bearer \${HOOK_TOKEN}" } }
`,
    'gw.yaml',
    { SLACK_WEBHOOK_URL: SLACK, HOOK_TOKEN: 'tok-FAKE-123456' },
  );
  assert.deepEqual(cfg.alerts, [
    { name: 'ops-slack', type: 'slack', url: SLACK, headers: {}, events: ['incident.opened', 'incident.resolved', 'credential.parked'] },
    { name: 'pager', type: 'webhook', url: 'https://example.com/hook', headers: { Authorization: 'Bearer tok-FAKE-123456' } },
  ]);
  assert.equal(cfg.vendorFeeds, undefined, 'vendor polling is off unless configured');
});

test('alert mistakes are reported precisely and never echo the URL or header values', () => {
  const out = problems(
    `
alerts:
  - { name: a, type: slak, url: "\${SLACK_WEBHOOK_URL}", events: [incident.open] }
  - { name: a, type: webhook, url: "ftp://x/hookSECRET999", headers: { Authorization: 7 }, colour: red }
`,
    { SLACK_WEBHOOK_URL: SLACK },
  );
  assert.deepEqual(out, [
    'gw.yaml: alerts[0].type: unknown alert type "slak" (did you mean "slack"?); expected one of webhook, slack, discord',
    'gw.yaml: alerts[0].events[0]: unknown event "incident.open" (did you mean "incident.opened"?); expected one of incident.opened, incident.updated, incident.resolved, credential.parked, test',
    'gw.yaml: alerts[1].url: not a valid http(s) URL; expected e.g. https://hooks.slack.com/services/...',
    'gw.yaml: alerts[1].colour: unknown key; allowed keys: name, type, url, headers, events',
  ]);
  assert.ok(!out.join('\n').includes('SECRET'));
  const bad = problems(`alerts:\n  - { name: x, type: discord, url: "not a url \${U}" }\n  - { name: x, type: slack, url: "${SLACK}" }\n`, { U: 'discordSECRET77' });
  assert.deepEqual(bad, [
    'gw.yaml: alerts[0].url: not a valid http(s) URL; expected e.g. https://hooks.slack.com/services/...',
    'gw.yaml: alerts[1].name: duplicate alert name "x"; alert names must be unique',
  ]);
  assert.ok(!bad.join('\n').includes('SECRET'));
});

test('status.vendor_feeds resolves with a default interval; bad entries are explained', () => {
  const cfg = parseConfigText(
    `
status:
  vendor_feeds:
    - { provider: openai, format: incident-io, url: https://status.openai.com/proxy/status.openai.com, interval_s: 120 }
    - { provider: perplexity, format: instatus, url: https://status.perplexity.com/summary.json, components_url: https://status.perplexity.com/v2/components.json }
    - { provider: gemini, format: google-cloud, url: https://status.cloud.google.com/incidents.json, products: [Vertex Gemini API] }
`,
    'gw.yaml',
    {},
  );
  assert.deepEqual(cfg.vendorFeeds, [
    { provider: 'openai', format: 'incident-io', url: 'https://status.openai.com/proxy/status.openai.com', intervalMs: 120_000 },
    { provider: 'perplexity', format: 'instatus', url: 'https://status.perplexity.com/summary.json', componentsUrl: 'https://status.perplexity.com/v2/components.json', intervalMs: 60_000 },
    { provider: 'gemini', format: 'google-cloud', url: 'https://status.cloud.google.com/incidents.json', products: ['Vertex Gemini API'], intervalMs: 60_000 },
  ]);
  const out = problems('status:\n  vendor_feeds:\n    - { provider: openai, format: incidentio, url: https://x.example, interval_s: 5, every: 1 }\n  feeds: []\n');
  assert.deepEqual(out.slice(0, 3), [
    'gw.yaml: status.vendor_feeds[0].format: unknown feed format "incidentio" (did you mean "incident-io"?); expected one of statuspage, incident-io, instatus, google-cloud',
    'gw.yaml: status.vendor_feeds[0].interval_s: 5 is too often; expected at least 15 seconds',
    'gw.yaml: status.vendor_feeds[0].every: unknown key; allowed keys: provider, format, url, components_url, products, interval_s',
  ]);
  // Other status settings (storage, probes) share the section; vendor_feeds is always among the allowed keys.
  assert.match(out[3]!, /^gw\.yaml: status\.feeds: unknown key; allowed keys: vendor_feeds\b/);
  assert.equal(out.length, 4);
  assert.deepEqual(problems('status:\n  vendor_feeds:\n    - { provider: a, format: statuspage, url: https://a.example }\n    - { provider: a, format: statuspage, url: https://b.example }\n'), [
    'gw.yaml: status.vendor_feeds[1].provider: duplicate feed for provider "a"; one feed per provider',
  ]);
});
