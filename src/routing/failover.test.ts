import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../core/errors.js';
import type { Provider } from '../providers/types.js';
import { failover, NoTargetError } from './failover.js';
import { RouteTable, type Route } from './route-table.js';

const fake = (name: string) => ({ name }) as unknown as Provider;
const route: Route = { alias: 'chat', targets: ['a', 'b', 'c'].map((n) => ({ provider: fake(n), model: 'm', label: `${n}/m` })) };
const err = (kind: GatewayError['kind'], status: number, retryAfterMs?: number) =>
  new GatewayError({ code: kind, message: `${kind} happened`, status, kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

test('the first healthy target serves; failed attempts are recorded', async () => {
  const out = await failover(route, async (t) => {
    if (t.provider.name === 'a') throw err('overloaded', 529);
    return t.provider.name;
  });
  assert.equal(out.value, 'b');
  assert.deepEqual(out.attempts.map((a) => [a.target, a.error?.kind]), [['a/m', 'overloaded'], ['b/m', undefined]]);
});

test('client errors stop at once: never tried elsewhere', async () => {
  let calls = 0;
  await assert.rejects(
    failover(route, async () => {
      calls++;
      throw err('client_error', 400);
    }),
    (e: unknown) => e instanceof GatewayError && e.status === 400,
  );
  assert.equal(calls, 1);
});

test('quota and rate limits move on to other capacity', async () => {
  const out = await failover(route, async (t) => {
    if (t.provider.name === 'a') throw err('quota_exhausted', 429);
    if (t.provider.name === 'b') throw err('rate_limited', 429, 5000);
    return 'c';
  });
  assert.equal(out.value, 'c');
});

test('all failing: one summary naming every target, the shortest wait, and the status page', async () => {
  await assert.rejects(
    failover(route, async (t) => { throw err('rate_limited', 429, t.provider.name === 'b' ? 2000 : 9000); }, 'http://gw/status'),
    (e: unknown) => {
      assert.ok(e instanceof NoTargetError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, 2000);
      assert.match(e.message, /a\/m.*b\/m.*c\/m/);
      assert.match(e.message, /http:\/\/gw\/status/);
      return true;
    },
  );
  await assert.rejects(
    failover(route, async (t) => { throw t.provider.name === 'a' ? err('transient', 502) : err('overloaded', 529); }),
    (e: unknown) => e instanceof NoTargetError && e.status === 503 && e.kind === 'unavailable',
  );
});

test('a single-target route returns the upstream error itself', async () => {
  const one: Route = { alias: 'x', targets: route.targets.slice(0, 1) };
  await assert.rejects(failover(one, async () => { throw err('overloaded', 529); }), (e: unknown) => e instanceof GatewayError && !(e instanceof NoTargetError) && e.status === 529);
});

test('unknown alias: 404 listing the available models', () => {
  const table = new RouteTable([route, { alias: 'fast', targets: [] }]);
  assert.throws(() => table.resolve('nope'), (e: unknown) => e instanceof GatewayError && e.status === 404 && e.param === 'model' && /chat, fast/.test(e.message));
});
