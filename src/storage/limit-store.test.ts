import assert from 'node:assert/strict';
import { it } from 'node:test';
import { budgetPeriodBounds } from './limit-store.js';

it('budget periods are UTC calendar days, ISO weeks from Monday and calendar months', () => {
  const t = Date.UTC(2024, 11, 11, 15, 16); // Wednesday 2024-12-11
  assert.deepEqual(budgetPeriodBounds('day', t), { start: Date.UTC(2024, 11, 11), end: Date.UTC(2024, 11, 12) });
  assert.deepEqual(budgetPeriodBounds('week', t), { start: Date.UTC(2024, 11, 9), end: Date.UTC(2024, 11, 16) });
  assert.deepEqual(budgetPeriodBounds('week', Date.UTC(2024, 11, 9)), { start: Date.UTC(2024, 11, 9), end: Date.UTC(2024, 11, 16) });
  assert.deepEqual(budgetPeriodBounds('week', Date.UTC(2024, 11, 15, 23, 59)), { start: Date.UTC(2024, 11, 9), end: Date.UTC(2024, 11, 16) });
  assert.deepEqual(budgetPeriodBounds('month', t), { start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
  assert.deepEqual(budgetPeriodBounds('month', Date.UTC(2024, 1, 29, 12)), { start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) });
});
