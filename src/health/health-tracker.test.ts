/**
 * The issue 5 state-machine acceptance, driven by a ManualClock: one failed
 * request opens no incident; 50% errors over a minute does; flapping does not
 * produce an incident storm; recovery resolves it. Traffic is synthesized as
 * AttemptOutcomes spaced evenly in time, the way the request path records them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptOutcome } from '../core/attempt-outcome.js';
import { ManualClock } from '../core/clock.js';
import { MemoryHealthStore } from '../storage/memory/memory-health-store.js';
import { HealthTracker } from './health-tracker.js';
import type { AlertEvent } from './types.js';

const MIN = 60_000;
const START = Date.UTC(2024, 5, 4, 6, 0);

function setup(components = [{ provider: 'openai', model: 'gpt-4o' }]) {
  const clock = new ManualClock(START);
  const store = new MemoryHealthStore();
  let n = 0;
  const tracker = new HealthTracker({ store, clock, components, newIncidentId: () => `inc_${++n}` });
  const events: AlertEvent[] = [];
  tracker.onEvent((e) => events.push(e));
  void tracker.start();
  return { clock, store, tracker, events };
}

type Setup = ReturnType<typeof setup>;

/** `minutes` of traffic at `perMinute`, request i failing when fail(i) says so. */
function traffic(s: Setup, minutes: number, perMinute: number, fail: (i: number) => boolean, extra: Partial<AttemptOutcome> = {}): void {
  const gap = MIN / perMinute;
  for (let i = 0; i < minutes * perMinute; i++) {
    s.clock.advance(gap);
    const failed = fail(i);
    s.tracker.record({
      provider: 'openai',
      model: 'gpt-4o',
      at: s.clock.now(),
      stream: true,
      ...(failed ? { ok: false, kind: 'transient', status: 503 } : { ok: true, ttftMs: 250 }),
      ...extra,
    });
  }
}

const ok = () => false;
const types = (events: AlertEvent[]) => events.map((e) => e.type);

