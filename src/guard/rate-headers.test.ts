import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDuration } from '../formats/openai-chat/retry-after.js';
import { addRateLimitHeaders, goDuration } from './rate-headers.js';

it('writes resets as the Go durations OpenAI sends, which our own OpenAI decoder reads back', () => {
  for (const [ms, text] of [[0, '0ms'], [20, '20ms'], [1000, '1s'], [1500, '1.5s'], [61_000, '1m1s'], [360_000, '6m0s'], [3_723_500, '1h2m3.5s']] as const) {
    assert.equal(goDuration(ms), text);
    assert.equal(parseDuration(text), ms);
  }
});

it('shows the tighter of key and team, for requests and tokens separately, and nothing unlimited', () => {
  const base = { requestsResetMs: 0, tokensResetMs: 0, concurrent: 0, spentMicros: 0 };
  const h = addRateLimitHeaders(
    [
      { ...base, subject: 'key:a', requests: 10, requestsLimit: 60, requestsResetMs: 59_000, tokens: 100, tokensLimit: 10_000, tokensResetMs: 1_000 },
      { ...base, subject: 'team:t', requests: 95, requestsLimit: 100, requestsResetMs: 2_000, tokens: 100 },
    ],
    {},
  );
  assert.deepEqual(h, {
    'x-ratelimit-limit-requests': '100',
    'x-ratelimit-remaining-requests': '5',
    'x-ratelimit-reset-requests': '2s',
    'x-ratelimit-limit-tokens': '10000',
    'x-ratelimit-remaining-tokens': '9900',
    'x-ratelimit-reset-tokens': '1s',
  });
  assert.deepEqual(addRateLimitHeaders([{ ...base, subject: 'key:b', requests: 1, tokens: 1 }], {}), {});
});
