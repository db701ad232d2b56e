import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkExposure, isLoopbackHost } from './exposure.js';

it('auth: none beyond loopback refuses to start unless allowed on purpose, then warns', () => {
  for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.5', 'gateway.internal', '128.0.0.1']) assert.equal(isLoopbackHost(host), false, host);

  assert.deepEqual(checkExposure({ host: '127.0.0.1', auth: 'none', allowUnauthenticatedPublic: false }), { ok: true });
  assert.deepEqual(checkExposure({ host: '0.0.0.0', auth: 'keys', allowUnauthenticatedPublic: false }), { ok: true });
  const refused = checkExposure({ host: '0.0.0.0', auth: 'none', allowUnauthenticatedPublic: false });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error : '', /Refusing to listen on 0\.0\.0\.0 \(every interface\) with auth: none.*auth: keys.*allow_unauthenticated_public: true/);
  const allowed = checkExposure({ host: '10.0.0.5', auth: 'none', allowUnauthenticatedPublic: true });
  assert.equal(allowed.ok, true);
  assert.match(allowed.ok ? (allowed.warning ?? '') : '', /10\.0\.0\.5 \(not loopback\) with auth: none/);
});
