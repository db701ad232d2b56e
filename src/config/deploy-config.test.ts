import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { parseConfigText } from './parse-config.js';

it('deploy/switchyard.yaml (compose and Kubernetes) is a valid configuration', () => {
  const text = readFileSync(new URL('../../deploy/switchyard.yaml', import.meta.url), 'utf8');
  const c = parseConfigText(text, 'deploy/switchyard.yaml', {
    REDIS_URL: 'redis://redis:6379',
    DATABASE_URL: 'postgres://switchyard:pw@postgres:5432/switchyard',
    OPENAI_API_KEY: 'sk-test-openai',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    SWITCHYARD_ADMIN_KEY: 'a'.repeat(48),
  });
  assert.equal(c.storage?.state, 'redis');
  assert.equal(c.status?.store, 'postgres');
  assert.equal(c.journal?.store, 'postgres');
});
