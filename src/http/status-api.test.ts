/**
 * The Statuspage v2 JSON endpoints through the real HTTP server: shape that
 * existing monitors parse (page, status.indicator, components with groups,
 * incidents with incident_updates), real traffic reaching health tracking,
 * and an outage showing up as an incident. Time is a ManualClock, so the
 * outage is driven without sleeping; the simulated providers answer for real.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { SIM_MODELS } from '../sim/gateway-config.js';
import { startStack, type Stack } from '../test-support/stack.js';

const T0 = Date.UTC(2024, 11, 11, 23, 0); // 2024-12-11, 16 minutes before the OpenAI outage
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const OPENAI = `sim-openai/${SIM_MODELS.openai}`;

describe('Statuspage v2 JSON API', () => {
  let stack: Stack;
  const clock = new ManualClock(T0);
  const get = async (path: string) => {
    const r = await fetch(stack.url + path);
    return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
  };

  before(async () => {
    stack = await startStack({ clock });
  });
  after(() => stack.close());

  it('answers all-operational with the page, indicator and grouped components', async () => {
    const chat = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(chat.status, 200);
    await chat.text();

    const { status, headers, body } = await get('/status/api/v2/summary.json');
    assert.equal(status, 200);
    assert.match(headers.get('content-type')!, /application\/json/);
    assert.equal(headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(Object.keys(body).sort(), ['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    const page = body.page as Record<string, string>;
    assert.equal(page.time_zone, 'Etc/UTC');
    assert.match(page.updated_at!, ISO);
    assert.deepEqual(body.status, { indicator: 'none', description: 'All Systems Operational' });
    assert.deepEqual(body.incidents, []);

    const components = body.components as Record<string, unknown>[];
    const group = components.find((c) => c.id === 'sim-openai')!;
    assert.equal(group.group, true);
    assert.ok((group.components as string[]).includes(OPENAI));
    const child = components.find((c) => c.id === OPENAI)!;
    for (const key of ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date', 'group_id', 'page_id', 'group', 'only_show_if_degraded']) {
      assert.ok(key in child, `component has ${key}`);
    }
    assert.equal(child.status, 'operational');
    assert.equal(child.group_id, 'sim-openai');
    assert.equal(child.name, SIM_MODELS.openai);

    // The real request reached health tracking through ctx.outcomes.
    const snap = await stack.gateway.context.health!.statusSnapshot(clock.now());
    const openai = snap.components.find((c) => c.id === OPENAI)!;
    assert.equal(openai.errors24h.reduce((a, p) => a + p.requests, 0), 1);
  });

  it('shows an outage as a component state, an indicator and an incident with updates', async () => {
    const health = stack.gateway.context.health!;
    for (let i = 0; i < 90; i++) {
      clock.advance(1_000);
      health.record({ provider: 'sim-openai', model: SIM_MODELS.openai, at: clock.now(), ok: false, kind: 'transient', status: 503, stream: true });
    }
    const summary = (await get('/status/api/v2/summary.json')).body;
    assert.deepEqual(summary.status, { indicator: 'major', description: 'Partial System Outage' });
    const incidents = summary.incidents as Record<string, unknown>[];
    assert.equal(incidents.length, 1);
    const inc = incidents[0]!;
    assert.equal(inc.status, 'investigating');
    assert.equal(inc.impact, 'critical');
    assert.equal(inc.resolved_at, null);
    assert.match(inc.created_at as string, ISO);
    assert.match(inc.name as string, new RegExp(`Major outage on ${OPENAI}`));
    const updates = inc.incident_updates as Record<string, unknown>[];
    assert.equal(updates[0]!.status, 'investigating');
    assert.match(updates[0]!.body as string, /requests failed/);
    assert.deepEqual((inc.components as { id: string }[]).map((c) => c.id), [OPENAI]);

    const components = (await get('/status/api/v2/components.json')).body.components as Record<string, unknown>[];
    assert.equal(components.find((c) => c.id === OPENAI)!.status, 'major_outage');
    assert.equal(components.find((c) => c.id === 'sim-openai')!.status, 'major_outage');
    const status = (await get('/status/api/v2/status.json')).body;
    assert.deepEqual(Object.keys(status).sort(), ['page', 'status']);
    assert.equal((await get('/status/api/v2/incidents/unresolved.json')).body.incidents instanceof Array, true);

    // Recovery: healthy answers for a while, then the incident is resolved and listed as such.
    for (let i = 0; i < 12 * 60; i++) {
      clock.advance(1_000);
      health.record({ provider: 'sim-openai', model: SIM_MODELS.openai, at: clock.now(), ok: true, ttftMs: 200, stream: true });
    }
    const all = (await get('/status/api/v2/incidents.json')).body.incidents as Record<string, unknown>[];
    assert.equal(all.length, 1);
    assert.equal(all[0]!.status, 'resolved');
    assert.match(all[0]!.resolved_at as string, ISO);
    assert.deepEqual((all[0]!.incident_updates as { status: string }[]).map((u) => u.status), ['resolved', 'monitoring', 'investigating']);
    assert.deepEqual((await get('/status/api/v2/summary.json')).body.status, { indicator: 'none', description: 'All Systems Operational' });
  });

  it('never exposes credentials', async () => {
    for (const path of ['summary', 'components', 'incidents', 'status']) {
      const text = await (await fetch(`${stack.url}/status/api/v2/${path}.json`)).text();
      assert.doesNotMatch(text, /sk-|FAKE|api[_-]?key|127\.0\.0\.1/i);
    }
  });
});