describe('HealthTracker state machine', () => {
  it('one failed request opens no incident', () => {
    const s = setup();
    traffic(s, 5, 20, ok);
    traffic(s, 1, 20, (i) => i === 3);
    traffic(s, 10, 20, ok);
    assert.deepEqual(s.events, []);
    assert.equal(s.tracker.stateOf('openai/gpt-4o')?.state, 'operational');

    // Nor does a lone failure on a quiet component (the low-volume streak rule needs 3 in a row).
    const q = setup();
    q.clock.advance(10 * MIN);
    traffic(q, 1, 1, () => true);
    q.clock.advance(10 * MIN);
    assert.deepEqual(q.events, []);
  });

  it('50% errors over a minute opens an incident with its peak error rate', () => {
    const s = setup();
    traffic(s, 3, 20, ok);
    traffic(s, 1.5, 20, (i) => i % 2 === 0);
    // Opened once; it may open as a partial outage while the window still holds the good minutes, then escalate.
    assert.equal(types(s.events)[0], 'incident.opened');
    assert.equal(s.events.filter((e) => e.type === 'incident.opened').length, 1);
    const [inc] = s.tracker.openIncidents();
    assert.ok(inc);
    assert.equal(inc.source, 'switchyard');
    assert.deepEqual(inc.components, ['openai/gpt-4o']);
    // Exactly half failing sits on the major threshold (>= 50%): either outage level is honest.
    assert.ok(['partial_outage', 'major_outage'].includes(inc.impact), inc.impact);
    assert.equal(inc.status, 'investigating');
    assert.ok(inc.peakErrorRate >= 0.45, `peak ${inc.peakErrorRate}`);
    assert.match(inc.updates[0]!.message, /openai\/gpt-4o: (partial|major) outage — \d+% of \d+ requests failed in the last minute/);
    // Opened within a minute of the errors starting (the demo's "page moves within a minute").
    assert.ok(inc.startedAt - (START + 3 * MIN) <= MIN, `opened after ${inc.startedAt - (START + 3 * MIN)} ms`);
    assert.notEqual(s.tracker.stateOf('openai/gpt-4o')?.state, 'operational');
  });

  it('a 15% error rate is a partial outage, not a major one', () => {
    const s = setup();
    traffic(s, 3, 40, (i) => i % 7 === 0);
    assert.equal(s.tracker.stateOf('openai/gpt-4o')?.state, 'partial_outage');
  });

  it('flapping (a bad minute, a good minute, for half an hour) produces one incident, not a storm', () => {
    const s = setup();
    traffic(s, 2, 20, ok);
    for (let k = 0; k < 15; k++) {
      traffic(s, 1, 20, () => true);
      traffic(s, 1, 20, ok);
    }
    assert.deepEqual(types(s.events), ['incident.opened']);
    // Then it settles: one resolve, a handful of updates at most.
    traffic(s, 15, 20, ok);
    assert.equal(s.events.filter((e) => e.type === 'incident.opened').length, 1);
    assert.equal(s.events.filter((e) => e.type === 'incident.resolved').length, 1);
    assert.ok(s.events.length <= 4, types(s.events).join(', '));
  });

  it('recovery resolves the incident after a stable period, with its duration and timeline', async () => {
    const s = setup();
    traffic(s, 2, 20, ok);
    traffic(s, 10, 20, () => true);
    const recoveredAt = s.clock.now();
    traffic(s, 3, 20, ok);
    assert.equal(s.tracker.stateOf('openai/gpt-4o')?.state, 'operational');
    assert.deepEqual(types(s.events), ['incident.opened', 'incident.updated']);
    assert.equal(s.tracker.openIncidents()[0]?.status, 'monitoring');
    traffic(s, 6, 20, ok);
    assert.deepEqual(types(s.events), ['incident.opened', 'incident.updated', 'incident.resolved']);
    const inc = s.events[2]!.type === 'incident.resolved' ? s.events[2]!.incident : undefined;
    assert.ok(inc?.resolvedAt);
    assert.equal(inc.status, 'resolved');
    // Resolved within lower hold + window + stable period of recovery, not before the stable period.
    const after = inc.resolvedAt - recoveredAt;
    assert.ok(after >= 5 * MIN && after <= 9 * MIN, `resolved ${after / MIN} min after recovery`);
    assert.ok(inc.resolvedAt - inc.startedAt >= 10 * MIN);
    assert.equal(inc.impact, 'major_outage');
    assert.equal(inc.peakErrorRate, 1);
    assert.deepEqual(inc.updates.map((u) => u.status), ['investigating', 'monitoring', 'resolved']);
    assert.deepEqual(s.tracker.openIncidents(), []);
    await s.tracker.flush();
    assert.deepEqual(await s.store.incidents.get(inc.id), inc);
  });

  it('a relapse while monitoring updates the same incident instead of opening another', () => {
    const s = setup();
    traffic(s, 2, 20, ok);
    traffic(s, 3, 20, () => true);
    traffic(s, 4, 20, ok); // back to operational, monitoring
    assert.equal(s.tracker.openIncidents()[0]?.status, 'monitoring');
    traffic(s, 2, 20, () => true);
    assert.equal(s.events.filter((e) => e.type === 'incident.opened').length, 1);
    assert.equal(s.tracker.openIncidents()[0]?.status, 'investigating');
  });

  it('client errors (400s) are not provider failures', () => {
    const s = setup();
    traffic(s, 5, 20, () => true, { kind: 'client_error', status: 400 });
    assert.deepEqual(s.events, []);
  });

  it("slow first tokens against the component's own baseline mean degraded_performance", () => {
    const s = setup();
    traffic(s, 5, 20, ok);
    traffic(s, 2, 20, ok, { ttftMs: 4_000 });
    assert.equal(s.tracker.stateOf('openai/gpt-4o')?.state, 'degraded_performance');
    assert.equal(s.tracker.openIncidents()[0]?.impact, 'degraded_performance');
    assert.match(s.tracker.openIncidents()[0]!.updates[0]!.message, /median time to first token \d+ ms against a usual \d+ ms/);
  });

  it('on a quiet component, three failures in a row (e.g. probes) are a major outage', () => {
    const s = setup();
    traffic(s, 4, 1, () => true, { probe: true });
    assert.equal(s.tracker.stateOf('openai/gpt-4o')?.state, 'major_outage');
  });

  it('one incident per provider: several failing models of one vendor share it', () => {
    const s = setup([{ provider: 'openai', model: 'gpt-4o' }, { provider: 'openai', model: 'gpt-4o-mini' }]);
    const gap = MIN / 20;
    for (let i = 0; i < 60; i++) {
      s.clock.advance(gap);
      for (const model of ['gpt-4o', 'gpt-4o-mini']) s.tracker.record({ provider: 'openai', model, at: s.clock.now(), ok: false, kind: 'transient', stream: false });
    }
    assert.equal(s.events.filter((e) => e.type === 'incident.opened').length, 1);
    assert.deepEqual(s.tracker.openIncidents()[0]?.components.sort(), ['openai/gpt-4o', 'openai/gpt-4o-mini']);
  });

  it('restores open incidents after a restart; they resolve if the problem is gone', async () => {
    const s = setup();
    traffic(s, 1, 20, ok);
    traffic(s, 3, 20, () => true);
    await s.tracker.close();
    const clock = new ManualClock(s.clock.now());
    const again = new HealthTracker({ store: s.store, clock, components: [{ provider: 'openai', model: 'gpt-4o' }] });
    const events: AlertEvent[] = [];
    again.onEvent((e) => events.push(e));
    await again.start();
    assert.equal(again.openIncidents().length, 1);
    clock.advance(6 * MIN);
    assert.deepEqual(types(events), ['incident.resolved']);
  });

  it('a listener that throws does not break tracking', () => {
    const s = setup();
    const errors: unknown[] = [];
    const t = new HealthTracker({ store: s.store, clock: s.clock, onError: (e) => errors.push(e) });
    t.onEvent(() => {
      throw new Error('listener bug');
    });
    void t.start();
    for (let i = 0; i < 40; i++) {
      s.clock.advance(3_000);
      t.record({ provider: 'x', model: 'y', at: s.clock.now(), ok: false, kind: 'transient', stream: false });
    }
    assert.equal(t.stateOf('x/y')?.state, 'major_outage');
    assert.ok(errors.length >= 1);
  });
});
