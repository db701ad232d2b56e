/**
 * VendorFeedPoller with an injected fetch and a ManualClock: a feed that cannot
 * be fetched or parsed is reported (message, since when, count) and never
 * crashes; the last good status is kept; recovery clears the error; the
 * schedule and the per-request timeout run on the clock (no sleeping).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../core/clock.js';
import { VendorFeedPoller, type FeedFetch } from './poller.js';
import type { VendorFeedConfig, VendorStatus } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const T0 = Date.parse('2024-06-04T16:00:00Z');
const ANTHROPIC: VendorFeedConfig = { provider: 'anthropic', format: 'statuspage', url: 'https://status.anthropic.com/api/v2/summary.json', intervalMs: 60_000 };

/** A fetch whose behaviour the test sets per call. */
function scriptedFetch() {
  const calls: string[] = [];
  let next: (url: string, signal: AbortSignal) => Promise<{ status: number; text(): Promise<string> }> = () => Promise.reject(new Error('unset'));
  const fetch: FeedFetch = (url, init) => {
    calls.push(url);
    return next(url, init.signal);
  };
  return {
    fetch,
    calls,
    respond(status: number, body: string) {
      next = () => Promise.resolve({ status, text: () => Promise.resolve(body) });
    },
    fail(err: Error) {
      next = () => Promise.reject(err);
    },
    hang() {
      next = (_url, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted by signal'))));
    },
    route(bodies: Record<string, string>) {
      next = (url) => Promise.resolve({ status: 200, text: () => Promise.resolve(bodies[url] ?? '') });
    },
  };
}

test('a failing fetch is reported with since-when, never thrown; recovery clears it and notifies', async () => {
  const clock = new ManualClock(T0);
  const f = scriptedFetch();
  const poller = new VendorFeedPoller({ feeds: [ANTHROPIC], clock, fetch: f.fetch });
  const changes: VendorStatus[] = [];
  poller.onChange((s) => changes.push(s));

  f.fail(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }));
  await poller.pollNow();
  assert.deepEqual(poller.latest(), [
    {
      provider: 'anthropic',
      format: 'statuspage',
      pageUrl: 'https://status.anthropic.com',
      indicator: 'unknown',
      components: [],
      incidents: [],
      fetchedAt: T0,
      fetchError: { message: 'fetch failed (ENOTFOUND)', since: T0, lastAttemptAt: T0, consecutiveFailures: 1 },
    },
  ]);
  assert.equal(changes.length, 1);

  clock.advance(60_000);
  f.respond(503, '<html>Service Unavailable</html>');
  await poller.pollNow();
  assert.deepEqual(poller.latest()[0]!.fetchError, { message: 'HTTP 503 from https://status.anthropic.com/api/v2/summary.json', since: T0, lastAttemptAt: T0 + 60_000, consecutiveFailures: 2 });
  assert.equal(changes.length, 1, 'still failing: nothing new to tell');

  clock.advance(60_000);
  f.respond(200, fixture('statuspage-anthropic.summary.json'));
  await poller.pollNow();
  const good = poller.latest()[0]!;
  assert.equal(good.fetchError, undefined);
  assert.equal(good.indicator, 'partial_outage');
  assert.equal(good.incidents[0]!.source, 'vendor');
  assert.equal(changes.length, 2);
  assert.equal(changes[1]!.indicator, 'partial_outage');

  // Unparseable after a good read: the last good status stays, marked as stale.
  clock.advance(60_000);
  f.respond(200, '{"truncated": ');
  await poller.pollNow();
  const stale = poller.latest()[0]!;
  assert.equal(stale.indicator, 'partial_outage');
  assert.equal(stale.fetchedAt, T0 + 120_000);
  assert.deepEqual(stale.fetchError, { message: 'statuspage feed: not JSON (starts with "{\\"truncated\\":")', since: T0 + 180_000, lastAttemptAt: T0 + 180_000, consecutiveFailures: 1 });
  assert.equal(changes.length, 3, 'going stale is a change');
});

test('start() polls on the clock with jitter, every interval; stop() cancels; no feeds means no polling', async () => {
  const clock = new ManualClock(T0);
  const f = scriptedFetch();
  f.respond(200, fixture('statuspage-anthropic.summary.json'));
  const poller = new VendorFeedPoller({ feeds: [ANTHROPIC], clock, fetch: f.fetch, random: () => 0.5 });
  poller.start();
  assert.equal(f.calls.length, 0);
  clock.advance(2_499);
  assert.equal(f.calls.length, 0);
  clock.advance(1);
  assert.equal(f.calls.length, 1, 'first read at 0.5 x 5 s');
  await new Promise((r) => setImmediate(r));
  clock.advance(60_000);
  assert.equal(f.calls.length, 2, 'then every interval (±10%, here exactly)');
  await new Promise((r) => setImmediate(r));
  poller.stop();
  assert.equal(clock.pendingTimers(), 0);
  clock.advance(600_000);
  assert.equal(f.calls.length, 2);

  const off = new VendorFeedPoller({ feeds: [], clock, fetch: f.fetch });
  off.start();
  clock.advance(600_000);
  assert.equal(f.calls.length, 2);
  assert.deepEqual(off.latest(), []);
});

test('a feed that never answers times out on the injected clock', async () => {
  const clock = new ManualClock(T0);
  const f = scriptedFetch();
  f.hang();
  const poller = new VendorFeedPoller({ feeds: [ANTHROPIC], clock, fetch: f.fetch, timeoutMs: 10_000 });
  const done = poller.pollNow();
  clock.advance(10_000);
  await done;
  assert.equal(poller.latest()[0]!.fetchError!.message, 'timed out after 10000 ms');
});

test('Instatus reads summary and components; a throwing listener does not stop anything', async () => {
  const f = scriptedFetch();
  f.route({
    'https://status.perplexity.com/summary.json': fixture('instatus-perplexity.summary.json'),
    'https://status.perplexity.com/v2/components.json': fixture('instatus-perplexity.components.json'),
  });
  const poller = new VendorFeedPoller({
    feeds: [{ provider: 'perplexity', format: 'instatus', url: 'https://status.perplexity.com/summary.json', componentsUrl: 'https://status.perplexity.com/v2/components.json', intervalMs: 60_000 }],
    clock: new ManualClock(T0),
    fetch: f.fetch,
  });
  poller.onChange(() => {
    throw new Error('listener bug');
  });
  await poller.pollNow();
  assert.deepEqual(f.calls, ['https://status.perplexity.com/summary.json', 'https://status.perplexity.com/v2/components.json']);
  const s = poller.latest()[0]!;
  assert.equal(s.components.length, 4);
  assert.equal(s.fetchError, undefined);
});
