import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseKeyCreate, parseKeyUpdate } from './key-input.js';

it('reads a create body in snake_case into a key input, budgets in micro-dollars', () => {
  const r = parseKeyCreate({
    name: ' ci ',
    team: 'research',
    aliases: ['chat', 'chat', 'smart'],
    expires_at: '2026-12-31T00:00:00Z',
    metadata: { ticket: 'OPS-1' },
    limits: { requests_per_minute: 60, tokens_per_minute: 100_000, concurrent_requests: 4, budget: { usd: 0.01, period: 'day' } },
  });
  assert.deepEqual(r, {
    ok: true,
    value: {
      name: 'ci',
      team: 'research',
      aliases: ['chat', 'smart'],
      expiresAt: Date.UTC(2026, 11, 31),
      metadata: { ticket: 'OPS-1' },
      limits: { requestsPerMinute: 60, tokensPerMinute: 100_000, concurrentRequests: 4, budget: { micros: 10_000, period: 'day' } },
    },
  });
  assert.deepEqual(parseKeyCreate({ name: 'x', expires_at: 1_800_000_000 }), { ok: true, value: { name: 'x', expiresAt: 1_800_000_000_000 } });
});

it('names the field at fault, unknown fields included', () => {
  assert.deepEqual(parseKeyCreate({}), { ok: false, message: 'expected a name', param: 'name' });
  assert.deepEqual(parseKeyCreate({ name: 'x', limits: { rpm: 5 } }), { ok: false, message: 'unknown field "rpm"', param: 'limits.rpm' });
  assert.deepEqual(parseKeyCreate({ name: 'x', limits: { budget: { usd: -1, period: 'day' } } }), { ok: false, message: 'expected a number of US dollars > 0', param: 'limits.budget.usd' });
  assert.equal((parseKeyCreate({ name: 'x', expires_at: 'next tuesday' }) as { message: string }).message, 'expected an ISO 8601 date-time like 2026-12-31T00:00:00Z, or epoch seconds');
  assert.equal(parseKeyCreate([]).ok, false);
  assert.equal(parseKeyCreate({ name: 'x', hash: 'abc' }).ok, false);
});

it('reads an update: absent fields stay, null clears', () => {
  assert.deepEqual(parseKeyUpdate({ team: null, aliases: null, expires_at: null, limits: {} }), { ok: true, value: { team: null, aliases: null, expiresAt: null, limits: {} } });
  assert.deepEqual(parseKeyUpdate({}), { ok: true, value: {} });
  assert.equal(parseKeyUpdate({ name: '' }).ok, false);
});

it("checks the metadata the journal reads: 'journal' is on or off, 'journal_retention_days' a number of days", () => {
  assert.deepEqual(parseKeyCreate({ name: 'x', metadata: { journal: 'yes' } }), { ok: false, message: "metadata 'journal' is 'on' or 'off'", param: 'metadata.journal' });
  assert.deepEqual(parseKeyCreate({ name: 'x', metadata: { journal_retention_days: '0' } }), { ok: false, message: "metadata 'journal_retention_days' is a whole number of days, 1 to 9999", param: 'metadata.journal_retention_days' });
  assert.equal(parseKeyCreate({ name: 'x', metadata: { journal: 'off', journal_retention_days: '7' } }).ok, true);
});
