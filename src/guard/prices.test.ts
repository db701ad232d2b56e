import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_PRICES, PriceTable } from './prices.js';

it('prices models by the longest matching prefix, dated and provider-prefixed ids included', () => {
  const t = new PriceTable();
  assert.deepEqual(t.price('gpt-4o-mini-2024-07-18'), DEFAULT_PRICES['gpt-4o-mini']);
  assert.deepEqual(t.price('gpt-4o-2024-08-06'), DEFAULT_PRICES['gpt-4o']);
  assert.deepEqual(t.price('claude-sonnet-4-20250514'), { input: 3, output: 15 });
  assert.deepEqual(t.price('claude-opus-4-5-20251101'), { input: 5, output: 25 });
  assert.deepEqual(t.price('claude-opus-4-1-20250805'), { input: 15, output: 75 });
  assert.deepEqual(t.price('models/gemini-2.5-flash-lite'), { input: 0.1, output: 0.4 });
  assert.deepEqual(t.price('o3-pro-2025-06-10'), { input: 20, output: 80 });
  assert.equal(t.price('llama3.2'), undefined);
});

it('costs integer micro-dollars; unknown models cost nothing unless a default price is set', () => {
  const t = new PriceTable();
  // 1,000 in + 500 out on gpt-4o: 1000 x 2.5 + 500 x 10 = 7,500 micro-dollars.
  assert.equal(t.costMicros('gpt-4o', 1000, 500), 7_500);
  assert.equal(t.costMicros('gpt-4o-mini', 3, 1), Math.ceil(3 * 0.15 + 0.6));
  assert.equal(t.costMicros('llama3.2', 1e6, 1e6), 0);
  assert.deepEqual(t.unpricedModels(['llama3.2', 'gpt-4o', 'llama3.2']), ['llama3.2']);
  const withDefault = new PriceTable({}, { input: 1, output: 2 });
  assert.equal(withDefault.costMicros('llama3.2', 100, 100), 300);
  assert.deepEqual(withDefault.unpricedModels(['llama3.2']), []);
});

it('config overrides win over the list prices and may add models', () => {
  const t = new PriceTable({ 'gpt-4o': { input: 1, output: 1 }, 'my-finetune': { input: 9, output: 9 } });
  assert.deepEqual(t.price('gpt-4o-2024-08-06'), { input: 1, output: 1 });
  // A longer list entry still beats a shorter override for its own family.
  assert.deepEqual(t.price('gpt-4o-mini'), DEFAULT_PRICES['gpt-4o-mini']);
  assert.equal(t.costMicros('my-finetune-v2', 1, 1), 18);
});
