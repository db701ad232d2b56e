import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigText } from './parse-config.js';

const parse = (yaml: string) => parseConfigText(yaml, 'test.yaml', {});

describe('status: storage and probes config', () => {
  it('is absent without the keys, and defaults the rest when some are given', () => {
    assert.equal(parse('models: []').status, undefined);
    assert.deepEqual(parse('status:\n  data_dir: /var/lib/switchyard\n').status, {
      dataDir: '/var/lib/switchyard',
      retentionDays: 90,
      probes: { enabled: false, intervalMs: 60_000 },
    });
    assert.deepEqual(parse('status:\n  retention_days: "30"\n  probes: { enabled: true, interval_s: 120 }\n').status, {
      retentionDays: 30,
      probes: { enabled: true, intervalMs: 120_000 },
    });
  });

  it('reports bad values and unknown keys with their path', () => {
    assert.throws(() => parse('status:\n  retention_days: 0\n'), /status\.retention_days.*out of range/s);
    assert.throws(() => parse('status:\n  probes: { interval_s: 1 }\n'), /status\.probes\.interval_s.*at least 10/s);
    assert.throws(() => parse('status:\n  probes: { enable: true }\n'), /status\.probes\.enable.*unknown key.*enabled/s);
    assert.throws(() => parse('status:\n  datadir: x\n'), /status\.datadir.*unknown key.*data_dir/s);
  });
});
