/**
 * Fleet-wide alert claims, with three dispatchers (three gateway instances) sharing one claim
 * store in memory, on a ManualClock: the same outage seen by every instance, each under its own
 * incident id, pages once; the resolve once, under the same id; a store that does not answer
 * makes each deliver alone. The Redis version, through real gateways, is
 * src/gateway/fleet-alerts.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { AlertEvent, Incident } from '../health/types.js';
import type { AlertClaimStore } from '../storage/alert-claim-store.js';
import { MemoryAlertClaimStore } from '../storage/memory/memory-alert-claim-store.js';
import { AlertDispatcher } from './dispatcher.js';
import type { AlertSender } from './types.js';

const T0 = Date.UTC(2024, 11, 11, 23, 16);
const MIN = 60_000;

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    source: 'switchyard',
    title: 'Major outage on openai/gpt-4o',
    components: ['openai/gpt-4o'],
    provider: 'openai',
    status: 'investigating',
    impact: 'major_outage',
    startedAt: T0,
    peakErrorRate: 0.62,
    updates: [{ at: T0, status: 'investigating', state: 'major_outage', message: 'openai/gpt-4o: major outage.' }],
    ...over,
  };
}

const opened = (id: string, at = T0): AlertEvent => ({ type: 'incident.opened', incident: incident(id, { startedAt: at }) });
const updated = (id: string, at: number, state: Incident['impact'] = 'operational', status: Incident['status'] = 'monitoring'): AlertEvent => ({
  type: 'incident.updated',
  incident: incident(id, { status, updates: [...incident(id).updates, { at, status, state, message: 'back' }] }),
});
const resolved = (id: string, at: number): AlertEvent => ({ type: 'incident.resolved', incident: incident(id, { status: 'resolved', resolvedAt: at }) });

interface Delivered {
  event: string;
  id?: string;
}

/** `n` dispatchers on one clock and one claim store, all delivering into one list (the receiver). */
function fleet(n: number, claims: (i: number) => AlertClaimStore, clock: ManualClock) {
  const delivered: Delivered[] = [];
  /** The latest state each incident alert reported, in delivery order. */
  const states: string[] = [];
  const send: AlertSender = async (req) => {
    const body = JSON.parse(req.body) as { event: string; incident?: { id: string; updates: { state: string }[] } };
    if (body.incident) states.push(body.incident.updates.at(-1)!.state);
    delivered.push({ event: body.event, ...(body.incident ? { id: body.incident.id } : {}) });
    return { status: 200 };
  };
  const availability: boolean[][] = [];
  const dispatchers = Array.from({ length: n }, (_, i) => {
    availability.push([]);
    return new AlertDispatcher({ targets: [{ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: {} }], clock, send, claims: claims(i), onClaimsAvailable: (a) => availability[i]!.push(a) });
  });
  const idle = () => Promise.all(dispatchers.map((d) => d.whenIdle()));
  return { delivered, states, dispatchers, availability, idle };
}

