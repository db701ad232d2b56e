/**
 * AlertDispatcher against a real webhook receiver on 127.0.0.1: each format's
 * body, retries on 5xx driven by a ManualClock (no sleeping), no retry on 400,
 * Retry-After on 429, dedupe and the flapping throttle, a caller that is never
 * blocked, and webhook URLs (which carry tokens) never shown in full.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import type { AlertEvent, Incident } from '../health/types.js';
import { AlertDispatcher, type DeliveryReport } from './dispatcher.js';
import { maskUrl } from './mask-url.js';
import { TestReceiver, until } from './test-receiver.js';
import type { AlertSender, AlertTarget } from './types.js';

const T0 = Date.UTC(2024, 11, 11, 23, 16);

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc_1',
    source: 'switchyard',
    title: 'openai/gpt-4o major outage',
    components: ['openai/gpt-4o'],
    provider: 'openai',
    status: 'investigating',
    impact: 'major_outage',
    startedAt: T0,
    peakErrorRate: 0.62,
    updates: [{ at: T0, status: 'investigating', state: 'major_outage', message: '62% of requests failed in the last minute' }],
    ...over,
  };
}

const opened = (over: Partial<Incident> = {}): AlertEvent => ({ type: 'incident.opened', incident: incident(over) });

async function withReceiver(fn: (r: TestReceiver, origin: string) => Promise<void>): Promise<void> {
  const r = new TestReceiver();
  const origin = await r.start();
  try {
    await fn(r, origin);
  } finally {
    await r.stop();
  }
}

test('delivers each format: generic webhook JSON, Slack text+blocks, Discord content+embeds coloured by state', () =>
  withReceiver(async (r, origin) => {
    const targets: AlertTarget[] = [
      { name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: { Authorization: 'Bearer hook-token-FAKE' } },
      { name: 'slack', type: 'slack', url: `${origin}/services/T000/B000/slackFAKEtoken`, headers: {} },
      { name: 'discord', type: 'discord', url: `${origin}/api/webhooks/123/discordFAKEtoken`, headers: {} },
    ];
    const clock = new ManualClock(T0 + 60_000);
    const d = new AlertDispatcher({ targets, clock, statusUrl: 'https://gw.example.com/status' });
    d.dispatch(opened());
    await r.waitFor(3);
    await d.whenIdle();
    assert.equal(d.stats().sent, 3);

    const byPath = new Map(r.received.map((x) => [x.path, x]));
    const hook = byPath.get('/hook')!;
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.equal(hook.headers.authorization, 'Bearer hook-token-FAKE');
    assert.deepEqual(hook.json, {
      version: 1,
      event: 'incident.opened',
      sent_at: new Date(T0 + 60_000).toISOString(),
      summary: 'Switchyard detected major outage on openai/gpt-4o (investigating, since 2024-12-11T23:16:00.000Z). 62% of requests failed in the last minute',
      status_url: 'https://gw.example.com/status',
      incident: {
        id: 'inc_1',
        source: 'switchyard',
        title: 'openai/gpt-4o major outage',
        provider: 'openai',
        components: ['openai/gpt-4o'],
        status: 'investigating',
        impact: 'major_outage',
        started_at: '2024-12-11T23:16:00.000Z',
        resolved_at: null,
        duration_s: 60,
        peak_error_rate: 0.62,
        url: null,
        updates: [{ at: '2024-12-11T23:16:00.000Z', status: 'investigating', state: 'major_outage', message: '62% of requests failed in the last minute' }],
      },
    });

    const slack = byPath.get('/services/T000/B000/slackFAKEtoken')!.json as { text: string; blocks: { type: string; text?: { type: string; text: string }; fields?: unknown[] }[] };
    assert.equal(slack.text, 'Incident opened: openai/gpt-4o major outage');
    assert.deepEqual(slack.blocks[0], { type: 'header', text: { type: 'plain_text', text: 'Incident opened: openai/gpt-4o major outage' } });
    assert.equal(slack.blocks[1]!.text!.type, 'mrkdwn');
    assert.match(slack.blocks[1]!.text!.text, /^:red_circle: Switchyard detected major outage/);
    assert.ok(slack.blocks.some((b) => b.type === 'section' && Array.isArray(b.fields)));
    assert.ok(slack.blocks.some((b) => b.type === 'context'), 'links the status page');

    const discord = byPath.get('/api/webhooks/123/discordFAKEtoken')!.json as {
      content: string;
      embeds: { title: string; color: number; fields: { name: string; value: string }[]; url?: string }[];
      allowed_mentions: { parse: string[] };
    };
    assert.equal(discord.content, 'Incident opened: openai/gpt-4o major outage');
    assert.equal(discord.embeds[0]!.color, 0xe74c3c, 'major outage is red');
    assert.deepEqual(discord.embeds[0]!.fields.find((f) => f.name === 'Peak error rate'), { name: 'Peak error rate', value: '62%', inline: true });
    assert.deepEqual(discord.allowed_mentions, { parse: [] });
  }));

test('Discord colour follows the state: resolved is green, degraded yellow', () =>
  withReceiver(async (r, origin) => {
    const d = new AlertDispatcher({ targets: [{ name: 'd', type: 'discord', url: `${origin}/d`, headers: {} }], clock: new ManualClock(T0) });
    d.dispatch({ type: 'incident.opened', incident: incident({ id: 'a', impact: 'degraded_performance' }) });
    d.dispatch({ type: 'incident.resolved', incident: incident({ id: 'b', status: 'resolved', resolvedAt: T0 + 93 * 60_000 }) });
    await r.waitFor(2);
    await d.whenIdle();
    const colours = r.received.map((x) => (x.json as { embeds: { color: number }[] }).embeds[0]!.color).sort();
    assert.deepEqual(colours, [0x2ecc71, 0xf1c40f].sort());
    const resolved = r.received.find((x) => (x.json as { content: string }).content.startsWith('Resolved'))!;
    assert.match((resolved.json as { embeds: { description: string }[] }).embeds[0]!.description, /recovered after 1 h 33 min/);
  }));

test('a 500 is retried after a full-jitter backoff on the injected clock, then delivered', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 500 }, { status: 200 });
    const clock = new ManualClock(T0);
    const failures: DeliveryReport[] = [];
    const d = new AlertDispatcher({
      targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }],
      clock,
      random: () => 0.5,
      retry: { baseDelayMs: 1000 },
      onFailure: (f) => failures.push(f),
    });
    d.dispatch(opened());
    await r.waitFor(1);
    await until(() => d.stats().retried === 1);
    assert.deepEqual(failures, [{ target: 'hook', url: `${origin}/***`, event: 'incident.opened', attempt: 1, status: 500, reason: 'HTTP 500', willRetry: true }]);
    // Full jitter: random 0.5 of min(cap, 1000 * 2^0) = 500 ms. Nothing before that.
    clock.advance(499);
    await new Promise((res) => setImmediate(res));
    assert.equal(r.received.length, 1);
    clock.advance(1);
    await r.waitFor(2);
    await d.whenIdle();
    assert.equal(r.received[1]!.body.length > 0, true);
    const s = d.stats();
    assert.deepEqual([s.sent, s.failed, s.retried, s.dropped], [1, 0, 1, 0]);
  }));

test('400 (and other 4xx but 408/429) is not retried', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 400 });
    const clock = new ManualClock(T0);
    const d = new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }], clock });
    d.dispatch(opened());
    await d.whenIdle();
    assert.equal(r.received.length, 1);
    assert.equal(clock.pendingTimers(), 0, 'no retry scheduled');
    const s = d.stats();
    assert.deepEqual([s.sent, s.failed, s.retried], [0, 1, 0]);
    assert.deepEqual(s.targets[0]!.lastError, { at: T0, reason: 'HTTP 400' });
  }));

test('429 honours Retry-After instead of the jittered delay', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 429, headers: { 'retry-after': '7' } }, { status: 204 });
    const clock = new ManualClock(T0);
    const d = new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }], clock, random: () => 0 });
    d.dispatch(opened());
    await until(() => d.stats().retried === 1);
    clock.advance(6_999);
    await new Promise((res) => setImmediate(res));
    assert.equal(r.received.length, 1, 'random 0 would have retried at once; Retry-After says 7 s');
    clock.advance(1);
    await d.whenIdle();
    assert.equal(r.received.length, 2);
    assert.equal(d.stats().sent, 1);
  }));

test('gives up after maxAttempts and counts one failure', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 503 });
    const clock = new ManualClock(T0);
    const d = new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }], clock, random: () => 1, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    d.dispatch(opened());
    for (let n = 1; n < 3; n++) {
      await until(() => d.stats().retried === n);
      clock.advance(1000);
    }
    await d.whenIdle();
    assert.equal(r.received.length, 3);
    const s = d.stats();
    assert.deepEqual([s.sent, s.failed, s.retried], [0, 1, 2]);
  }));

test('dedupe: the same event for the same incident and update is sent once; events filter per target', () =>
  withReceiver(async (r, origin) => {
    const clock = new ManualClock(T0);
    const d = new AlertDispatcher({
      targets: [
        { name: 'all', type: 'webhook', url: `${origin}/all`, headers: {} },
        { name: 'resolves', type: 'webhook', url: `${origin}/resolves`, headers: {}, events: ['incident.resolved'] },
      ],
      clock,
    });
    d.dispatch(opened());
    d.dispatch(opened());
    d.dispatch({ type: 'credential.parked', provider: 'openai', model: 'gpt-4o', until: T0 + 3600_000, reason: 'insufficient_quota' });
    d.dispatch({ type: 'credential.parked', provider: 'openai', model: 'gpt-4o', until: T0 + 3700_000, reason: 'insufficient_quota' });
    d.dispatch({ type: 'incident.resolved', incident: incident({ status: 'resolved', resolvedAt: T0 + 60_000 }) });
    await r.waitFor(4);
    await d.whenIdle();
    assert.deepEqual(
      r.received.map((x) => `${x.path} ${(x.json as { event: string }).event}`).sort(),
      ['/all credential.parked', '/all incident.opened', '/all incident.resolved', '/resolves incident.resolved'],
    );
    assert.equal(d.stats().deduplicated, 2);
    // After the window the same key is news again.
    clock.advance(15 * 60_000);
    d.dispatch({ type: 'credential.parked', provider: 'openai', model: 'gpt-4o', until: T0 + 5000_000, reason: 'insufficient_quota' });
    await r.waitFor(5);
    await d.whenIdle();
  }));

test('a flapping incident sends one update per interval, the latest state, and none after it resolves', () =>
  withReceiver(async (r, origin) => {
    const clock = new ManualClock(T0);
    const d = new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }], clock, updateIntervalMs: 5 * 60_000 });
    d.dispatch(opened());
    const states = ['partial_outage', 'major_outage', 'degraded_performance', 'major_outage', 'partial_outage'] as const;
    states.forEach((state, i) => {
      clock.advance(30_000);
      d.dispatch({
        type: 'incident.updated',
        incident: incident({ updates: [...incident().updates, { at: clock.now(), status: 'identified', state, message: `now ${state} #${i}` }] }),
      });
    });
    await r.waitFor(1);
    await until(() => d.stats().inFlight === 0 && d.stats().queued === 0);
    assert.equal(r.received.length, 1, 'only the open so far: updates within 5 min of it are held');
    clock.advance(5 * 60_000);
    await r.waitFor(2);
    await d.whenIdle();
    const update = r.received[1]!.json as { event: string; incident: { updates: { message: string }[] } };
    assert.equal(update.event, 'incident.updated');
    assert.equal(update.incident.updates.at(-1)!.message, 'now partial_outage #4', 'latest wins');
    assert.equal(d.stats().coalesced, 4);

    // Another burst, then a resolve: the held update is superseded.
    clock.advance(10_000);
    d.dispatch({ type: 'incident.updated', incident: incident({ updates: [{ at: clock.now(), status: 'monitoring', state: 'degraded_performance', message: 'x' }] }) });
    d.dispatch({ type: 'incident.resolved', incident: incident({ status: 'resolved', resolvedAt: clock.now() }) });
    await r.waitFor(3);
    await d.whenIdle();
    clock.advance(10 * 60_000);
    assert.deepEqual(r.received.map((x) => (x.json as { event: string }).event), ['incident.opened', 'incident.updated', 'incident.resolved']);
  }));

test('dispatch never blocks: with a receiver that never answers the caller returns at once and the oldest are dropped', async () => {
  const hanging: AlertSender = () => new Promise(() => {});
  const d = new AlertDispatcher({ targets: [{ name: 'slow', type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: {} }], send: hanging, maxQueue: 100, concurrency: 2 });
  const started = performance.now();
  for (let i = 0; i < 5000; i++) assert.equal(d.dispatch({ type: 'test', message: `#${i}` }), undefined);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 500, `5000 dispatches took ${elapsed.toFixed(0)} ms`);
  assert.equal(d.stats().dropped, 4900);
  assert.equal(d.stats().targets[0]!.dropped, 4900);
  await Promise.resolve();
  await new Promise((res) => setImmediate(res));
  assert.equal(d.stats().inFlight, 2);
  assert.equal(d.stats().queued, 98);
});

test('webhook URLs and header values never appear in stats, failure reports or errors', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 500 });
    const secretPath = '/services/T0FAKE/B0FAKE/xoxSECRETtoken123';
    const reports: DeliveryReport[] = [];
    const d = new AlertDispatcher({
      targets: [
        { name: 'slack', type: 'slack', url: `${origin}${secretPath}`, headers: {} },
        // Nothing listens on port 9 (discard) on loopback: a connection error whose message could echo the URL.
        { name: 'down', type: 'webhook', url: `http://127.0.0.1:9${secretPath}?token=qsSECRET99`, headers: { Authorization: 'Bearer hdrSECRET42' } },
      ],
      clock: new ManualClock(T0),
      retry: { maxAttempts: 1 },
      onFailure: (f) => reports.push(f),
    });
    d.dispatch(opened());
    await d.whenIdle();
    const dump = JSON.stringify({ stats: d.stats(), reports });
    for (const secret of ['xoxSECRETtoken123', 'T0FAKE', 'qsSECRET99', 'hdrSECRET42']) assert.ok(!dump.includes(secret), `${secret} leaked: ${dump}`);
    assert.equal(d.stats().targets[0]!.url, `${origin}/***`);
    assert.equal(d.stats().targets[1]!.url, 'http://127.0.0.1:9/***');
    assert.equal(d.stats().failed, 2);
    assert.ok(reports.find((x) => x.target === 'down')!.reason.length > 0);
  }));

test('a receiver that never answers is cut off by the per-delivery timeout', () =>
  withReceiver(async (r, origin) => {
    r.reply({ status: 200, hang: true });
    const d = new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }], timeoutMs: 100, retry: { maxAttempts: 1 } });
    d.dispatch(opened());
    await d.whenIdle();
    assert.equal(d.stats().targets[0]!.lastError!.reason, 'timed out after 100 ms');
  }));

test('maskUrl keeps scheme and host only', () => {
  assert.equal(maskUrl('https://hooks.slack.com/services/T000/B000/XXXX'), 'https://hooks.slack.com/***');
  assert.equal(maskUrl('https://discord.com/api/webhooks/1/tok?wait=true'), 'https://discord.com/***');
  assert.equal(maskUrl('not a url with a token'), '***');
});
