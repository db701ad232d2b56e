import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { FixedLoadSampler } from './load-sampler.js';
import { openGuard } from './open-guard.js';
import { Admission } from './request-admission.js';
import { DEFAULT_GUARD_SETTINGS } from './settings.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-open-guard-'));
after(() => rmSync(root, { recursive: true, force: true }));

it('keeps keys in <data dir>/keys.db when keys are in use, and writes nothing with auth: none and no admin API', async () => {
  const none = await openGuard(DEFAULT_GUARD_SETTINGS, { dataDir: join(root, 'none'), sampler: new FixedLoadSampler() });
  assert.ok(none.admit({ headers: {}, remoteAddress: '127.0.0.1' }) instanceof Admission);
  await none.close();
  assert.equal(existsSync(join(root, 'none')), false);

  const keys = await openGuard({ ...DEFAULT_GUARD_SETTINGS, auth: 'keys' }, { dataDir: join(root, 'keys'), sampler: new FixedLoadSampler() });
  const { secret } = await keys.keys.create({ name: 'ci' });
  await keys.close();
  assert.ok(existsSync(join(root, 'keys', 'keys.db')));
  const again = await openGuard({ ...DEFAULT_GUARD_SETTINGS, auth: 'keys', dataDir: join(root, 'keys') }, { dataDir: join(root, 'elsewhere'), sampler: new FixedLoadSampler() });
  assert.ok(again.admit({ headers: { authorization: `Bearer ${secret}` }, remoteAddress: undefined }) instanceof Admission);
  await again.close();
});