describe('one alert per event across the fleet', () => {
  it('three instances open their own incident of one outage within seconds: one open, one resolve, both under the first one id', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryAlertClaimStore(clock);
    const f = fleet(3, () => store, clock);
    ['inc_a', 'inc_b', 'inc_c'].forEach((id, i) => {
      clock.advance(2_000);
      f.dispatchers[i]!.dispatch(opened(id, clock.now()));
    });
    await f.idle();
    assert.deepEqual(f.delivered, [{ event: 'incident.opened', id: 'inc_a' }]);
    assert.deepEqual(f.dispatchers.map((d) => d.stats().claimedElsewhere), [0, 1, 1]);

    // Recovery seen by all three: the same news once, under the fleet's id.
    clock.advance(10 * MIN);
    ['inc_b', 'inc_a', 'inc_c'].forEach((id, i) => f.dispatchers[[1, 0, 2][i]!]!.dispatch(updated(id, clock.now())));
    await f.idle();
    clock.advance(5 * MIN);
    ['inc_c', 'inc_a', 'inc_b'].forEach((id, i) => {
      clock.advance(1_000);
      f.dispatchers[[2, 0, 1][i]!]!.dispatch(resolved(id, clock.now()));
    });
    await f.idle();
    assert.deepEqual(f.delivered, [
      { event: 'incident.opened', id: 'inc_a' },
      { event: 'incident.updated', id: 'inc_a' },
      { event: 'incident.resolved', id: 'inc_a' },
    ]);
  });

  it('different news about the fleet incident from two instances is delivered, each under the fleet id', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryAlertClaimStore(clock);
    const f = fleet(2, () => store, clock);
    f.dispatchers[0]!.dispatch(opened('inc_a'));
    f.dispatchers[1]!.dispatch(opened('inc_b'));
    await f.idle();
    clock.advance(6 * MIN);
    f.dispatchers[0]!.dispatch(updated('inc_a', clock.now(), 'partial_outage', 'investigating'));
    f.dispatchers[1]!.dispatch(updated('inc_b', clock.now() + 1_000, 'major_outage', 'investigating'));
    await f.idle();
    assert.deepEqual(
      f.delivered.map((d) => `${d.event} ${d.id}`),
      ['incident.opened inc_a', 'incident.updated inc_a', 'incident.updated inc_a'],
      'partial from one, major from the other: two pieces of news',
    );
  });

  it('a flapping incident on one instance: the latest state held by the throttle is sent, even when it repeats an earlier update', async () => {
    const clock = new ManualClock(T0);
    const f = fleet(1, () => new MemoryAlertClaimStore(clock), clock);
    const d = f.dispatchers[0]!;
    d.dispatch(opened('inc_a'));
    clock.advance(6 * MIN);
    d.dispatch(updated('inc_a', clock.now(), 'operational', 'monitoring'));
    clock.advance(MIN);
    d.dispatch(updated('inc_a', clock.now(), 'major_outage', 'investigating'));
    clock.advance(MIN);
    d.dispatch(updated('inc_a', clock.now(), 'operational', 'monitoring'));
    // The second and third are held by the throttle until 5 min after the first was sent.
    await new Promise((r) => setImmediate(r));
    assert.equal(f.delivered.length, 2);
    clock.advance(5 * MIN);
    await f.idle();
    assert.deepEqual(
      f.delivered.map((x, i) => `${x.event} ${f.states[i]}`),
      ['incident.opened major_outage', 'incident.updated operational', 'incident.updated operational'],
      'the relapse and the recovery within one interval: the recovery, the latest, is sent at its end',
    );
  });

  it('a provider that fails again after the fleet announced the resolve pages again, once', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryAlertClaimStore(clock);
    const f = fleet(2, () => store, clock);
    f.dispatchers[0]!.dispatch(opened('inc_a'));
    f.dispatchers[1]!.dispatch(opened('inc_b'));
    clock.advance(10 * MIN);
    f.dispatchers[0]!.dispatch(resolved('inc_a', clock.now()));
    f.dispatchers[1]!.dispatch(resolved('inc_b', clock.now()));
    await f.idle();
    clock.advance(3 * MIN);
    f.dispatchers[1]!.dispatch(opened('inc_b2', clock.now()));
    f.dispatchers[0]!.dispatch(opened('inc_a2', clock.now()));
    await f.idle();
    clock.advance(10 * MIN);
    f.dispatchers[0]!.dispatch(resolved('inc_a2', clock.now()));
    f.dispatchers[1]!.dispatch(resolved('inc_b2', clock.now()));
    await f.idle();
    assert.deepEqual(
      f.delivered.map((d) => `${d.event} ${d.id}`),
      ['incident.opened inc_a', 'incident.resolved inc_a', 'incident.opened inc_b2', 'incident.resolved inc_b2'],
    );
  });

  it('a credential parked by two instances at once is one alert', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryAlertClaimStore(clock);
    const f = fleet(2, () => store, clock);
    for (const d of f.dispatchers) d.dispatch({ type: 'credential.parked', provider: 'openai', model: 'gpt-4o', until: T0 + 3_600_000, reason: 'insufficient_quota' });
    await f.idle();
    assert.deepEqual(f.delivered, [{ event: 'credential.parked' }]);
  });

  it('with the store unreachable each instance delivers alone, says so once, and resolves what it announced', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryAlertClaimStore(clock);
    let away = true;
    const flaky: AlertClaimStore = {
      claim: (k, v, ttl) => (away ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')) : store.claim(k, v, ttl)),
      release: (k, v) => (away ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')) : store.release(k, v)),
    };
    // Instance 0 loses Redis; instance 1 still reaches it.
    const f = fleet(2, (i) => (i === 0 ? flaky : store), clock);
    f.dispatchers[0]!.dispatch(opened('inc_a'));
    f.dispatchers[0]!.dispatch({ type: 'credential.parked', provider: 'openai', model: 'gpt-4o', until: T0 + 3_600_000, reason: 'insufficient_quota' });
    f.dispatchers[1]!.dispatch(opened('inc_b'));
    await f.idle();
    assert.deepEqual(f.delivered.map((d) => `${d.event} ${d.id ?? ''}`).sort(), ['credential.parked ', 'incident.opened inc_a', 'incident.opened inc_b']);
    assert.equal(f.dispatchers[0]!.stats().deliveredAlone, 2);
    assert.deepEqual(f.availability[0], [false], 'said once, not per alert');

    away = false;
    clock.advance(10 * MIN);
    f.dispatchers[0]!.dispatch(resolved('inc_a', clock.now()));
    f.dispatchers[1]!.dispatch(resolved('inc_b', clock.now()));
    await f.idle();
    assert.deepEqual(f.availability[0], [false, true]);
    assert.deepEqual(
      f.delivered.filter((d) => d.event === 'incident.resolved').map((d) => d.id).sort(),
      ['inc_a', 'inc_b'],
      'every incident a receiver was told of is resolved: a duplicate while degraded, never a lost alert',
    );
  });
});
