import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttemptOutcome } from '../core/attempt-outcome.js';
import { ManualClock } from '../core/clock.js';
import { ProbeScheduler, type ProbeTarget } from './probe-scheduler.js';

const MIN = 60_000;

function setup(opts: { lastTrafficAt?: (id: string) => number; isParked?: (t: ProbeTarget) => boolean; fail?: boolean } = {}) {
  const clock = new ManualClock();
  const recorded: AttemptOutcome[] = [];
  const probed: string[] = [];
  let seed = 1;
  const s = new ProbeScheduler({
    clock,
    sink: { record: (o) => recorded.push(o) },
    probe: async (t) => {
      probed.push(`${t.provider}/${t.model}`);
      return opts.fail ? { ok: false, kind: 'transient', status: 503 } : { ok: true, ttftMs: 120 };
    },
    targets: () => [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'anthropic', model: 'claude' }],
    intervalMs: MIN,
    lastTrafficAt: opts.lastTrafficAt ?? (() => -Infinity),
    ...(opts.isParked ? { isParked: opts.isParked } : {}),
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
  });
  s.start();
  return { clock, s, recorded, probed };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ProbeScheduler', () => {
  it('probes idle components about once per jittered interval and records probe outcomes', async () => {
    const { clock, s, recorded, probed } = setup();
    for (let i = 0; i < 10 * 60; i++) {
      clock.advance(1_000);
      await flush();
    }
    const perTarget = (id: string) => probed.filter((p) => p === id).length;
    // 10 minutes at 60 s +/- 20%: 9 to 12 probes each, never in lockstep.
    assert.ok(perTarget('openai/gpt-4o') >= 9 && perTarget('openai/gpt-4o') <= 12, String(perTarget('openai/gpt-4o')));
    assert.ok(perTarget('anthropic/claude') >= 9 && perTarget('anthropic/claude') <= 12);
    assert.equal(recorded.length, probed.length);
    assert.ok(recorded.every((o) => o.probe === true && o.ok && o.ttftMs === 120));
    assert.equal(s.sent, probed.length);
    s.stop();
  });

  it('never probes a component with recent client traffic, nor a parked credential', async () => {
    const { clock, probed, s } = setup({ lastTrafficAt: (id) => (id === 'openai/gpt-4o' ? clock.now() - 1_000 : -Infinity), isParked: (t) => t.provider === 'anthropic' });
    for (let i = 0; i < 5 * 60; i++) {
      clock.advance(1_000);
      await flush();
    }
    assert.deepEqual(probed, []);
    s.stop();
  });

  it('records failures as probe errors with their kind', async () => {
    const { clock, recorded, s } = setup({ fail: true });
    for (let i = 0; i < 2 * 60; i++) {
      clock.advance(1_000);
      await flush();
    }
    assert.ok(recorded.length >= 2);
    assert.ok(recorded.every((o) => o.probe && !o.ok && o.kind === 'transient' && o.status === 503));
    s.stop();
  });
});
